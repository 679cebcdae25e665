#include <privacycall/webhook/server.hpp>

#include "common/internal_export.hpp"
#include "common/make_error.hpp"
#include "common/text.hpp"
#include "webhook/log_internal.hpp"
#include "webhook/prometheus_text.hpp"
#include "webhook_server/httplib_tuning.hpp"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>

// The server is cpp-httplib's own, used through its public API: its thread pool serves each
// connection on one pool thread for as long as the connection stays open, parses every request
// and writes every answer. This file only decides, from a request's head, whether its body may
// be read, reads it within the limits, and answers.

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN
namespace {

Error transport_error(std::string message) {
  return privacycall::internal::make_error(ErrorCategory::kTransport, std::move(message));
}

constexpr const char* kErrorContentType = "application/json;charset=UTF-8";

// The platform-shaped JSON body of an answer the server gives itself; `why` is one of this
// file's fixed texts, so it needs no escaping.
std::string error_body(const char* why) {
  return std::string(R"({"resultcode":"","resultdesc":")") + why + R"("})";
}

// Sets `body` as the answer and has the library close the connection once it is written.
//
// A handler cannot close its connection through cpp-httplib's API, and cpp-httplib 0.11 goes on
// reading the same connection after an answer whatever its headers say: a body left unread
// would be parsed as the next request. What every version does is close a connection
// whose answer could not be written whole, and a content provider that returns false is one
// (the provider API's documented "cancel"). So the body goes through a provider that writes all
// of it and then cancels: the client gets the complete answer, then the close. "Connection:
// close" tells it not to reuse the connection.
void answer_and_close(httplib::Response& res, int status, const std::string& content_type, std::string body) {
  if (body.empty()) body = "\n";  // a provider is only called for a non-empty body
  res.status = status;
  res.set_header("Connection", "close");
  auto text = std::make_shared<const std::string>(std::move(body));
  res.set_content_provider(text->size(), content_type,
                           [text](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                             sink.write(text->data() + offset, std::min(length, text->size() - offset));
                             return false;
                           });
}

// A body follows the head: the request declares a length above zero or a transfer coding.
bool has_body(const httplib::Request& req) {
  if (req.has_header("Transfer-Encoding")) return true;
  const std::string length = req.get_header_value("Content-Length");
  return !length.empty() && length.find_first_not_of('0') != std::string::npos;
}

// Content-Length as a count of bytes; nullopt unless it is only digits (cpp-httplib reads
// "12abc" as 12, or garbage as 0, and would take the rest of the body for the next request).
std::optional<std::uint64_t> declared_length(const std::string& value) {
  if (value.empty() || value.size() > 19 || value.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoull(value);
}

struct Refusal {
  int status;
  const char* why;
};

// Binds `http` to host:port (0: a free port); the bound port, or a transport Error.
Result<std::uint16_t> bind_server(httplib::Server& http, const std::string& host, std::uint16_t port) {
  int bound = -1;
  if (port == 0) {
    bound = http.bind_to_any_port(host);
  } else if (http.bind_to_port(host, port)) {
    bound = port;
  }
  if (bound <= 0) {
    return transport_error("cannot bind " + host + " port " + std::to_string(port) + ": " + std::strerror(errno));
  }
  return static_cast<std::uint16_t>(bound);
}

// Runs the accept loop of a bound server on a thread of its own; returns once the loop runs:
// the library's stop() only works from then on, so start(); stop(); is safe. It takes
// microseconds.
std::thread serve_in_background(httplib::Server& http, const LogHook& log) {
  auto done = std::make_shared<std::atomic<bool>>(false);
  std::thread listener([&http, &log, done] {
    if (!http.listen_after_bind()) internal::emit(log, LogLevel::kError, "the listener stopped on an error");
    done->store(true);
  });
  while (!http.is_running() && !done->load()) std::this_thread::yield();
  return listener;
}

}  // namespace

struct PRIVACYCALL_HIDDEN WebhookServer::Impl {
  std::shared_ptr<Dispatcher> dispatcher;
  WebhookServerOptions options;
  std::unique_ptr<httplib::Server> http;
  std::thread listener;
  std::mutex lifecycle;  // serialises start()/stop()
  std::atomic<bool> running{false};
  std::atomic<std::uint16_t> port{0};
  std::atomic<std::uint64_t> health_checks{0};
  std::atomic<std::uint64_t> http_errors{0};

  // The ops server, with OpsOptions::port.
  std::unique_ptr<httplib::Server> ops_http;
  std::thread ops_listener;
  std::atomic<std::uint16_t> ops_port{0};

  // Draining: set by drain() or stop(), never cleared. `accepting` (under `lifecycle`) is
  // whether the listening socket is still open. Pushes being read or handled are counted in
  // `in_flight`; drain() waits on `drained` for the count to reach zero.
  std::atomic<bool> draining{false};
  bool accepting = false;
  std::atomic<std::uint64_t> in_flight{0};
  std::atomic<std::uint64_t> draining_refused{0};
  std::mutex drain_mutex;
  std::condition_variable drained;

  void log(LogLevel level, const std::string& message) const {
    internal::emit(options.log, level, message);
  }

  // Counts a push in flight for its lifetime. Incremented before serve_post() looks at
  // `draining`, which drain() sets before it reads the count (both sequentially consistent):
  // either the push sees the drain and is refused, or drain() sees the push and waits for it.
  class InFlight {
   public:
    explicit InFlight(Impl& s) : s_(s) { s_.in_flight.fetch_add(1); }
    ~InFlight() {
      // The lock only once draining: the hot path stays two atomic operations.
      if (s_.in_flight.fetch_sub(1) == 1 && s_.draining.load()) {
        std::lock_guard<std::mutex> lock(s_.drain_mutex);
        s_.drained.notify_all();
      }
    }
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;

   private:
    Impl& s_;
  };

  // Starts the ops server when OpsOptions::port asks for one (plain HTTP, a small pool: probes
  // and scrapes are few).
  Result<std::uint16_t> start_ops_server() {
    if (ops_on_webhook_port()) return std::uint16_t{0};
    auto server = std::make_unique<httplib::Server>();
    privacycall::internal::HttpServerTuning tuning;
    tuning.threads = 4;
    tuning.backlog = 64;
    tuning.keep_alive_max_count = 1000;
    privacycall::internal::tune_http_server(*server, tuning);
    server->set_read_timeout(options.read_timeout);
    server->set_write_timeout(options.write_timeout);
    server->set_keep_alive_timeout(static_cast<time_t>(options.keep_alive_timeout.count()));
    server->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      const bool close = has_body(req);
      if (!serve_ops(req, res, close)) answer(res, 404, kErrorContentType, error_body("no such endpoint"), close);
      return httplib::Server::HandlerResponse::Handled;
    });
    const Result<std::uint16_t> bound = bind_server(*server, options.ops.host, *options.ops.port);
    if (!bound) return bound;
    ops_http = std::move(server);
    ops_port.store(*bound);
    ops_listener = serve_in_background(*ops_http, options.log);
    log(LogLevel::kInfo, "operations endpoints on " + options.ops.host + " port " + std::to_string(*bound));
    return bound;
  }

  void stop_ops_server() {
    if (!ops_http) return;
    ops_http->stop();
    if (ops_listener.joinable()) ops_listener.join();
    ops_http.reset();
  }

  // True when the operations endpoints are served on the webhook port.
  bool ops_on_webhook_port() const { return !(options.ops.enabled && options.ops.port); }

  // Why the readiness endpoint answers 503, or nullptr when it answers 200.
  const char* unready_status() const {
    if (draining.load()) return "draining";
    if (!options.ops.readiness) return nullptr;
    try {
      return options.ops.readiness() ? nullptr : "not ready";
    } catch (...) {
      return "not ready";
    }
  }

  // The metrics page: the dispatcher's families, then the server's own.
  std::string metrics_page() const {
    std::optional<PushQueueStats> queue;
    const std::shared_ptr<PushQueue> own = options.ops.queue_gauges ? nullptr : dispatcher->queue();
    if (options.ops.queue_gauges || own) {
      try {
        queue = own ? own->stats() : options.ops.queue_gauges();
      } catch (const std::exception& e) {
        log(LogLevel::kWarning, std::string("metrics without the queue's levels: ") + e.what());
      } catch (...) {
        log(LogLevel::kWarning, "metrics without the queue's levels: the source threw");
      }
    }
    std::string page = metrics_text(dispatcher->stats(), queue);
    internal::PrometheusText text(page);
    text.single("privacycall_webhook_http_refused_total", "counter",
                "Requests the HTTP layer refused before the dispatcher saw them (framing, size, timeout).",
                http_errors.load());
    text.single("privacycall_webhook_draining_refused_total", "counter",
                "Pushes answered 503 because the server was draining.", draining_refused.load());
    text.single("privacycall_webhook_pushes_in_flight", "gauge", "Pushes being read or handled now.",
                in_flight.load());
    text.single("privacycall_webhook_ready", "gauge", "1 while the readiness endpoint answers 200, else 0.",
                unready_status() == nullptr ? 1 : 0);
    return page;
  }

  // Answers health, readiness and metrics requests; false for any other request.
  bool serve_ops(const httplib::Request& req, httplib::Response& res, bool close) {
    if (req.method != "GET" && req.method != "HEAD") return false;
    if (!options.health_path.empty() && req.path == options.health_path) {
      health_checks.fetch_add(1);
      answer(res, 200, "application/json", R"({"status":"ok"})", close);
      return true;
    }
    if (!options.ops.enabled) return false;
    if (!options.ops.ready_path.empty() && req.path == options.ops.ready_path) {
      const char* unready = unready_status();
      answer(res, unready ? 503 : 200, "application/json",
             std::string(R"({"status":")") + (unready ? unready : "ready") + R"("})", close);
      return true;
    }
    if (!options.ops.metrics_path.empty() && req.path == options.ops.metrics_path) {
      answer(res, 200, std::string(kMetricsContentType).c_str(), metrics_page(), close);
      return true;
    }
    return false;
  }

  // The checks on a POST's head, before any of its body is read; nullopt when the body may be
  // read. cpp-httplib would read a body without a length until the client closes (0.11), take
  // a garbled length for no body, and read and drop a body over the limit before refusing it.
  std::optional<Refusal> refuse_framing(const httplib::Request& req) const {
    if (req.has_header("Transfer-Encoding")) {
      // Both framings at once is how requests are smuggled past a proxy (RFC 9112, 6.3).
      if (req.has_header("Content-Length")) return Refusal{400, "both Content-Length and Transfer-Encoding"};
      if (!privacycall::internal::iequals(req.get_header_value("Transfer-Encoding"), "chunked")) {
        return Refusal{501, "only the chunked transfer coding is accepted"};
      }
      return std::nullopt;  // chunked: counted while it is read (serve_post())
    }
    if (!req.has_header("Content-Length")) {
      return Refusal{411, "a push needs Content-Length or chunked Transfer-Encoding"};
    }
    const auto length = declared_length(req.get_header_value("Content-Length"));
    if (!length) return Refusal{400, "malformed Content-Length"};
    if (*length > options.max_body_bytes) return Refusal{413, "body too large"};
    return std::nullopt;
  }

  // Runs once the request's head is read, before the library reads any body. Every method but
  // POST is answered from the head alone (health checks, or 405 from the dispatcher).
  httplib::Server::HandlerResponse before_body(const httplib::Request& req, httplib::Response& res) {
    if (req.method == "POST") {
      if (const auto refusal = refuse_framing(req)) {
        refuse(res, *refusal);
        return httplib::Server::HandlerResponse::Handled;
      }
      return httplib::Server::HandlerResponse::Unhandled;  // to serve_post()
    }
    serve_other(req, res, has_body(req));
    return httplib::Server::HandlerResponse::Handled;
  }

  // Health checks, and every method other than POST, which the dispatcher refuses (405). A
  // body such a request carries is never read: `close` closes its connection after the answer.
  void serve_other(const httplib::Request& req, httplib::Response& res, bool close) {
    if (ops_on_webhook_port() && serve_ops(req, res, close)) return;
    WebhookRequest request;
    request.method = req.method;
    request.path = req.path;
    write_reply(dispatcher->handle(request), res, close);
  }

  // A POST whose framing is acceptable: its body is read here, at most max_body_bytes of it
  // (counted after any Content-Encoding is undone) and within read_timeout of its head, then
  // handed to the dispatcher.
  void serve_post(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& read_body) {
    const InFlight counted(*this);
    if (draining.load()) {
      refuse_draining(res);
      return;
    }
    WebhookRequest request;
    request.method = req.method;
    request.path = req.path;
    // Only the headers the dispatcher reads (its verifier's): the library adds some of its own
    // to every request, and copying all of them would be most of this function's allocations.
    for (const char* name : {"Authorization", "X-AKSK", "X-WSSE"}) {
      const auto range = req.headers.equal_range(name);  // case-insensitive in cpp-httplib
      for (auto it = range.first; it != range.second; ++it) request.headers.add(it->first, it->second);
    }
    const std::size_t limit = options.max_body_bytes;
    if (const auto length = declared_length(req.get_header_value("Content-Length"))) {
      request.body.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(*length, limit)));
    }
    // The library's read timeout bounds each read; a client sending a byte now and then would
    // hold its thread for ever without a deadline on the whole body.
    const auto deadline = std::chrono::steady_clock::now() + options.read_timeout;
    bool too_large = false;
    bool too_slow = false;
    const bool complete = read_body([&](const char* data, std::size_t size) {
      if (size > limit - request.body.size()) {
        too_large = true;
        return false;
      }
      if (std::chrono::steady_clock::now() > deadline) {
        too_slow = true;
        return false;
      }
      request.body.append(data, size);
      return true;
    });
    if (!complete) {
      // The library's own limit (set_payload_max_length) answers 413 too.
      if (too_large || res.status == 413) {
        refuse(res, {413, "body too large"});
      } else if (too_slow) {
        refuse(res, {408, "the request body did not arrive within the read timeout"});
      } else {
        refuse(res, {400, "the request body could not be read"});
      }
      return;
    }
    write_reply(dispatcher->handle(request), res, false);
  }

  // An answer of the HTTP layer. What is left of a refused body is not read, so the connection
  // is closed after the answer.
  void refuse(httplib::Response& res, const Refusal& refusal) {
    http_errors.fetch_add(1);
    if (refusal.status == 413) log(LogLevel::kWarning, "refused a request: body too large");
    answer_and_close(res, refusal.status, kErrorContentType, error_body(refusal.why));
  }

  // A push arriving while the server drains: 503, so that the platform pushes it again (to
  // another replica, or to this one after its restart). Its body is not read.
  void refuse_draining(httplib::Response& res) {
    draining_refused.fetch_add(1);
    answer_and_close(res, 503, kErrorContentType, error_body("the receiver is shutting down; push again later"));
  }

  // Answers the HTTP layer gives without this file: a bad request line or header (400), a
  // target too long (414)... Their connection closes too: what follows may be the rest of them.
  void refuse_from_library(httplib::Response& res) {
    http_errors.fetch_add(1);
    answer_and_close(res, res.status, kErrorContentType, error_body("request refused by the HTTP layer"));
  }

  static void answer(httplib::Response& res, int status, const char* content_type, std::string body, bool close) {
    if (close) {
      answer_and_close(res, status, content_type, std::move(body));
      return;
    }
    res.status = status;
    res.set_content(std::move(body), content_type);
  }

  static void write_reply(const WebhookReply& reply, httplib::Response& res, bool close) {
    std::string content_type = "text/plain";
    for (const auto& [name, value] : reply.headers.fields()) {
      if (name == "Content-Type") {
        content_type = value;
      } else {
        res.set_header(name.c_str(), value);
      }
    }
    if (reply.body.empty() && !close) {
      // A 200 with an empty body is exactly what the platform expects for Notify pushes.
      res.status = reply.status;
      res.body.clear();
      return;
    }
    answer(res, reply.status, content_type.c_str(), reply.body, close);
  }
};

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
  tuning.threads = std::max<std::size_t>(1, s.options.threads);
  tuning.backlog = s.options.listen_backlog;
  tuning.keep_alive_max_count = std::max<std::size_t>(1, s.options.keep_alive_max_count);
  const auto listening_fd = privacycall::internal::tune_http_server(*http, tuning);
  http->set_payload_max_length(s.options.max_body_bytes);
  http->set_read_timeout(s.options.read_timeout);
  http->set_write_timeout(s.options.write_timeout);
  http->set_keep_alive_timeout(static_cast<time_t>(s.options.keep_alive_timeout.count()));
  // Every request but a POST is answered here from its head; a POST whose framing is
  // acceptable goes on to serve_post().
  http->set_pre_routing_handler(
      [&s](const httplib::Request& req, httplib::Response& res) { return s.before_body(req, res); });
  http->Post(".*", [&s](const httplib::Request& req, httplib::Response& res,
                        const httplib::ContentReader& read_body) { s.serve_post(req, res, read_body); });
  // A client that sent Expect: 100-continue waits to be invited to send its body: not for a
  // body that would be refused, nor for one that would not be read.
  http->set_expect_100_continue_handler([&s](const httplib::Request& req, httplib::Response& res) {
    if (req.method != "POST") {
      s.serve_other(req, res, true);  // the client may send its body after a while anyway
      return res.status;
    }
    if (s.draining.load()) {
      s.refuse_draining(res);
      return 503;
    }
    if (const auto refusal = s.refuse_framing(req)) {
      s.refuse(res, *refusal);
      return refusal->status;
    }
    return 100;
  });
  http->set_exception_handler([&s](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    s.log(LogLevel::kError, "unexpected exception while serving a request");
    answer_and_close(res, 500, kErrorContentType, error_body("internal error"));  // the body may be half read
  });
  // Called for every answer of status 400 or more before it is written. The ones that already
  // have a body are this file's; the others are the library's own.
  http->set_error_handler([&s](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty() && !res.has_header("Content-Type")) s.refuse_from_library(res);
  });
  // The library adds its own Connection and Keep-Alive headers to what a handler set: an
  // answer that closes its connection says so once and offers no keep-alive.
  http->set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    const auto connection = res.headers.equal_range("Connection");
    const bool closing = std::any_of(connection.first, connection.second,
                                     [](const auto& header) { return header.second == "close"; });
    if (!closing) return;
    res.headers.erase("Connection");
    res.headers.erase("Keep-Alive");
    res.set_header("Connection", "close");
  });

  // The ops server first: once the webhook port is bound, an error would leave its socket
  // bound (the library closes it only when its accept loop ends).
  if (auto started = s.start_ops_server(); !started) return std::move(started).error();
  const Result<std::uint16_t> port = bind_server(*http, s.options.host, s.options.port);
  if (!port) {
    s.stop_ops_server();
    return port;
  }
  if (!privacycall::internal::raise_backlog(*listening_fd, tuning.backlog)) {
    s.log(LogLevel::kWarning, "could not raise the listen backlog to " + std::to_string(tuning.backlog));
  }

  s.http = std::move(http);
  s.port.store(*port);
  if (s.ops_on_webhook_port()) s.ops_port.store(*port);
  s.draining.store(false);
  s.listener = serve_in_background(*s.http, s.options.log);
  s.accepting = true;
  s.running.store(true);
  s.log(LogLevel::kInfo, std::string(s.options.tls ? "HTTPS" : "HTTP") + " webhook server on " +
                             s.options.host + " port " + std::to_string(*port));
  return port;
}

bool WebhookServer::drain(std::chrono::milliseconds grace) {
  Impl& s = *impl_;
  {
    std::lock_guard<std::mutex> lock(s.lifecycle);
    if (s.accepting) {
      // Closes the listening socket at once; connections already open stay served (and
      // refuse pushes) until stop(). Before `draining` is set, so that a server seen not
      // ready no longer accepts connections.
      s.http->stop();
      s.accepting = false;
      s.log(LogLevel::kInfo, "webhook server draining: no longer accepting connections or pushes");
    }
    s.draining.store(true);
  }
  std::unique_lock<std::mutex> lock(s.drain_mutex);
  if (s.drained.wait_for(lock, grace, [&s] { return s.in_flight.load() == 0; })) return true;
  s.log(LogLevel::kWarning, std::to_string(s.in_flight.load()) + " push(es) still in flight after the " +
                                std::to_string(grace.count()) + " ms drain grace");
  return false;
}

void WebhookServer::stop() {
  Impl& s = *impl_;
  std::lock_guard<std::mutex> lock(s.lifecycle);
  if (!s.http) return;
  s.draining.store(true);
  // Closes the listening socket; the accept loop then ends once the pool has drained: each
  // connection's thread finishes the request it is serving and closes it. See the header for
  // how long an idle or a stalled connection can make that take.
  if (s.accepting) s.http->stop();
  s.accepting = false;
  if (s.listener.joinable()) s.listener.join();
  s.http.reset();
  s.stop_ops_server();
  s.running.store(false);
  s.log(LogLevel::kInfo, "webhook server stopped");
}

std::uint16_t WebhookServer::port() const noexcept { return impl_->port.load(); }

std::uint16_t WebhookServer::ops_port() const noexcept { return impl_->ops_port.load(); }

bool WebhookServer::running() const noexcept { return impl_->running.load(); }

bool WebhookServer::ready() const { return running() && impl_->unready_status() == nullptr; }

WebhookServerStats WebhookServer::stats() const {
  WebhookServerStats stats;
  stats.dispatcher = impl_->dispatcher->stats();
  stats.health_checks = impl_->health_checks.load();
  stats.http_errors = impl_->http_errors.load();
  stats.draining_refused = impl_->draining_refused.load();
  stats.in_flight = impl_->in_flight.load();
  return stats;
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook
