#include <privacycall/webhook/push_outcome.hpp>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

std::string_view to_string(PushKind kind) noexcept {
  switch (kind) {
    case PushKind::kCallEvent: return "call_event";
    case PushKind::kXModeCallin: return "x_mode_callin";
    case PushKind::kFee: return "fee";
    case PushKind::kNumberStatus: return "number_status";
    case PushKind::kSms: return "sms";
    case PushKind::kSmsBlock: return "sms_block";
    case PushKind::kUnknown: return "unknown";
  }
  return "unknown";
}

std::string_view to_string(PushOutcome outcome) noexcept {
  switch (outcome) {
    case PushOutcome::kDelivered: return "delivered";
    case PushOutcome::kDuplicate: return "duplicate";
    case PushOutcome::kQueued: return "queued";
    case PushOutcome::kUnhandled: return "unhandled";
    case PushOutcome::kFallback: return "fallback";
    case PushOutcome::kFailed: return "failed";
    case PushOutcome::kUnavailable: return "unavailable_503";
  }
  return "failed";
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook
