#ifndef PRIVACYCALL_WEBHOOK_PARSE_HPP
#define PRIVACYCALL_WEBHOOK_PARSE_HPP

/// @file
/// Turning a push's request body into a Notification.

#include <privacycall/abi.hpp>
#include <privacycall/result.hpp>
#include <privacycall/webhook/notifications.hpp>

#include <cstddef>
#include <string_view>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// Limits that keep hostile bodies cheap to refuse.
struct ParseLimits {
  /// Deepest nesting of arrays/objects accepted. The documented bodies nest 4 levels
  /// (smsEvent.extInfo.extParas[]); anything far deeper is garbage or an attack.
  std::size_t max_depth = 32;
  /// Most entries accepted in a list of records: `feeLst` (the platform sends at most 50 CDRs
  /// a push) and `numInfo` (at most 100). A typed record is far larger than its shortest JSON
  /// (`{}`), so without a bound a 1 MiB body of empty records would take about 800 MB to read.
  std::size_t max_list_entries = 1000;
};

/// Parses one push body.
///
/// Demultiplexes the way a shared URL must (notifications.md §1): `eventType` "fee" → CDR
/// batch, "numStatus" → number status, any other `eventType` with a `statusInfo` object (or a
/// known call-event type) → CallEvent, no `eventType` but an `smsEvent` object → SMS, any
/// other JSON object → UnknownNotification.
///
/// Tolerant of what the docs leave open: unknown members are ignored (or kept in
/// `extra_fields`), every member is optional except what identifies the kind, phone numbers are
/// never validated, a string holding a number is accepted where a number is expected and a
/// number where a string is expected (an unreadable number becomes nullopt).
///
/// A decode Error for: invalid JSON, a body that is not an object, nesting beyond
/// `limits.max_depth`, a `feeLst` or `numInfo` of more than `limits.max_list_entries` entries,
/// or a known member of the wrong shape (`statusInfo`/`smsEvent` not an object,
/// `feeLst`/`numInfo` not an array of objects, an object where a scalar is expected).
/// Error messages never quote the body (it holds phone numbers).
Result<Notification> parse_notification(std::string_view body, const ParseLimits& limits = {});

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook

#endif  // PRIVACYCALL_WEBHOOK_PARSE_HPP
