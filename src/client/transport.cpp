#include <privacycall/transport.hpp>

#include <thread>

#include "common/bounded_pool.hpp"
#include "common/make_error.hpp"
#include "common/text.hpp"

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN
namespace {

// The executor of every transport that does not override send_async(): made on first use and
// never destroyed, so that a request still running at exit meets no destroyed pool.
internal::BoundedPool& default_async_executor() {
  static auto* const pool =
      new internal::BoundedPool(HttpTransport::kDefaultAsyncThreads, HttpTransport::kDefaultAsyncQueue);
  return *pool;
}

}  // namespace

void HttpTransport::send_async(HttpRequest request, HttpCallback done,
                               std::chrono::steady_clock::time_point start_at) {
  // A transport owned by a shared_ptr (as ClientOptions::transport is) stays alive until its
  // queued requests have run; one that is not must outlive them itself.
  std::shared_ptr<HttpTransport> owner = weak_from_this().lock();
  auto shared_done = std::make_shared<HttpCallback>(std::move(done));
  std::function<void()> job = [this, owner = std::move(owner), request = std::move(request), shared_done,
                               start_at] {
    std::this_thread::sleep_until(start_at);
    Result<HttpResponse> result = internal::make_error(ErrorCategory::kTransport, "send() threw");
    try {
      result = send(request);
    } catch (const std::exception& e) {
      result = internal::make_error(ErrorCategory::kTransport, std::string("send() threw: ") + e.what());
    } catch (...) {
    }
    (*shared_done)(std::move(result));
  };
  bool queued = false;
  try {
    queued = default_async_executor().try_submit(job);
  } catch (const std::exception&) {
    // No thread could be started: reported like a full queue.
  }
  if (queued) return;
  Error error = internal::make_error(
      ErrorCategory::kTransport, "not sent: the default send_async() executor is full (" +
                                     std::to_string(kDefaultAsyncThreads) + " requests running, " +
                                     std::to_string(kDefaultAsyncQueue) + " waiting)");
  error.retryable = true;  // nothing left this process
  (*shared_done)(std::move(error));
}

const char* to_string(HttpMethod method) noexcept {
  switch (method) {
    case HttpMethod::kGet: return "GET";
    case HttpMethod::kPost: return "POST";
    case HttpMethod::kPut: return "PUT";
    case HttpMethod::kDelete: return "DELETE";
  }
  return "GET";
}

const std::string* find_header(const HttpHeaders& headers, std::string_view name) noexcept {
  for (const auto& [key, value] : headers) {
    if (internal::iequals(key, name)) return &value;
  }
  return nullptr;
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall
