#ifndef PRIVACYCALL_WEBHOOK_SERVER_HPP
#define PRIVACYCALL_WEBHOOK_SERVER_HPP

/// @file
/// privacycall::webhook_server: the Dispatcher mounted on an HTTP(S) server (cpp-httplib, kept
/// out of this header), with operations endpoints (health, readiness, metrics) and a graceful
/// drain.

#include <privacycall/abi.hpp>
#include <privacycall/result.hpp>
#include <privacycall/webhook/dispatcher.hpp>
#include <privacycall/webhook/log.hpp>
#include <privacycall/webhook/ops_options.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// Certificate and key for HTTPS (PEM files). The platform's SMS pushes are HTTPS-only.
struct TlsFiles {
  std::string certificate_chain_file;  ///< Server certificate followed by intermediates, PEM
  std::string private_key_file;        ///< The certificate's private key, PEM, unencrypted
};

/// Settings of a WebhookServer.
struct WebhookServerOptions {
  /// Address to bind: "127.0.0.1", "::1", "0.0.0.0", "::" ... Loopback by default so nothing
  /// is exposed by accident; put a reverse proxy in front or bind publicly on purpose.
  std::string host = "127.0.0.1";
  /// Port; 0 picks a free one (see WebhookServer::port()).
  std::uint16_t port = 0;
  /// Serve HTTPS with these files; plain HTTP when absent.
  std::optional<TlsFiles> tls;
  /// Largest request body, after any Content-Encoding is undone. A larger declared
  /// Content-Length gets 413 before the body is read; a chunked or compressed body gets 413 as
  /// soon as it grows past the limit. A POST with neither Content-Length nor chunked encoding
  /// gets 411. Each of these closes its connection after the answer.
  std::size_t max_body_bytes = std::size_t{1} << 20;
  /// Per-read and per-write socket timeouts: a client that sends or reads nothing for that long
  /// is dropped. A POST body must also arrive whole within read_timeout of its head (408
  /// otherwise); a request head has only the per-read timeout.
  std::chrono::seconds read_timeout{10};
  std::chrono::seconds write_timeout{10};  ///< See read_timeout
  /// Size of the thread pool, which is also how many connections are served at once: each
  /// connection holds one thread from its first request until it closes, including while it
  /// idles between keep-alive requests (up to keep_alive_timeout). A connection beyond that
  /// count is accepted and waits, its requests unanswered, until a thread frees. Size it for
  /// the connections you expect at once (the platform's concurrent pushes, or your reverse
  /// proxy's upstream keep-alive connections) plus the handlers that may be slow. A thread
  /// costs its stack's reserved address space and little memory until used.
  std::size_t threads = 64;
  /// Requests per keep-alive connection before the server closes it.
  std::size_t keep_alive_max_count = 100000;
  /// Idle time after which a keep-alive connection is closed, freeing its thread.
  std::chrono::seconds keep_alive_timeout{5};
  /// Listen backlog (connections the kernel queues before accept). Push bursts after an
  /// outage come all at once; the library's built-in 5 would drop them.
  int listen_backlog = 1024;
  /// Path answering GET with 200 `{"status":"ok"}` while the process serves (liveness: also
  /// while draining); empty disables it. Served with the operations endpoints: on
  /// OpsOptions::port when that is set.
  std::string health_path = "/healthz";
  /// Readiness and metrics endpoints, off by default.
  OpsOptions ops;
  /// Receives HTTP-layer failures (unexpected exceptions, oversized bodies); empty: no logging.
  LogHook log;
};

/// Counters of the server on top of the dispatcher's.
struct WebhookServerStats {
  DispatcherStats dispatcher;       ///< The dispatcher's own counters
  std::uint64_t health_checks = 0;  ///< GET requests answered on health_path
  std::uint64_t http_errors = 0;  ///< 4xx/5xx produced by the HTTP layer (bad request line, 413)
  std::uint64_t draining_refused = 0;  ///< pushes answered 503 because the server was draining
  std::uint64_t in_flight = 0;         ///< pushes being read or handled now
};

/// An HTTP(S) server feeding a Dispatcher: cpp-httplib's server, one pool thread per open
/// connection (see WebhookServerOptions::threads). start() binds and serves on background
/// threads; drain() stops taking pushes and waits for those in flight; stop() stops accepting,
/// lets in-flight requests finish, then returns.
///
/// Shutting down gracefully (on SIGTERM, say): drain(grace), then Dispatcher::stop() (the
/// queue's worker finishes its current delivery; undelivered entries stay queued for the next
/// start or another replica), then stop().
class WebhookServer {
 public:
  /// A server feeding @p dispatcher; nothing is bound until start().
  WebhookServer(std::shared_ptr<Dispatcher> dispatcher, WebhookServerOptions options = {});
  /// Stops gracefully if still running.
  ~WebhookServer();
  WebhookServer(const WebhookServer&) = delete;
  WebhookServer& operator=(const WebhookServer&) = delete;

  /// Binds, listens and starts serving (the ops server too, when OpsOptions::port is set).
  /// Returns the bound port (useful with port 0). A transport Error when an address cannot be
  /// bound or the TLS files are unusable. Calling it twice is an error.
  Result<std::uint16_t> start();

  /// Stops taking pushes, and waits up to `grace` for those in flight to be answered. At once
  /// the readiness endpoint answers 503 `draining` and the listening socket closes (new
  /// connections are refused); a push arriving afterwards on a connection already open gets
  /// 503 and its connection closes (the platform pushes it again later). Health, readiness
  /// and metrics stay reachable on the ops server (OpsOptions::port) until stop(); on the
  /// webhook port only over connections still open (cpp-httplib 0.11 serves one more request
  /// on an idle one, newer releases close idle ones at once). Returns true when no push was
  /// left in flight, false when `grace` ran out first (those pushes are still being handled;
  /// stop() waits for them). Idempotent.
  bool drain(std::chrono::milliseconds grace);

  /// Stops accepting connections (readiness answers 503 from here on), waits for in-flight
  /// requests to be answered and every connection to close, stops the ops server, then
  /// returns. A connection waiting for the rest of a request
  /// delays the return by up to read_timeout; an idle keep-alive connection by up to
  /// keep_alive_timeout with cpp-httplib 0.11 (newer releases close it at once).
  /// Idempotent.
  void stop();

  /// The bound port (0 before start()).
  std::uint16_t port() const noexcept;
  /// The port of the operations endpoints: the ops server's with OpsOptions::port, else the
  /// webhook port (0 before start()).
  std::uint16_t ops_port() const noexcept;
  /// True between a successful start() and stop().
  bool running() const noexcept;
  /// What the readiness endpoint answers now: running, not draining, and the readiness check
  /// passes.
  bool ready() const;

  /// A snapshot of the counters since construction.
  WebhookServerStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook

#endif  // PRIVACYCALL_WEBHOOK_SERVER_HPP
