#ifndef PRIVACYCALL_WEBHOOK_PUSH_OUTCOME_HPP
#define PRIVACYCALL_WEBHOOK_PUSH_OUTCOME_HPP

/// @file
/// What became of each push that passed verification and parsing, counted by kind and
/// outcome (DispatcherStats::pushes, the `privacycall_webhook_pushes_total` metric).

#include <privacycall/abi.hpp>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// The kind of a push, as the dispatcher routes it.
enum class PushKind {
  kCallEvent,     ///< a call event, except an X-mode Block `callin`
  kXModeCallin,   ///< an X-mode Block `callin`, answered with a routing decision
  kFee,           ///< a CDR batch
  kNumberStatus,  ///< an X-number status push
  kSms,           ///< an SMS Notify push
  kSmsBlock,      ///< an SMS Block push, answered with forward or discard
  kUnknown,       ///< well-formed JSON of a kind this SDK does not know
};

/// Number of PushKind values.
inline constexpr std::size_t kPushKindCount = 7;

/// What became of one push (or of one delivery attempt of a queued push).
enum class PushOutcome {
  kDelivered,    ///< a handler took it (a Block handler's answer was sent)
  kDuplicate,    ///< seen before: acknowledged (or answered as before) without calling a handler
  kQueued,       ///< written to the durable queue, answered 200; delivered later by its worker
  kUnhandled,    ///< no handler registered: acknowledged (Block: the fallback answer)
  kFallback,     ///< Block only: the handler threw, was late or answered invalidly; fallback sent
  kFailed,       ///< the handler (or a store) failed: answered 500, or retried by the queue
  kUnavailable,  ///< answered 503: in progress elsewhere, or the queue refused it
};

/// Number of PushOutcome values.
inline constexpr std::size_t kPushOutcomeCount = 7;

/// Stable lower-case name of a kind ("call_event", "x_mode_callin", "fee", "number_status",
/// "sms", "sms_block", "unknown"), as in the metrics and in `privacycall listen`'s lines.
std::string_view to_string(PushKind kind) noexcept;

/// Stable lower-case name of an outcome ("delivered", "duplicate", "queued", "unhandled",
/// "fallback", "failed", "unavailable_503").
std::string_view to_string(PushOutcome outcome) noexcept;

/// Pushes counted by kind and outcome.
struct PushCounts {
  /// counts[kind][outcome], indexed by the enums' values.
  std::array<std::array<std::uint64_t, kPushOutcomeCount>, kPushKindCount> counts{};

  /// The count of one kind and outcome.
  std::uint64_t operator()(PushKind kind, PushOutcome outcome) const noexcept {
    return counts[static_cast<std::size_t>(kind)][static_cast<std::size_t>(outcome)];
  }
  /// The count of one outcome over every kind.
  std::uint64_t total(PushOutcome outcome) const noexcept {
    std::uint64_t sum = 0;
    for (const auto& of_kind : counts) sum += of_kind[static_cast<std::size_t>(outcome)];
    return sum;
  }
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook

#endif  // PRIVACYCALL_WEBHOOK_PUSH_OUTCOME_HPP
