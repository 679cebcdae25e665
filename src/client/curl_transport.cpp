#include <privacycall/transport.hpp>

#include <curl/curl.h>

#include <algorithm>
#include <cstdlib>
#include <atomic>
#include <condition_variable>
#include <initializer_list>
#include <map>
#include <mutex>
#include <new>
#include <string_view>
#include <thread>
#include <vector>

#include "client/curl_compat.hpp"
#include "client/fulfilment_batch.hpp"
#include "common/make_error.hpp"

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN
namespace {

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct EasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

// A request's header lines as the curl_slist CURLOPT_HTTPHEADER reads, nodes and text in one
// allocation: curl_slist_append would make two per line (the node and a copy of the text),
// and the "name: value" lines would each be built in a string first. libcurl only reads the
// list, so it does not matter to it who made the nodes.
class HeaderList {
 public:
  HeaderList() = default;
  /// `headers` as "name: value" lines, then `last` (a line of its own).
  HeaderList(const HttpHeaders& headers, std::string_view last) {
    const std::size_t count = headers.size() + 1;
    std::size_t text_bytes = last.size() + 1;
    for (const auto& [name, value] : headers) text_bytes += name.size() + 2 + value.size() + 1;
    // operator new[] aligns for any object that fits, curl_slist included.
    block_.reset(new char[count * sizeof(curl_slist) + text_bytes]);
    char* text = block_.get() + count * sizeof(curl_slist);
    curl_slist* next = nullptr;
    // Built from the last node back, so that each node can point at the one after it.
    const auto add = [&](std::size_t index, std::initializer_list<std::string_view> parts) {
      char* line = text;
      for (const std::string_view part : parts) text = std::copy(part.begin(), part.end(), text);
      *text++ = '\0';
      next = new (block_.get() + index * sizeof(curl_slist)) curl_slist{line, next};
    };
    add(count - 1, {last});
    for (std::size_t i = headers.size(); i-- > 0;) add(i, {headers[i].first, ": ", headers[i].second});
    head_ = next;
  }
  curl_slist* get() const { return head_; }

 private:
  std::unique_ptr<char[]> block_;
  curl_slist* head_ = nullptr;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user);
std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user);

// One request in progress: everything libcurl points into must live as long as the transfer.
struct Transfer {
  HttpRequest request;
  HttpResponse response;
  std::size_t max_bytes = 0;
  bool overflow = false;
  int status = 0;  // of the latest status line, for HttpRequest::body_sink
  char error_buffer[CURL_ERROR_SIZE] = {0};
  HeaderList headers;
  EasyHandle easy;
  HttpCallback done;  // async only
  std::size_t running_slot = 0;  // async only: index in the engine's list of running transfers
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  if (transfer->request.body_sink && transfer->status >= 200 && transfer->status < 300) {
    return transfer->request.body_sink(data, bytes) ? bytes : 0;  // 0 aborts the transfer
  }
  if (transfer->response.body.size() + bytes > transfer->max_bytes) {
    transfer->overflow = true;
    return 0;  // makes libcurl abort with CURLE_WRITE_ERROR
  }
  transfer->response.body.append(data, bytes);
  return bytes;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  std::string_view line(data, bytes);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new status line (e.g. after 100 Continue): forget earlier headers.
    transfer->response.headers.clear();
    const std::size_t space = line.find(' ');
    transfer->status = space == std::string_view::npos ? 0 : std::atoi(std::string(line.substr(space + 1, 3)).c_str());
    return bytes;
  }
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return bytes;
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' ')) s.remove_suffix(1);
    return s;
  };
  transfer->response.headers.emplace_back(std::string(trim(line.substr(0, colon))),
                                          std::string(trim(line.substr(colon + 1))));
  return bytes;
}

// `request_sent`: whether any byte of the request was written (CURLINFO_REQUEST_SIZE).
Error transport_error(CURLcode code, const char* detail, bool overflow, bool request_sent) {
  Error error;
  error.category = ErrorCategory::kTransport;
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      error.category = ErrorCategory::kTimeout;
      // Timed out connecting (or before writing anything): the server cannot have the request.
      error.retryable = !request_sent;
      break;
    case CURLE_SSL_CONNECT_ERROR:
      error.retryable = !request_sent;  // the TLS handshake failed before the request
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

// Hands a transfer its outcome. HttpTransport::send_async's callback must not throw; should
// one do so anyway, the exception stops here instead of ending the loop thread (and with it
// the process, through std::terminate). The SDK's own callbacks catch and log what the
// application's callbacks throw before it gets this far.
void complete(Transfer& transfer, Result<HttpResponse> outcome) noexcept {
  try {
    transfer.done(std::move(outcome));
  } catch (...) {
  }
}

Error cancelled() {
  return internal::make_error(ErrorCategory::kTransport,
                              "cancelled: the client was destroyed before the request completed");
}

// What every handle of one transport shares: resolved names and TLS sessions, so that a new
// connection skips DNS and resumes TLS. Not the connection cache: libcurl before 8.x corrupts a
// shared connection cache used from several threads at once (its known bug "A shared
// connection cache is not thread-safe"; seen here as a crash of 32 threads using one Client).
// Pooled easy handles keep their own keep-alive connection instead, and the async multi handle
// has its own cache.
class SharedCache {
 public:
  SharedCache() : share_(curl_share_init()) {
    curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &SharedCache::lock);
    curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &SharedCache::unlock);
    curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  }
  ~SharedCache() { curl_share_cleanup(share_); }
  SharedCache(const SharedCache&) = delete;
  SharedCache& operator=(const SharedCache&) = delete;
  CURLSH* get() const { return share_; }

 private:
  static void lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<SharedCache*>(user)->mutexes_[index(data)].lock();
  }
  static void unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<SharedCache*>(user)->mutexes_[index(data)].unlock();
  }
  static std::size_t index(curl_lock_data data) {
    return static_cast<std::size_t>(data) < kLocks ? static_cast<std::size_t>(data) : 0;
  }
  static constexpr std::size_t kLocks = CURL_LOCK_DATA_LAST;
  CURLSH* share_;
  std::mutex mutexes_[kLocks];
};

// Pools easy handles, configures them and turns their outcome into a Result.
class EasyFactory {
 public:
  EasyFactory(CurlTransportOptions options, CURLSH* share) : options_(std::move(options)), share_(share) {}

  EasyHandle acquire() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!idle_.empty()) {
        EasyHandle easy = std::move(idle_.back());
        idle_.pop_back();
        return easy;
      }
    }
    EasyHandle easy(curl_easy_init());
    if (easy) set_fixed_options(easy.get(), share_);
    return easy;
  }

  void release(EasyHandle easy) {
    if (!easy) return;
    // Drop pointers into the finished transfer before the handle waits in the pool.
    curl_easy_setopt(easy.get(), CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(easy.get(), CURLOPT_ERRORBUFFER, nullptr);
    curl_easy_setopt(easy.get(), CURLOPT_POSTFIELDS, nullptr);
    std::lock_guard<std::mutex> lock(mutex_);
    if (idle_.size() < kMaxIdleHandles) idle_.push_back(std::move(easy));
  }

  /// Points the transfer's handle at its request; false when no handle could be made. Pooled
  /// handles keep the options every request shares (set once, in acquire()) and their live
  /// connection; only what differs per request is set here, which spares a curl_easy_reset
  /// and a dozen string copies per call.
  bool configure(Transfer& t) {
    t.easy = acquire();
    if (!t.easy) return false;
    t.max_bytes = options_.max_response_bytes;
    CURL* h = t.easy.get();
    curl_easy_setopt(h, CURLOPT_URL, t.request.url.c_str());
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, t.error_buffer);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(h, CURLOPT_PRIVATE, &t);
    const auto timeout = t.request.timeout.count() > 0 ? t.request.timeout : options_.request_timeout;
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    // Per request, as a pooled handle may serve a download that skips verification; libcurl
    // reuses a connection only for a request with the same verification settings.
    const bool verify = !t.request.insecure_skip_tls_verification;
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, verify && options_.tls.verify_peer ? 1L : 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, verify && options_.tls.verify_host ? 2L : 0L);

    // Back to a plain GET first: the previous request may have set a verb or a body.
    const HttpRequest& request = t.request;
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, nullptr);
    switch (request.method) {
      case HttpMethod::kGet:
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
    t.headers = HeaderList(request.headers, "Expect:");  // no 100-continue round trip for larger bodies
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, t.headers.get());
    // libcurl keeps copies of the URL and the header list holds the lines: both are freed
    // here, on the thread that made them, rather than on the loop thread when the transfer
    // ends (a free across threads takes the allocating thread's arena lock in glibc).
    std::string().swap(t.request.url);
    HttpHeaders().swap(t.request.headers);
    t.response.headers.reserve(8);
    return true;
  }

  /// The transfer's outcome; returns its handle to the pool.
  Result<HttpResponse> finish(Transfer& t, CURLcode code) {
    long status = 0;
    long request_bytes = 0;
    if (code == CURLE_OK) {
      curl_easy_getinfo(t.easy.get(), CURLINFO_RESPONSE_CODE, &status);
    } else {
      curl_easy_getinfo(t.easy.get(), CURLINFO_REQUEST_SIZE, &request_bytes);
    }
    release(std::move(t.easy));
    if (code != CURLE_OK) return transport_error(code, t.error_buffer, t.overflow, request_bytes > 0);
    t.response.status = static_cast<int>(status);
    return std::move(t.response);
  }

 private:
  // The options every request of this transport shares, set once per pooled handle.
  void set_fixed_options(CURL* h, CURLSH* share) const {
    curl_easy_setopt(h, CURLOPT_SHARE, share);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
    if (!options_.tls.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options_.tls.ca_file.c_str());
    if (!options_.tls.ca_path.empty()) curl_easy_setopt(h, CURLOPT_CAPATH, options_.tls.ca_path.c_str());
    if (!options_.proxy.empty()) curl_easy_setopt(h, CURLOPT_PROXY, options_.proxy.c_str());
    if (!options_.user_agent.empty()) curl_easy_setopt(h, CURLOPT_USERAGENT, options_.user_agent.c_str());
    internal::allow_only_http_and_https(h);
  }

  static constexpr std::size_t kMaxIdleHandles = 64;
  CurlTransportOptions options_;
  CURLSH* share_;  // owned by the transport's SharedCache, which outlives every handle
  std::mutex mutex_;
  std::vector<EasyHandle> idle_;
};

Error no_handle() { return internal::make_error(ErrorCategory::kTransport, "curl_easy_init failed"); }

// Runs async transfers on one multi handle from one background thread. Owned through a
// shared_ptr by the transport and by its own thread, so that the last Client may even be
// destroyed from a completion callback running on that thread.
class AsyncEngine : public std::enable_shared_from_this<AsyncEngine> {
 public:
  AsyncEngine(std::shared_ptr<EasyFactory> factory, std::shared_ptr<SharedCache> cache, int max_connections)
      : cache_(std::move(cache)), factory_(std::move(factory)), multi_(curl_multi_init()), waiter_(multi_) {
    curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(std::max(1, max_connections)));
  }

  ~AsyncEngine() { curl_multi_cleanup(multi_); }

  void start() {
    thread_ = std::thread([self = shared_from_this()] { self->run(); });
  }

  /// Queues a transfer whose handle is already configured (by the submitting thread, so that
  /// the loop thread only adds it to the multi handle).
  void submit(std::unique_ptr<Transfer> transfer, std::chrono::steady_clock::time_point start_at) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!stopping_) {
        incoming_.emplace_back(start_at, std::move(transfer));
        transfer = nullptr;
      }
    }
    if (transfer) {
      cancel(*transfer);
      return;
    }
    // Waking the loop costs a syscall; only needed when it is (about to be) waiting, and only
    // once per wait: the first submitter to see the flag takes it.
    if (waiting_.exchange(false, std::memory_order_acq_rel)) waiter_.wake();
  }

  void shutdown() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    waiter_.wake();
    if (std::this_thread::get_id() == thread_.get_id()) {
      thread_.detach();  // the thread holds a reference to this engine and finishes alone
    } else if (thread_.joinable()) {
      thread_.join();
    }
  }

 private:
  // The transfer completes as cancelled; its handle goes back to the pool.
  void cancel(Transfer& transfer) {
    factory_->release(std::move(transfer.easy));
    complete(transfer, cancelled());
  }

  void run() {
    std::multimap<std::chrono::steady_clock::time_point, std::unique_ptr<Transfer>> scheduled;
    // Owned while on the multi handle, found again through CURLINFO_PRIVATE; each transfer
    // knows its slot, so that adding and removing one allocates nothing.
    std::vector<Transfer*> running;
    Queue batch;  // swapped with incoming_, so that neither reallocates in the steady state
    const auto start = [&](std::unique_ptr<Transfer> transfer) {
      curl_multi_add_handle(multi_, transfer->easy.get());
      transfer->running_slot = running.size();
      running.push_back(transfer.release());
    };
    const auto take = [&](Transfer* transfer) {
      Transfer* last = running.back();
      running[transfer->running_slot] = last;
      last->running_slot = transfer->running_slot;
      running.pop_back();
      return std::unique_ptr<Transfer>(transfer);
    };
    while (true) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_) break;
        batch.swap(incoming_);
      }
      auto now = std::chrono::steady_clock::now();
      for (auto& [when, transfer] : batch) {
        if (when <= now) {
          start(std::move(transfer));  // most calls: no backoff, straight to the multi handle
        } else {
          scheduled.emplace(when, std::move(transfer));
        }
      }
      batch.clear();
      while (!scheduled.empty() && scheduled.begin()->first <= now) {
        start(std::move(scheduled.begin()->second));
        scheduled.erase(scheduled.begin());
      }
      int still_running = 0;
      curl_multi_perform(multi_, &still_running);
      {
        // Futures of this pass become ready together, when it ends: their waiter wakes once.
        internal::FulfilmentBatch futures_of_this_pass;
        int queued = 0;
        while (CURLMsg* message = curl_multi_info_read(multi_, &queued)) {
          if (message->msg != CURLMSG_DONE) continue;
          Transfer* key = nullptr;
          curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &key);
          const CURLcode code = message->data.result;
          curl_multi_remove_handle(multi_, message->easy_handle);
          std::unique_ptr<Transfer> transfer = take(key);
          complete(*transfer, factory_->finish(*transfer, code));
        }
      }
      std::chrono::milliseconds wait_for(1000);
      if (!scheduled.empty()) {
        const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(
            scheduled.begin()->first - std::chrono::steady_clock::now());
        wait_for = std::clamp(until, std::chrono::milliseconds(0), wait_for);
      }
      // Announce the wait before the last look at the queue, so that a submit racing with
      // it either is seen here or wakes the poll.
      waiting_.store(true, std::memory_order_seq_cst);
      bool work_queued = false;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        work_queued = !incoming_.empty() || stopping_;
      }
      if (!work_queued) waiter_.wait(wait_for);
      waiting_.store(false, std::memory_order_release);
    }
    // Stopping: every request not yet answered completes as cancelled.
    while (!running.empty()) {
      std::unique_ptr<Transfer> transfer = take(running.back());
      curl_multi_remove_handle(multi_, transfer->easy.get());
      cancel(*transfer);
    }
    for (auto& [when, transfer] : scheduled) cancel(*transfer);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      batch.swap(incoming_);
    }
    for (auto& [when, transfer] : batch) cancel(*transfer);
  }

  // Declared before the factory so that it is destroyed after the handles that use it.
  std::shared_ptr<SharedCache> cache_;
  std::shared_ptr<EasyFactory> factory_;
  CURLM* multi_;
  internal::MultiWaiter waiter_;  // after multi_, which it uses
  std::thread thread_;
  std::mutex mutex_;
  bool stopping_ = false;
  std::atomic<bool> waiting_{false};
  using Queue = std::vector<std::pair<std::chrono::steady_clock::time_point, std::unique_ptr<Transfer>>>;
  Queue incoming_;
};

class CurlTransport final : public HttpTransport {
 public:
  explicit CurlTransport(CurlTransportOptions options)
      : max_connections_(options.max_connections_per_host),
        cache_((global_init_once(), std::make_shared<SharedCache>())),
        factory_(std::make_shared<EasyFactory>(std::move(options), cache_->get())) {}

  ~CurlTransport() override {
    std::shared_ptr<AsyncEngine> engine;
    {
      std::lock_guard<std::mutex> lock(engine_mutex_);
      engine = std::move(engine_);
    }
    if (engine) engine->shutdown();
  }

  Result<HttpResponse> send(const HttpRequest& request) override {
    Transfer transfer;
    transfer.request = request;
    if (!factory_->configure(transfer)) return no_handle();
    const CURLcode code = curl_easy_perform(transfer.easy.get());
    return factory_->finish(transfer, code);
  }

  void send_async(HttpRequest request, HttpCallback done,
                  std::chrono::steady_clock::time_point start_at) override {
    auto transfer = std::make_unique<Transfer>();
    transfer->request = std::move(request);
    transfer->done = std::move(done);
    // Configured here, on the caller's thread: the loop thread is the bottleneck when many
    // calls are in flight, and the handle's setup does not need it.
    if (!factory_->configure(*transfer)) {
      transfer->done(no_handle());
      return;
    }
    engine()->submit(std::move(transfer), start_at);
  }

 private:
  std::shared_ptr<AsyncEngine> engine() {
    std::lock_guard<std::mutex> lock(engine_mutex_);
    if (!engine_) {
      engine_ = std::make_shared<AsyncEngine>(factory_, cache_, max_connections_);
      engine_->start();
    }
    return engine_;
  }

  int max_connections_;
  std::shared_ptr<SharedCache> cache_;
  std::shared_ptr<EasyFactory> factory_;
  std::mutex engine_mutex_;
  std::shared_ptr<AsyncEngine> engine_;
};

}  // namespace

std::shared_ptr<HttpTransport> make_curl_transport(CurlTransportOptions options) {
  return std::make_shared<CurlTransport>(std::move(options));
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall
