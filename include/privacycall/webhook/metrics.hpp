#ifndef PRIVACYCALL_WEBHOOK_METRICS_HPP
#define PRIVACYCALL_WEBHOOK_METRICS_HPP

/// @file
/// The receiver's counters in the Prometheus text exposition format (version 0.0.4), for a
/// `/metrics` endpoint. WebhookServer serves them itself when asked (OpsOptions); with another
/// HTTP server, answer GET /metrics with metrics_text() and kMetricsContentType.
///
/// Families written (every counter since the dispatcher was made):
///
/// - `privacycall_webhook_pushes_total{kind,outcome}`: pushes that passed verification and
///   parsing (PushKind, PushOutcome). A queued push counts as `queued` when it is answered and
///   again when the queue's worker delivers it (`delivered`, `duplicate`, or `failed` per
///   failed attempt).
/// - `privacycall_webhook_rejected_total{reason}`: requests refused before reaching a handler:
///   `method_not_allowed`, `not_found`, `too_large`, `malformed_body`, and the signature
///   check's reasons (`missing_authorization`, `bad_digest`, `stale`, `replayed`...).
/// - `privacycall_webhook_handle_seconds`: histogram of the time Dispatcher::handle() took,
///   every request included (LatencyHistogram::kBounds).
/// - `privacycall_webhook_block_handlers_running`, `..._block_handlers_abandoned_total`.
/// - With a queue: `privacycall_webhook_queue_depth`, `..._queue_pending`,
///   `..._queue_dead_lettered` (PushQueueStats).

#include <privacycall/abi.hpp>
#include <privacycall/webhook/dispatcher.hpp>
#include <privacycall/webhook/push_queue.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// Content-Type of the text metrics_text() writes.
inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

/// The dispatcher's counters, and the queue's levels when given, as Prometheus text.
std::string metrics_text(const DispatcherStats& stats, const std::optional<PushQueueStats>& queue = std::nullopt);

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook

#endif  // PRIVACYCALL_WEBHOOK_METRICS_HPP
