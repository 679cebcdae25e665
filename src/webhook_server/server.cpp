#include <privacycall/webhook/server.hpp>

#include "internal/httplib_tuning.hpp"
#include "webhook/log_internal.hpp"

#include <httplib.h>

#include <dirent.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

namespace privacycall::webhook {
namespace {

Error transport_error(std::string message) {
  Error error;
  error.category = ErrorCategory::kTransport;
  error.message = std::move(message);
  return error;
}

// The port a socket is bound to locally, 0 when it is not an IPv4/IPv6 socket.
std::uint16_t local_port(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
  if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  return 0;
}

bool socket_option_is(int fd, int option, int expected) {
  int value = 0;
  socklen_t length = sizeof value;
  return ::getsockopt(fd, SOL_SOCKET, option, &value, &length) == 0 && value == expected;
}

// cpp-httplib 0.11.4 waits for a keep-alive connection's next request in 10 ms polls until
// keep_alive_timeout has passed, and notices stop() only then: one idle client would hold
// stop() for the whole timeout. The library does not say which sockets it accepted, so this
// finds them among the process's descriptors (TCP, not listening, bound locally to the
// server's port) and shuts down the reading side of those with no bytes waiting. The wait
// then ends at once and the connection closes; a reply still being written is unaffected. A
// request whose bytes are still arriving is cut off, which the platform treats like any
// failed push: it pushes again.
void end_keep_alive_waits(std::uint16_t port) {
#ifdef __linux__
  DIR* directory = ::opendir("/proc/self/fd");
  if (directory == nullptr) return;
  while (const dirent* entry = ::readdir(directory)) {
    char* end = nullptr;
    const long number = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || number == ::dirfd(directory)) continue;
    const int fd = static_cast<int>(number);
    struct stat status {};
    if (::fstat(fd, &status) != 0 || !S_ISSOCK(status.st_mode)) continue;
    if (!socket_option_is(fd, SO_TYPE, SOCK_STREAM) || !socket_option_is(fd, SO_ACCEPTCONN, 0)) continue;
    if (local_port(fd) != port) continue;
    int pending = 0;
    if (::ioctl(fd, FIONREAD, &pending) == 0 && pending == 0) ::shutdown(fd, SHUT_RD);
  }
  ::closedir(directory);
#else
  (void)port;  // elsewhere stop() waits up to keep_alive_timeout for idle connections
#endif
}

}  // namespace

struct WebhookServer::Impl {
  std::shared_ptr<Dispatcher> dispatcher;
  WebhookServerOptions options;
  std::unique_ptr<httplib::Server> http;
  std::thread listener;
  std::mutex lifecycle;  // serialises start()/stop()
  std::atomic<bool> running{false};
  std::atomic<std::uint16_t> port{0};
  std::atomic<std::uint64_t> health_checks{0};
  std::atomic<std::uint64_t> http_errors{0};
  // Requests between their headers being read and their reply being written; stop() waits
  // for none to be left before it ends the keep-alive waits (see end_keep_alive_waits()).
  std::atomic<int> in_progress{0};
  std::mutex quiet_mutex;
  std::condition_variable quiet;

  // Called by the library on the worker thread once a request's headers are read.
  void request_began() {
    counted_on_this_thread = true;
    in_progress.fetch_add(1);
  }

  // Called on the same thread after the reply is written, and also for requests the library
  // refused before request_began() (hence the thread's flag).
  void reply_written() {
    if (!counted_on_this_thread) return;
    counted_on_this_thread = false;
    if (in_progress.fetch_sub(1) == 1) {
      std::lock_guard<std::mutex> lock(quiet_mutex);
      quiet.notify_all();
    }
  }

  // Waits, at most `limit`, until no request is between its headers and its reply.
  void wait_until_quiet(std::chrono::milliseconds limit) {
    std::unique_lock<std::mutex> lock(quiet_mutex);
    quiet.wait_for(lock, limit, [this] { return in_progress.load() == 0; });
  }

  static thread_local bool counted_on_this_thread;

  void log(LogLevel level, const std::string& message) const {
    internal::emit(options.log, level, message);
  }

  void serve(const httplib::Request& req, httplib::Response& res) {
    if (!options.health_path.empty() && req.path == options.health_path &&
        (req.method == "GET" || req.method == "HEAD")) {
      health_checks.fetch_add(1);
      res.status = 200;
      res.set_content(R"({"status":"ok"})", "application/json");
      return;
    }
    WebhookRequest request;
    request.method = req.method;
    request.path = req.path;
    // Only the headers the dispatcher reads (its verifier's): the library adds four of its own
    // to every request, and copying all of them would be most of this function's allocations.
    for (const char* name : {"Authorization", "X-AKSK", "X-WSSE"}) {
      const auto range = req.headers.equal_range(name);  // case-insensitive in cpp-httplib
      for (auto it = range.first; it != range.second; ++it) request.headers.add(it->first, it->second);
    }
    request.body = req.body;
    WebhookReply reply = dispatcher->handle(request);
    res.status = reply.status;
    std::string content_type = "text/plain";
    for (const auto& [name, value] : reply.headers.fields()) {
      if (name == "Content-Type") {
        content_type = value;
      } else {
        res.set_header(name.c_str(), value);
      }
    }
    if (reply.body.empty()) {
      // A 200 with an empty body is exactly what the platform expects for Notify pushes.
      res.body.clear();
    } else {
      res.set_content(reply.body, content_type.c_str());
    }
  }
};

thread_local bool WebhookServer::Impl::counted_on_this_thread = false;

WebhookServer::WebhookServer(std::shared_ptr<Dispatcher> dispatcher, WebhookServerOptions options)
    : impl_(std::make_unique<Impl>()) {
  if (!dispatcher) throw std::invalid_argument("WebhookServer needs a Dispatcher");
  impl_->dispatcher = std::move(dispatcher);
  impl_->options = std::move(options);
}

WebhookServer::~WebhookServer() { stop(); }

Result<std::uint16_t> WebhookServer::start() {
  Impl& s = *impl_;
  std::lock_guard<std::mutex> lock(s.lifecycle);
  if (s.http) return transport_error("webhook server already started");

  std::unique_ptr<httplib::Server> http;
  if (s.options.tls) {
    auto tls = std::make_unique<httplib::SSLServer>(
        s.options.tls->certificate_chain_file.c_str(), s.options.tls->private_key_file.c_str());
    if (!tls->is_valid()) {
      return transport_error("cannot load the TLS certificate chain or private key");
    }
    http = std::move(tls);
  } else {
    http = std::make_unique<httplib::Server>();
  }

  privacycall::internal::HttpServerTuning tuning;
  tuning.threads = s.options.threads;
  tuning.backlog = s.options.listen_backlog;
  tuning.keep_alive_max_count = s.options.keep_alive_max_count;
  const auto listening_fd = privacycall::internal::tune_http_server(*http, tuning);
  http->set_payload_max_length(s.options.max_body_bytes);
  http->set_read_timeout(s.options.read_timeout);
  http->set_write_timeout(s.options.write_timeout);
  http->set_keep_alive_timeout(static_cast<time_t>(s.options.keep_alive_timeout.count()));
  // Every method and path goes to the dispatcher, which answers 405/404 itself. (A
  // pre-routing handler would run before the library reads the body, so it cannot be used.)
  const httplib::Server::Handler serve = [&s](const httplib::Request& req,
                                              httplib::Response& res) { s.serve(req, res); };
  http->Get(".*", serve);
  http->Post(".*", serve);
  http->Put(".*", serve);
  http->Patch(".*", serve);
  http->Delete(".*", serve);
  http->Options(".*", serve);
  http->set_pre_routing_handler([&s](const httplib::Request&, httplib::Response&) {
    s.request_began();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http->set_logger([&s](const httplib::Request&, const httplib::Response&) { s.reply_written(); });
  http->set_exception_handler(
      [&s](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        s.log(LogLevel::kError, "unexpected exception while serving a request");
        res.status = 500;
        res.set_content(R"({"resultcode":"","resultdesc":"internal error"})",
                        "application/json;charset=UTF-8");
      });
  http->set_error_handler([&s](const httplib::Request&, httplib::Response& res) {
    // Statuses the HTTP layer produced itself (bad request line, 413 for an oversized body,
    // 414 ...); replies of the dispatcher already carry a body.
    if (res.body.empty() && res.status >= 400) {
      s.http_errors.fetch_add(1);
      if (res.status == 413) s.log(LogLevel::kWarning, "refused a request: body too large");
      res.set_content(R"({"resultcode":"","resultdesc":"request refused by the HTTP layer"})",
                      "application/json;charset=UTF-8");
    }
  });

  int port = -1;
  if (s.options.port == 0) {
    port = http->bind_to_any_port(s.options.host);
  } else if (http->bind_to_port(s.options.host, s.options.port)) {
    port = s.options.port;
  }
  if (port <= 0) {
    return transport_error("cannot bind " + s.options.host + " port " +
                           std::to_string(s.options.port) + ": " + std::strerror(errno));
  }
  if (!privacycall::internal::raise_backlog(*listening_fd, tuning.backlog)) {
    s.log(LogLevel::kWarning, "could not raise the listen backlog to " + std::to_string(tuning.backlog));
  }

  s.http = std::move(http);
  s.port.store(static_cast<std::uint16_t>(port));
  auto listener_done = std::make_shared<std::atomic<bool>>(false);
  httplib::Server* server = s.http.get();
  s.listener = std::thread([&s, server, listener_done] {
    if (!server->listen_after_bind()) s.log(LogLevel::kError, "the listener stopped on an error");
    listener_done->store(true);
  });
  // stop() only works once the library has entered its accept loop; waiting here makes
  // start(); stop(); safe. It takes microseconds.
  while (!server->is_running() && !listener_done->load()) std::this_thread::yield();
  s.running.store(true);
  s.log(LogLevel::kInfo, std::string(s.options.tls ? "HTTPS" : "HTTP") + " webhook server on " +
                             s.options.host + " port " + std::to_string(port));
  return static_cast<std::uint16_t>(port);
}

void WebhookServer::stop() {
  Impl& s = *impl_;
  std::lock_guard<std::mutex> lock(s.lifecycle);
  if (!s.http) return;
  // Closes the listening socket; the library then finishes the requests in progress (its
  // thread pool drains before listen_after_bind() returns).
  s.http->stop();
  // Requests already being read or answered finish first: shutting their sockets' reading
  // side would make the library drop their replies. The wait is bounded by keep_alive_timeout:
  // a handler slower than that loses its reply, and the platform pushes again.
  s.wait_until_quiet(std::chrono::duration_cast<std::chrono::milliseconds>(s.options.keep_alive_timeout));
  end_keep_alive_waits(s.port.load());
  if (s.listener.joinable()) s.listener.join();
  s.http.reset();
  s.running.store(false);
  s.log(LogLevel::kInfo, "webhook server stopped");
}

std::uint16_t WebhookServer::port() const noexcept { return impl_->port.load(); }

bool WebhookServer::running() const noexcept { return impl_->running.load(); }

WebhookServerStats WebhookServer::stats() const {
  WebhookServerStats stats;
  stats.dispatcher = impl_->dispatcher->stats();
  stats.health_checks = impl_->health_checks.load();
  stats.http_errors = impl_->http_errors.load();
  return stats;
}

}  // namespace privacycall::webhook
