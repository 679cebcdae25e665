#ifndef PRIVACYCALL_WEBHOOK_OPS_OPTIONS_HPP
#define PRIVACYCALL_WEBHOOK_OPS_OPTIONS_HPP

/// @file
/// The operations endpoints of a WebhookServer: readiness and metrics (liveness is
/// WebhookServerOptions::health_path), on the webhook port or on a port of their own.

#include <privacycall/abi.hpp>
#include <privacycall/webhook/metrics.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// Whether the receiver can take pushes now: its shared stores answer, say. Called on every
/// readiness probe and metrics scrape, on server threads, possibly several at once: keep it
/// quick and thread-safe (a cached result of a recent ping). Throwing counts as not ready.
using ReadinessCheck = std::function<bool()>;

/// The queue's levels for the metrics; nullopt when there is no queue to report. Called on
/// every scrape, on server threads; throwing leaves the queue's lines out of that scrape.
using PushQueueStatsSource = std::function<std::optional<PushQueueStats>()>;

/// Settings of the operations endpoints. Off unless `enabled`.
struct OpsOptions {
  /// Serve ready_path and metrics_path.
  bool enabled = false;
  /// GET (or HEAD) answers 200 `{"status":"ready"}` while the server serves pushes and
  /// `readiness` passes; 503 with `{"status":"draining"}` once drain() or stop() began, or
  /// `{"status":"not ready"}` while `readiness` fails.
  std::string ready_path = "/readyz";
  /// GET answers the counters in the Prometheus text format (metrics.hpp), with the server's
  /// own families: `privacycall_webhook_http_refused_total`, `..._draining_refused_total`,
  /// `..._pushes_in_flight` and `..._ready`.
  std::string metrics_path = "/metrics";
  /// Serve the operations endpoints, WebhookServerOptions::health_path included, on a plain
  /// HTTP server of their own on this port (0 picks a free one: see WebhookServer::ops_port())
  /// instead of on the webhook port, so that probes and scrapes stay off the platform's path
  /// and the readiness endpoint still answers while the webhook port drains.
  std::optional<std::uint16_t> port;
  /// Address the ops server binds (with `port`).
  std::string host = "127.0.0.1";
  /// Consulted by ready_path; empty: ready whenever the server serves.
  ReadinessCheck readiness;
  /// The queue's levels; empty: those of the dispatcher's queue (Dispatcher::queue()), if it
  /// has one.
  PushQueueStatsSource queue_gauges;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook

#endif  // PRIVACYCALL_WEBHOOK_OPS_OPTIONS_HPP
