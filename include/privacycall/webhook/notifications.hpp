#ifndef PRIVACYCALL_WEBHOOK_NOTIFICATIONS_HPP
#define PRIVACYCALL_WEBHOOK_NOTIFICATIONS_HPP

/// @file
/// The notifications the platform pushes to the customer: call events, CDR batches, X-number
/// status changes and SMS events, as plain value types. See parse.hpp for turning a request
/// body into one of them.
///
/// Every field the documentation marks optional, unclear or "[NOT FOUND]" is a std::optional:
/// the platform's pages disagree between versions, and a receiver must never reject a push
/// because a field it does not need is missing. Phone numbers are kept as the platform sent
/// them (the documented examples mask digits with `*`), never validated.

#include <privacycall/abi.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// A time as the platform wrote it, and its meaning when it could be read. Call-event and CDR
/// times are UTC `yyyy-MM-dd HH:mm:ss`; SMS `timeStamp` is ISO-8601 UTC with milliseconds.
struct WireTime {
  /// The text exactly as received.
  std::string raw;
  /// The instant, or nullopt when `raw` is not one of the known UTC layouts.
  std::optional<std::chrono::system_clock::time_point> time;
};

/// Reads `yyyy-MM-dd HH:mm:ss`, `yyyy-MM-ddTHH:mm:ss`, either with an optional fraction
/// (`.450`) and an optional trailing `Z`, as UTC. Anything else (offsets, other layouts,
/// impossible dates) gives nullopt.
std::optional<std::chrono::system_clock::time_point> parse_wire_time(std::string_view text);

/// What happened on the call (`eventType` of a call event).
enum class CallEventType {
  kCallIn,       ///< `callin`: the caller reached X (X mode Block: the platform asks where to route)
  kCallOut,      ///< `callout`: the platform started the forwarded leg
  kAlerting,     ///< `alerting`: the far end is ringing
  kAnswer,       ///< `answer`: the far end answered
  kDisconnect,   ///< `disconnect`: the call was released; `state_code` says why
  kCollectInfo,  ///< `collectInfo`: AXE extension digits collected
  kOther,        ///< a value this SDK does not know; see CallEvent::event_type
};

/// The wire name of a known event type ("callin", ...); "other" for kOther.
std::string_view to_string(CallEventType type) noexcept;

/// N1: one call event. Every statusInfo member is optional (the docs never show which are
/// required per event and mode).
struct CallEvent {
  /// `eventType` decoded; kOther for values this SDK does not know.
  CallEventType type = CallEventType::kOther;
  /// `eventType` exactly as received (kept so unknown types are not lost).
  std::string event_type;

  std::optional<WireTime> timestamp;           ///< `timestamp`, UTC
  std::optional<std::string> session_id;       ///< `sessionId`, joins events, CDRs and recordings
  std::optional<std::string> caller;           ///< `caller`, global format (may be masked)
  std::optional<std::string> called;           ///< `called`
  std::optional<std::string> subscription_id;  ///< `subscriptionId`, the binding
  std::optional<int> state_code;               ///< `stateCode` (disconnect), see codes.hpp
  std::optional<std::string> state_desc;       ///< `stateDesc`
  std::optional<std::string> user_data;        ///< `userData`
  /// `notifyMode` (X mode): "Block" means the platform waits for a routing answer.
  std::optional<std::string> notify_mode;
  std::optional<std::string> digit_info;       ///< `digitInfo` (AXE collectInfo)
  std::optional<int> call_rel_direction;       ///< `callRelDirection`: 1 caller, 2 callee released
  /// statusInfo members this SDK does not know (e.g. the X city code whose name the docs do not
  /// show), as the text of a JSON object; empty when there were none.
  std::string extra_fields;

  /// True for an X-mode `callin` whose notifyMode is Block: it must be answered with a route.
  bool is_block_callin() const noexcept;
};

/// One CDR (`feeLst[]` element, notifications.md §6.2). Every documented FeeInfo field.
struct FeeRecord {
  std::optional<int> direction;                     ///< `direction`: mode-specific, 2 = abnormal
  std::optional<std::string> sp_id;                 ///< `spId`
  std::optional<std::string> app_key;               ///< `appKey`
  std::optional<std::string> icid;                  ///< `icid`, unique call-record id
  std::optional<std::string> bind_num;              ///< `bindNum`, the privacy number X
  std::optional<std::string> session_id;            ///< `sessionId`
  std::optional<std::string> caller_num;            ///< `callerNum`
  std::optional<std::string> callee_num;            ///< `calleeNum`
  std::optional<std::string> fwd_display_num;       ///< `fwdDisplayNum`
  std::optional<std::string> fwd_dst_num;           ///< `fwdDstNum`, the real callee
  std::optional<WireTime> call_in_time;             ///< `callInTime`
  std::optional<WireTime> fwd_start_time;           ///< `fwdStartTime`
  std::optional<WireTime> fwd_alerting_time;        ///< `fwdAlertingTime`
  std::optional<WireTime> fwd_answer_time;          ///< `fwdAnswerTime` (absent: never connected)
  std::optional<WireTime> call_end_time;            ///< `callEndTime`
  std::optional<int> fwd_unasw_rsn;                 ///< `fwdUnaswRsn`, Q.850
  std::optional<WireTime> fail_time;                ///< `failTime`
  std::optional<int> ul_fail_reason;                ///< `ulFailReason`, teardown point
  std::optional<int> sip_status_code;               ///< `sipStatusCode`
  std::optional<int> call_out_unasw_rsn;            ///< `callOutUnaswRsn`, Q.850
  std::optional<int> record_flag;                   ///< `recordFlag`: 0 no, 1 recorded
  std::optional<WireTime> record_start_time;        ///< `recordStartTime`
  std::optional<std::string> record_object_name;    ///< `recordObjectName` (download fileName)
  std::optional<std::string> record_bucket_name;    ///< `recordBucketName`
  std::optional<std::string> record_domain;         ///< `recordDomain`
  std::optional<std::string> record_file_download_url;  ///< `recordFileDownloadUrl`
  std::optional<int> tts_play_times;                ///< `ttsPlayTimes`
  std::optional<int> tts_trans_duration;            ///< `ttsTransDuration`
  std::optional<std::string> mpty_id;               ///< `mptyId`
  std::optional<std::string> service_type;          ///< `serviceType`, e.g. "003"
  std::optional<std::string> host_name;             ///< `hostName`
  std::optional<std::string> subscription_id;       ///< `subscriptionId`
  std::optional<std::string> extend_num;            ///< `extendNum` (AXE)
  std::optional<std::string> user_data;             ///< `userData` (X mode)
  std::optional<std::string> notify_mode;           ///< `notifyMode` ("Block" marks X mode)
  std::optional<int> call_rel_direction;            ///< `callRelDirection`
  /// `callDuration`: its type is not documented, so it is kept as text (numbers as digits).
  std::optional<std::string> call_duration;
  /// Members this SDK does not know, as the text of a JSON object; empty when none.
  std::string extra_fields;

  /// Billable talk time: callEndTime - fwdAnswerTime, when both were readable and ordered.
  std::optional<std::chrono::seconds> talk_duration() const;
};

/// N2: a CDR batch (`eventType` "fee"), at most 50 records.
struct FeeNotification {
  std::vector<FeeRecord> records;  ///< `fee`: the CDRs, in the order received
};

/// X-number status (`numInfo[].status`, codes.md §5).
enum class NumberStatus {
  kNormal,         ///< "5"
  kPaused,         ///< "9": binding, calls and SMS unavailable
  kUnavailable,    ///< "10": unavailable, `cause` says why
  kBindingFrozen,  ///< "11": no new bindings; existing ones keep working
  kUnknown,        ///< any other value
};

/// Why an X number is unavailable (`numInfo[].cause`, codes.md §5).
enum class NumberStatusCause {
  kDeleted,                  ///< "1"
  kArrears,                  ///< "2"
  kSuspended,                ///< "3"
  kCallRestricted,           ///< "5": call-restricted by the carrier
  kRestrictionLifted,        ///< "6"
  kUnconditionalForwarding,  ///< "7"
  kNoAnswerForwarding,       ///< "8"
  kBusyForwarding,           ///< "9"
  kUnknown,                  ///< any other value
};

/// One `numInfo` entry.
struct NumberStatusEntry {
  std::optional<std::string> number;       ///< the X number
  std::optional<std::string> status_code;  ///< `status` as received ("9")
  std::optional<std::string> cause_code;   ///< `cause` as received, when present
  NumberStatus status = NumberStatus::kUnknown;  ///< `status` decoded; kUnknown for other codes
  std::optional<NumberStatusCause> cause;  ///< set when `cause` was present
};

/// N3: X-number status changes (`eventType` "numStatus"), at most 100 entries.
struct NumberStatusNotification {
  std::vector<NumberStatusEntry> entries;  ///< `numInfo`: one entry per number
};

/// N4: an SMS event (no `eventType`; `appKey` + `smsEvent`).
struct SmsNotification {
  std::optional<std::string> app_key;            ///< `appKey`
  std::optional<std::string> sms_identifier;     ///< `smsIdentifier`, one per (merged) SMS
  /// `notificationMode`: "Notify" (answer empty 200) or "Block" (answer with actions).
  std::optional<std::string> notification_mode;
  std::optional<std::string> calling;            ///< `calling`, the real sender
  std::optional<std::string> called;             ///< `called`, present after a forward
  std::optional<std::string> virtual_number;     ///< `virtualNumber`, the X number
  /// `event`: the docs show "TextSMS" and "Text SMS " (with spaces); do not switch on it.
  std::optional<std::string> event;
  std::optional<WireTime> time_stamp;            ///< `timeStamp`, ISO-8601 UTC with ms
  std::optional<std::string> subscription_id;    ///< `subscriptionId`
  std::optional<std::string> sms_content;        ///< `smsContent`, only when enabled
  /// `extInfo.extParas` as (key, value) pairs, in order (e.g. splitNum, direction).
  std::vector<std::pair<std::string, std::string>> ext_params;
  std::optional<int> send_result;                ///< `sendResult`: 0 success
  /// smsEvent members this SDK does not know, as the text of a JSON object; empty when none.
  std::string extra_fields;

  /// True when notificationMode is Block: the push must be answered with actions.
  bool is_block() const noexcept;
};

/// A well-formed JSON object of a kind this SDK does not know, kept verbatim.
struct UnknownNotification {
  /// `eventType` when there was one (as text).
  std::optional<std::string> event_type;
  /// The request body exactly as received.
  std::string raw_json;
};

/// Any push the platform sends.
using Notification = std::variant<CallEvent, FeeNotification, NumberStatusNotification,
                                  SmsNotification, UnknownNotification>;

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook

#endif  // PRIVACYCALL_WEBHOOK_NOTIFICATIONS_HPP
