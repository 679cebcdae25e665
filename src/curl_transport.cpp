#include <privacycall/transport.hpp>

#include <curl/curl.h>

#include <mutex>
#include <vector>

namespace privacycall {
namespace {

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct EasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using HeaderList = std::unique_ptr<curl_slist, SlistDeleter>;

// Collects the response; refuses bodies above the configured limit.
struct Sink {
  HttpResponse* response;
  std::size_t max_bytes;
  bool overflow = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const std::size_t bytes = size * count;
  if (sink->response->body.size() + bytes > sink->max_bytes) {
    sink->overflow = true;
    return 0;  // makes libcurl abort with CURLE_WRITE_ERROR
  }
  sink->response->body.append(data, bytes);
  return bytes;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const std::size_t bytes = size * count;
  std::string_view line(data, bytes);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new status line (e.g. after 100 Continue): forget earlier headers.
    sink->response->headers.clear();
    return bytes;
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return bytes;
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' ')) s.remove_suffix(1);
    return s;
  };
  sink->response->headers.emplace_back(std::string(trim(line.substr(0, colon))),
                                       std::string(trim(line.substr(colon + 1))));
  return bytes;
}

Error transport_error(CURLcode code, const char* detail, bool overflow) {
  Error error;
  error.category = ErrorCategory::kTransport;
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      error.category = ErrorCategory::kTimeout;
      break;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      // Nothing of the request can have reached the server: safe to send again, even a bind.
      error.retryable = true;
      break;
    default:
      break;
  }
  error.message = overflow ? std::string("response larger than the configured limit")
                           : std::string(curl_easy_strerror(code));
  if (!overflow && detail != nullptr && *detail != '\0') {
    error.message += ": ";
    error.message += detail;
  }
  return error;
}

class CurlTransport final : public HttpTransport {
 public:
  explicit CurlTransport(CurlTransportOptions options) : options_(std::move(options)) {
    global_init_once();
  }

  Result<HttpResponse> send(const HttpRequest& request) override {
    EasyHandle easy = acquire();
    if (!easy) {
      Error error;
      error.category = ErrorCategory::kTransport;
      error.message = "curl_easy_init failed";
      return error;
    }
    HttpResponse response;
    Sink sink{&response, options_.max_response_bytes};
    char error_buffer[CURL_ERROR_SIZE] = {0};

    // curl_easy_reset keeps the handle's live connection, so keep-alive survives reuse.
    curl_easy_reset(easy.get());
    CURL* h = easy.get();
    curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &sink);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
    const auto timeout = request.timeout.count() > 0 ? request.timeout : options_.request_timeout;
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, options_.tls.verify_peer ? 1L : 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, options_.tls.verify_host ? 2L : 0L);
    if (!options_.tls.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options_.tls.ca_file.c_str());
    if (!options_.tls.ca_path.empty()) curl_easy_setopt(h, CURLOPT_CAPATH, options_.tls.ca_path.c_str());
    if (!options_.proxy.empty()) curl_easy_setopt(h, CURLOPT_PROXY, options_.proxy.c_str());
    if (!options_.user_agent.empty()) curl_easy_setopt(h, CURLOPT_USERAGENT, options_.user_agent.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");

    switch (request.method) {
      case HttpMethod::kGet:
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
        break;
      case HttpMethod::kPost:
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        break;
      case HttpMethod::kPut:
      case HttpMethod::kDelete:
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, to_string(request.method));
        break;
    }
    if (request.method != HttpMethod::kGet &&
        (request.method != HttpMethod::kDelete || !request.body.empty())) {
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    }

    curl_slist* raw_list = nullptr;
    for (const auto& [name, value] : request.headers) {
      raw_list = curl_slist_append(raw_list, (name + ": " + value).c_str());
    }
    // No "Expect: 100-continue" round trip for larger bodies.
    raw_list = curl_slist_append(raw_list, "Expect:");
    HeaderList header_list(raw_list);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, header_list.get());

    const CURLcode code = curl_easy_perform(h);
    // The header list and error buffer die with this call; unhook them from the handle.
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
    if (code != CURLE_OK) {
      Error error = transport_error(code, error_buffer, sink.overflow);
      release(std::move(easy));
      return error;
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
    release(std::move(easy));
    return response;
  }

 private:
  EasyHandle acquire() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!idle_.empty()) {
        EasyHandle easy = std::move(idle_.back());
        idle_.pop_back();
        return easy;
      }
    }
    return EasyHandle(curl_easy_init());
  }

  void release(EasyHandle easy) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (idle_.size() < kMaxIdleHandles) idle_.push_back(std::move(easy));
  }

  static constexpr std::size_t kMaxIdleHandles = 64;
  CurlTransportOptions options_;
  std::mutex mutex_;
  std::vector<EasyHandle> idle_;
};

}  // namespace

std::shared_ptr<HttpTransport> make_curl_transport(CurlTransportOptions options) {
  return std::make_shared<CurlTransport>(std::move(options));
}

}  // namespace privacycall
