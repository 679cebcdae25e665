#ifndef PRIVACYCALL_WEBHOOK_CODES_HPP
#define PRIVACYCALL_WEBHOOK_CODES_HPP

/// @file
/// English meanings of the platform's code tables (codes.md): hang-up causes, teardown points,
/// Q.850 causes, REST API result codes and X-number status. Every lookup answers for any input;
/// unknown codes get a text that says so.

#include <privacycall/abi.hpp>
#include <privacycall/webhook/notifications.hpp>

#include <string_view>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// Groups of the categorised hang-up cause table (codes.md §1).
enum class HangupCauseCategory {
  kNormal,    ///< 0: connected and released normally
  kBinding,   ///< binding missing, expired or not matching
  kCaller,    ///< the caller hung up or dialled something unusable
  kNumber,    ///< the dialled X number does not exist
  kCallee,    ///< busy, no answer, rejected, unreachable ...
  kTenant,    ///< application/account configuration
  kControl,   ///< frequency, blacklist and policy controls
  kPlatform,  ///< platform-internal failures
  kNetwork,   ///< network or routing failures
  kUnknown,   ///< a code not in the categorised table
};

/// Stable lower-case name of a category ("callee", "control", ...).
std::string_view to_string(HangupCauseCategory category) noexcept;

/// Meaning of a call event's `stateCode` (codes.md §1). Codes only in the flat teardown list
/// (§2), which a receiver may still see in stateCode, fall back to that table's text.
/// Unknown codes give "Unknown hang-up cause".
std::string_view describe_hangup_cause(int state_code) noexcept;

/// Category of a `stateCode` in the categorised table; kUnknown when it is not listed there.
HangupCauseCategory hangup_cause_category(int state_code) noexcept;

/// Meaning of a CDR's `ulFailReason` (codes.md §2). 8104-8111 are not in the PrivateNumber
/// copy; their texts come from the sister VoiceCall table and say "(inferred)".
/// Unknown codes give "Unknown teardown point".
std::string_view describe_teardown_point(int ul_fail_reason) noexcept;

/// ITU-T Q.850 meaning of `fwdUnaswRsn` / `callOutUnaswRsn` (codes.md §3); the ITU text is used
/// because Huawei's labels are loose translations. Unknown codes give "Unknown Q.850 cause".
std::string_view describe_q850_cause(int cause) noexcept;

/// Huawei's own (translated) label for a Q.850 cause; "Unknown Q.850 cause" when unlisted.
std::string_view q850_huawei_label(int cause) noexcept;

/// describe_hangup_cause() of a call event's stateCode.
std::string_view describe(HangupCause cause) noexcept;
/// hangup_cause_category() of a call event's stateCode.
HangupCauseCategory category(HangupCause cause) noexcept;
/// describe_teardown_point() of a CDR's ulFailReason.
std::string_view describe(TeardownPoint point) noexcept;
/// describe_q850_cause() of a CDR's fwdUnaswRsn or callOutUnaswRsn.
std::string_view describe(Q850Cause cause) noexcept;

/// Text of a REST API `resultcode` (codes.md §4), e.g. "1012010". The table is incomplete in
/// the public docs; unknown codes give "Unknown result code".
std::string_view describe_result_code(std::string_view result_code) noexcept;

/// Meaning of a number status, e.g. "Paused: binding, calls and SMS unavailable".
std::string_view describe(NumberStatus status) noexcept;
/// Meaning of a cause, e.g. "Arrears".
std::string_view describe(NumberStatusCause cause) noexcept;

/// True when calls and SMS still work on the number (normal, or binding frozen).
bool calls_possible(NumberStatus status) noexcept;

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook

#endif  // PRIVACYCALL_WEBHOOK_CODES_HPP
