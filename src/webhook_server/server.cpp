#include <privacycall/webhook/server.hpp>

#include "common/internal_export.hpp"
#include "common/make_error.hpp"
#include "common/text.hpp"
#include "webhook/log_internal.hpp"
#include "webhook_server/httplib_tuning.hpp"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
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

  void log(LogLevel level, const std::string& message) const {
    internal::emit(options.log, level, message);
  }

  bool is_health_check(const httplib::Request& req) const {
    return !options.health_path.empty() && req.path == options.health_path &&
           (req.method == "GET" || req.method == "HEAD");
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
    if (is_health_check(req)) {
      health_checks.fetch_add(1);
      answer(res, 200, "application/json", R"({"status":"ok"})", close);
      return;
    }
    WebhookRequest request;
    request.method = req.method;
    request.path = req.path;
    write_reply(dispatcher->handle(request), res, close);
  }

  // A POST whose framing is acceptable: its body is read here, at most max_body_bytes of it
  // (counted after any Content-Encoding is undone) and within read_timeout of its head, then
  // handed to the dispatcher.
  void serve_post(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& read_body) {
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
  // Closes the listening socket; the accept loop then ends once the pool has drained: each
  // connection's thread finishes the request it is serving and closes it. See the header for
  // how long an idle or a stalled connection can make that take.
  s.http->stop();
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

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook
