#include <privacycall/webhook/metrics.hpp>

#include "webhook/prometheus_text.hpp"

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN
namespace {

constexpr PushKind kKinds[] = {PushKind::kCallEvent, PushKind::kXModeCallin, PushKind::kFee,
                               PushKind::kNumberStatus, PushKind::kSms, PushKind::kSmsBlock,
                               PushKind::kUnknown};
constexpr PushOutcome kOutcomes[] = {PushOutcome::kDelivered, PushOutcome::kDuplicate, PushOutcome::kQueued,
                                     PushOutcome::kUnhandled, PushOutcome::kFallback, PushOutcome::kFailed,
                                     PushOutcome::kUnavailable};

bool is_block(PushKind kind) { return kind == PushKind::kXModeCallin || kind == PushKind::kSmsBlock; }

// Whether the dispatcher can give this outcome to this kind: Block pushes are never queued,
// and only they fall back. Series that can happen are written even at zero, so that a rate
// over them starts with the process rather than with the first such push.
bool can_happen(PushKind kind, PushOutcome outcome) {
  if (outcome == PushOutcome::kQueued) return !is_block(kind);
  if (outcome == PushOutcome::kFallback) return is_block(kind);
  return true;
}

void write_pushes(internal::PrometheusText& text, const PushCounts& pushes) {
  constexpr std::string_view name = "privacycall_webhook_pushes_total";
  text.family(name, "counter", "Pushes that passed verification and parsing, by kind and outcome.");
  for (const PushKind kind : kKinds) {
    for (const PushOutcome outcome : kOutcomes) {
      const std::uint64_t count = pushes(kind, outcome);
      if (count == 0 && !can_happen(kind, outcome)) continue;
      text.sample(name, {{"kind", to_string(kind)}, {"outcome", to_string(outcome)}}, count);
    }
  }
}

void write_rejected(internal::PrometheusText& text, const DispatcherStats::Rejected& rejected) {
  constexpr std::string_view name = "privacycall_webhook_rejected_total";
  text.family(name, "counter", "Requests refused before reaching a handler, by reason.");
  const auto reason = [&](std::string_view why, std::uint64_t count) { text.sample(name, {{"reason", why}}, count); };
  reason("method_not_allowed", rejected.method_not_allowed);
  reason("not_found", rejected.not_found);
  reason("too_large", rejected.too_large);
  reason("malformed_body", rejected.malformed_body);
  reason("store_unavailable", rejected.store_unavailable);
  const VerifierStats::Refused& s = rejected.signature;
  reason(to_string(VerifyFailure::kMissingAuthorization), s.missing_authorization);
  reason(to_string(VerifyFailure::kBadAuthorization), s.bad_authorization);
  reason(to_string(VerifyFailure::kSchemeNotAccepted), s.scheme_not_accepted);
  reason(to_string(VerifyFailure::kMissingToken), s.missing_token);
  reason(to_string(VerifyFailure::kMalformedToken), s.malformed_token);
  reason(to_string(VerifyFailure::kMalformedCreated), s.malformed_created);
  reason(to_string(VerifyFailure::kUnknownApp), s.unknown_app);
  reason(to_string(VerifyFailure::kBadDigest), s.bad_digest);
  reason(to_string(VerifyFailure::kStale), s.stale);
  reason(to_string(VerifyFailure::kReplayed), s.replayed);
}

void write_queue(internal::PrometheusText& text, const PushQueueStats& queue) {
  text.single("privacycall_webhook_queue_depth", "gauge", "Queued pushes not yet acknowledged.", queue.depth);
  text.single("privacycall_webhook_queue_pending", "gauge",
              "Queued pushes taken by a worker and not yet acknowledged.", queue.pending);
  text.single("privacycall_webhook_queue_dead_lettered", "gauge",
              "Queued pushes set aside after too many failed deliveries.", queue.dead_lettered);
}

}  // namespace

std::string metrics_text(const DispatcherStats& stats, const std::optional<PushQueueStats>& queue) {
  std::string out;
  out.reserve(8192);
  internal::PrometheusText text(out);
  write_pushes(text, stats.pushes);
  write_rejected(text, stats.rejected);
  text.histogram("privacycall_webhook_handle_seconds", "Time the dispatcher took to answer a request.",
                 stats.handle_latency);
  text.single("privacycall_webhook_block_handlers_running", "gauge",
              "Block handlers running now, late ones included.", stats.block_handlers_running);
  text.single("privacycall_webhook_block_handlers_abandoned_total", "counter",
              "Block handlers still running when the dispatcher closed.", stats.block_handlers_abandoned);
  if (queue) write_queue(text, *queue);
  return out;
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook
