#include <privacycall/webhook/server.hpp>

#include "webhook_server/httplib_tuning.hpp"
#include "common/make_error.hpp"
#include "webhook/log_internal.hpp"
#include "webhook_server/event_loop_server.hpp"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

namespace privacycall::webhook {
namespace {

Error transport_error(std::string message) {
  return privacycall::internal::make_error(ErrorCategory::kTransport, std::move(message));
}

}  // namespace

struct WebhookServer::Impl {
  std::shared_ptr<Dispatcher> dispatcher;
  WebhookServerOptions options;
  std::unique_ptr<httplib::Server> http;
  internal::EventLoopServer* event_loop = nullptr;  // `http` when serving plain HTTP
  std::thread listener;
  std::mutex lifecycle;  // serialises start()/stop()
  std::atomic<bool> running{false};
  std::atomic<std::uint16_t> port{0};
  std::atomic<std::uint64_t> health_checks{0};
  std::atomic<std::uint64_t> http_errors{0};

  void log(LogLevel level, const std::string& message) const {
    internal::emit(options.log, level, message);
  }

  bool is_health_check(const httplib::Request& req) const {
    return !options.health_path.empty() && req.path == options.health_path &&
           (req.method == "GET" || req.method == "HEAD");
  }

  // Runs once the request's headers are read, before the library reads any body: the only
  // point where a body can be refused unread. cpp-httplib 0.11.4 caps a body only by its
  // Content-Length: it would buffer a chunked body, or read one without a length (a PUT's,
  // PATCH's or DELETE's too) until the client closes, whatever its size, before anything
  // checks it. (POST bodies are capped in serve_post().)
  httplib::Server::HandlerResponse before_body(const httplib::Request& req, httplib::Response& res) {
    const bool chunked = req.has_header("Transfer-Encoding");
    if (req.method != "POST") {
      // Over HTTPS cpp-httplib's own loop cannot skip a body: it reads one with a length
      // (bounded by max_body_bytes) and routes the request to serve_other() as before.
      if (options.tls && !chunked && req.has_header("Content-Length") &&
          (req.method == "PUT" || req.method == "PATCH" || req.method == "DELETE")) {
        return httplib::Server::HandlerResponse::Unhandled;
      }
      // Answered from the head alone (health checks, or 405 from the dispatcher); a body is
      // never read. Over HTTP the event loop skips one with a length; a chunked one cannot be
      // skipped, so its connection ends with the answer.
      serve_other(req, res);
      if (chunked) close_after_answer(res);
      return httplib::Server::HandlerResponse::Handled;
    }
    if (chunked || req.has_header("Content-Length")) return httplib::Server::HandlerResponse::Unhandled;
    // Without either header cpp-httplib reads the body until the client closes.
    refuse(res, 411, "a push needs Content-Length or chunked Transfer-Encoding");
    return httplib::Server::HandlerResponse::Handled;
  }

  // Health checks, and every method other than POST, which the dispatcher refuses (405).
  void serve_other(const httplib::Request& req, httplib::Response& res) {
    if (is_health_check(req)) {
      health_checks.fetch_add(1);
      res.status = 200;
      res.set_content(R"({"status":"ok"})", "application/json");
      return;
    }
    WebhookRequest request;
    request.method = req.method;
    request.path = req.path;
    write_reply(dispatcher->handle(request), res);
  }

  // A POST whose framing is acceptable: its body is read here, at most max_body_bytes of it
  // (counted after any Content-Encoding is undone), then handed to the dispatcher.
  void serve_post(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& read_body) {
    WebhookRequest request;
    request.method = req.method;
    request.path = req.path;
    // Only the headers the dispatcher reads (its verifier's): the library adds four of its own
    // to every request, and copying all of them would be most of this function's allocations.
    for (const char* name : {"Authorization", "X-AKSK", "X-WSSE"}) {
      const auto range = req.headers.equal_range(name);  // case-insensitive in cpp-httplib
      for (auto it = range.first; it != range.second; ++it) request.headers.add(it->first, it->second);
    }
    const std::size_t limit = options.max_body_bytes;
    const std::string declared = req.get_header_value("Content-Length");
    request.body.reserve(std::min<std::size_t>(std::strtoull(declared.c_str(), nullptr, 10), limit));
    bool too_large = false;
    const bool complete = read_body([&](const char* data, std::size_t size) {
      if (size > limit - request.body.size()) {
        too_large = true;
        return false;
      }
      request.body.append(data, size);
      return true;
    });
    if (!complete) {
      // The library refuses a Content-Length above the limit itself (413).
      if (too_large || res.status == 413) {
        refuse_too_large(res);
      } else {
        refuse(res, 400, "the request body could not be read");
      }
      return;
    }
    write_reply(dispatcher->handle(request), res);
  }

  // An answer of the HTTP layer. What is left of a refused body is not read, so the connection
  // is closed after the answer.
  void refuse(httplib::Response& res, int status, const char* why) {
    close_after_answer(res);
    http_errors.fetch_add(1);
    res.status = status;
    set_error_body(res, why);
  }

  // 413, whether the body's declared length or its bytes passed max_body_bytes.
  void refuse_too_large(httplib::Response& res) {
    log(LogLevel::kWarning, "refused a request: body too large");
    refuse(res, 413, "body too large");
  }

  // Over HTTPS cpp-httplib 0.11.4 cannot close a connection from a handler: it keeps it open
  // and reads what is left of the body as further requests, refused line by line, until the
  // read or keep-alive timeout. The header tells the client not to reuse it either way.
  static void close_after_answer(httplib::Response& res) {
    res.set_header("Connection", "close");
    internal::EventLoopServer::close_connection_after_answer();
  }

  // The platform-shaped JSON body of an answer the server gives itself; `why` is one of this
  // file's fixed texts, so it needs no escaping.
  static void set_error_body(httplib::Response& res, const char* why) {
    res.set_content(std::string(R"({"resultcode":"","resultdesc":")") + why + R"("})",
                    "application/json;charset=UTF-8");
  }

  static void write_reply(const WebhookReply& reply, httplib::Response& res) {
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
  }

  privacycall::internal::HttpServerTuning tuning;
  tuning.threads = s.options.threads;
  tuning.backlog = s.options.listen_backlog;
  tuning.keep_alive_max_count = s.options.keep_alive_max_count;
  internal::EventLoopServer* event_loop = nullptr;
  if (!http) {
    internal::EventLoopServerOptions loop;
    loop.workers = s.options.threads;
    loop.max_buffered_bytes = s.options.max_buffered_bytes;
    loop.on_refused = [&s](int status) {
      s.http_errors.fetch_add(1);
      s.log(LogLevel::kWarning, "refused a request: status " + std::to_string(status));
    };
    auto plain = std::make_unique<internal::EventLoopServer>(std::move(loop));
    event_loop = plain.get();
    http = std::move(plain);
    // The event loop has workers of its own; the library's pool would only hand sockets over.
    tuning.threads = 0;
  }
  const auto listening_fd = privacycall::internal::tune_http_server(*http, tuning);
  http->set_payload_max_length(s.options.max_body_bytes);
  http->set_read_timeout(s.options.read_timeout);
  http->set_write_timeout(s.options.write_timeout);
  http->set_keep_alive_timeout(static_cast<time_t>(s.options.keep_alive_timeout.count()));
  // POSTs go to the dispatcher once their body is read within the limit; other methods are
  // answered before routing (health checks here, 405 from the dispatcher).
  http->set_pre_routing_handler(
      [&s](const httplib::Request& req, httplib::Response& res) { return s.before_body(req, res); });
  http->Post(".*", [&s](const httplib::Request& req, httplib::Response& res,
                        const httplib::ContentReader& read_body) { s.serve_post(req, res, read_body); });
  const httplib::Server::Handler serve_other = [&s](const httplib::Request& req, httplib::Response& res) {
    s.serve_other(req, res);
  };
  http->Put(".*", serve_other);  // HTTPS requests with a body (see before_body())
  http->Patch(".*", serve_other);
  http->Delete(".*", serve_other);
  // A client that sent Expect: 100-continue waits to be invited to send its body: not for a
  // body already known to be too large.
  http->set_expect_100_continue_handler([&s](const httplib::Request& req, httplib::Response& res) {
    if (std::strtoull(req.get_header_value("Content-Length").c_str(), nullptr, 10) <= s.options.max_body_bytes) {
      return 100;
    }
    s.refuse_too_large(res);
    return 413;
  });
  http->set_exception_handler(
      [&s](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        s.log(LogLevel::kError, "unexpected exception while serving a request");
        res.status = 500;
        Impl::set_error_body(res, "internal error");
        Impl::close_after_answer(res);  // the body may be half read
      });
  http->set_error_handler([&s](const httplib::Request&, httplib::Response& res) {
    // Statuses the HTTP layer produced itself (bad request line, 413 for an oversized body,
    // 414 ...); replies of the dispatcher already carry a body.
    if (res.body.empty() && res.status >= 400) {
      s.http_errors.fetch_add(1);
      if (res.status == 413) s.log(LogLevel::kWarning, "refused a request: body too large");
      Impl::set_error_body(res, "request refused by the HTTP layer");
    }
  });

  // cpp-httplib offers keep-alive on every answer it does not close itself; one a handler
  // closes (close_after_answer()) must not also carry "Keep-Alive: timeout=..., max=...".
  http->set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.get_header_value("Connection") == "close") res.headers.erase("Keep-Alive");
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
  s.event_loop = event_loop;
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
  // Closes the listening socket and waits for the accept loop to end. Over plain HTTP the
  // event loop then answers the requests in progress and closes every connection. Over HTTPS
  // the library's pool does that as it drains, noticing the stop only between requests: an
  // idle keep-alive connection keeps it waiting for up to keep_alive_timeout.
  s.http->stop();
  if (s.listener.joinable()) s.listener.join();
  if (s.event_loop) s.event_loop->close_connections();
  s.event_loop = nullptr;
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
