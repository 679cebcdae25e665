#ifndef PRIVACYCALL_WEBHOOK_NOTIFICATIONS_HPP
#define PRIVACYCALL_WEBHOOK_NOTIFICATIONS_HPP

/// @file
/// The notifications the platform pushes to the customer: call events, CDR batches, X-number
/// status changes and SMS events, as plain value types. See parse.hpp for turning a request
/// body into one of them.
///
/// Every field the documentation marks optional, unclear or "[NOT FOUND]" is a std::optional:
/// the platform's pages disagree between versions, and a receiver must never reject a push
/// because a field it does not need is missing. Coded fields are Coded<Enum>, which keeps a code
/// this SDK does not know; phone numbers are WireNumber, which keeps the text as sent (the
/// documented examples mask digits with `*`) beside the number when it is one.

#include <privacycall/abi.hpp>
#include <privacycall/coded.hpp>
#include <privacycall/common.hpp>
#include <privacycall/wire_number.hpp>

#include <array>
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
  kUnknown,      ///< a value this SDK does not know; Coded::raw() has it
};

/// The wire codes of CallEventType: makes Coded<CallEventType> work.
constexpr std::array<std::pair<CallEventType, std::string_view>, 6> wire_codes(CallEventType) {
  return {{
      {CallEventType::kCallIn, "callin"},
      {CallEventType::kCallOut, "callout"},
      {CallEventType::kAlerting, "alerting"},
      {CallEventType::kAnswer, "answer"},
      {CallEventType::kDisconnect, "disconnect"},
      {CallEventType::kCollectInfo, "collectInfo"},
  }};
}

/// The wire name of a known event type ("callin", ...); "unknown" for kUnknown.
std::string_view to_string(CallEventType type) noexcept;

/// Whether the platform waits for an answer (`notifyMode` of X-mode call events and CDRs,
/// `notificationMode` of SMS).
enum class NotifyMode {
  kNotify,   ///< `Notify`: answer with an empty 200
  kBlock,    ///< `Block`: the platform waits for a routing answer
  kUnknown,  ///< a value this SDK does not know
};

/// The wire codes of NotifyMode: makes Coded<NotifyMode> work.
constexpr std::array<std::pair<NotifyMode, std::string_view>, 2> wire_codes(NotifyMode) {
  return {{{NotifyMode::kNotify, "Notify"}, {NotifyMode::kBlock, "Block"}}};
}

/// Who released a call (`callRelDirection`).
enum class ReleasingParty {
  kCaller,   ///< 1
  kCallee,   ///< 2
  kUnknown,  ///< a value this SDK does not know
};

/// The wire codes of ReleasingParty: makes Coded<ReleasingParty> work.
constexpr std::array<std::pair<ReleasingParty, int>, 2> wire_codes(ReleasingParty) {
  return {{{ReleasingParty::kCaller, 1}, {ReleasingParty::kCallee, 2}}};
}

/// Which way a CDR's call went (`direction`), relative to the mode's A: in AXB A is the caller
/// number of the binding and the other party B; in AX and AXE, anyone else.
enum class CdrDirection {
  kToA,       ///< 0: the other party called A (AXB: B→A)
  kFromA,     ///< 1: A called the other party (AXB: A→B)
  kAbnormal,  ///< 2: an abnormal call, e.g. no binding data
  kUnknown,   ///< a value this SDK does not know (AXYB and X mode are not documented)
};

/// The wire codes of CdrDirection: makes Coded<CdrDirection> work.
constexpr std::array<std::pair<CdrDirection, int>, 3> wire_codes(CdrDirection) {
  return {{{CdrDirection::kToA, 0}, {CdrDirection::kFromA, 1}, {CdrDirection::kAbnormal, 2}}};
}

/// Whether a CDR's call was recorded (`recordFlag`).
enum class RecordingState {
  kNotRecorded,  ///< 0
  kRecorded,     ///< 1: the CDR names the recording
  kUnknown,      ///< a value this SDK does not know
};

/// The wire codes of RecordingState: makes Coded<RecordingState> work.
constexpr std::array<std::pair<RecordingState, int>, 2> wire_codes(RecordingState) {
  return {{{RecordingState::kNotRecorded, 0}, {RecordingState::kRecorded, 1}}};
}

/// The outcome of a forwarded SMS (`sendResult`); only success is documented.
enum class SmsSendResult {
  kSuccess,  ///< 0
  kUnknown,  ///< any other value: a failure whose meaning the docs do not give
};

/// The wire codes of SmsSendResult: makes Coded<SmsSendResult> work.
constexpr std::array<std::pair<SmsSendResult, int>, 1> wire_codes(SmsSendResult) {
  return {{{SmsSendResult::kSuccess, 0}}};
}

/// The numeric code tables of codes.md that are too long, and too different between doc
/// versions, to freeze as enums: a code of one of them keeps its number, and codes.hpp gives its
/// meaning. Distinct types keep a teardown point from being read as a hang-up cause.
enum class CauseTable {
  kHangupCause,    ///< `stateCode` of a disconnect (codes.md §1)
  kTeardownPoint,  ///< `ulFailReason` of a CDR (codes.md §2)
  kQ850Cause,      ///< `fwdUnaswRsn`, `callOutUnaswRsn` of a CDR (codes.md §3)
};

/// A code of the table `Table`, as the platform sent it.
template <CauseTable Table>
class CauseCode {
 public:
  /// The code @p raw of this table.
  explicit constexpr CauseCode(int raw) noexcept : raw_(raw) {}
  /// The code as sent; 0 means normal / not applicable.
  constexpr int raw() const noexcept { return raw_; }

  friend constexpr bool operator==(CauseCode a, CauseCode b) noexcept { return a.raw_ == b.raw_; }
  friend constexpr bool operator!=(CauseCode a, CauseCode b) noexcept { return a.raw_ != b.raw_; }

 private:
  int raw_;
};

/// A call event's `stateCode`; describe() and category() in codes.hpp.
using HangupCause = CauseCode<CauseTable::kHangupCause>;
/// A CDR's `ulFailReason`; describe() in codes.hpp.
using TeardownPoint = CauseCode<CauseTable::kTeardownPoint>;
/// A CDR's `fwdUnaswRsn` or `callOutUnaswRsn`; describe() in codes.hpp.
using Q850Cause = CauseCode<CauseTable::kQ850Cause>;

/// N1: one call event. Every statusInfo member is optional (the docs never show which are
/// required per event and mode).
struct CallEvent {
  /// `eventType`; kUnknown (with the text as raw()) for values this SDK does not know.
  Coded<CallEventType> event_type = CallEventType::kUnknown;

  std::optional<WireTime> timestamp;              ///< `timestamp`, UTC
  std::optional<std::string> session_id;          ///< `sessionId`, joins events, CDRs and recordings
  std::optional<WireNumber> caller;               ///< `caller`, global format (may be masked)
  std::optional<WireNumber> called;               ///< `called`
  std::optional<SubscriptionId> subscription_id;  ///< `subscriptionId`, the binding
  std::optional<HangupCause> state_code;          ///< `stateCode` (disconnect), see codes.hpp
  std::optional<std::string> state_desc;          ///< `stateDesc`
  std::optional<std::string> user_data;           ///< `userData`
  /// `notifyMode` (X mode): kBlock means the platform waits for a routing answer.
  std::optional<Coded<NotifyMode>> notify_mode;
  std::optional<std::string> digit_info;          ///< `digitInfo` (AXE collectInfo)
  std::optional<Coded<ReleasingParty>> call_rel_direction;  ///< `callRelDirection`
  /// statusInfo members this SDK does not know (e.g. the X city code whose name the docs do not
  /// show), as the text of a JSON object; empty when there were none.
  std::string extra_fields;

  /// True for an X-mode `callin` whose notifyMode is Block: it must be answered with a route.
  bool is_block_callin() const noexcept;
};

/// One CDR (`feeLst[]` element, notifications.md §6.2). Every documented FeeInfo field.
struct FeeRecord {
  std::optional<Coded<CdrDirection>> direction;     ///< `direction`
  std::optional<std::string> sp_id;                 ///< `spId`
  std::optional<std::string> app_key;               ///< `appKey`
  std::optional<std::string> icid;                  ///< `icid`, unique call-record id
  std::optional<WireNumber> bind_num;               ///< `bindNum`, the privacy number X
  std::optional<std::string> session_id;            ///< `sessionId`
  std::optional<WireNumber> caller_num;             ///< `callerNum`
  std::optional<WireNumber> callee_num;             ///< `calleeNum`
  std::optional<WireNumber> fwd_display_num;        ///< `fwdDisplayNum`
  std::optional<WireNumber> fwd_dst_num;            ///< `fwdDstNum`, the real callee
  std::optional<WireTime> call_in_time;             ///< `callInTime`
  std::optional<WireTime> fwd_start_time;           ///< `fwdStartTime`
  std::optional<WireTime> fwd_alerting_time;        ///< `fwdAlertingTime`
  std::optional<WireTime> fwd_answer_time;          ///< `fwdAnswerTime` (absent: never connected)
  std::optional<WireTime> call_end_time;            ///< `callEndTime`
  std::optional<Q850Cause> fwd_unasw_rsn;           ///< `fwdUnaswRsn`
  std::optional<WireTime> fail_time;                ///< `failTime`
  std::optional<TeardownPoint> ul_fail_reason;      ///< `ulFailReason`
  std::optional<int> sip_status_code;               ///< `sipStatusCode`, a plain SIP status
  std::optional<Q850Cause> call_out_unasw_rsn;      ///< `callOutUnaswRsn`
  std::optional<Coded<RecordingState>> record_flag;  ///< `recordFlag`
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
  std::optional<SubscriptionId> subscription_id;    ///< `subscriptionId`
  std::optional<std::string> extend_num;            ///< `extendNum` (AXE)
  std::optional<std::string> user_data;             ///< `userData` (X mode)
  std::optional<Coded<NotifyMode>> notify_mode;     ///< `notifyMode` (kBlock marks X mode)
  std::optional<Coded<ReleasingParty>> call_rel_direction;  ///< `callRelDirection`
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

/// The wire codes of NumberStatus: makes Coded<NumberStatus> work.
constexpr std::array<std::pair<NumberStatus, std::string_view>, 4> wire_codes(NumberStatus) {
  return {{
      {NumberStatus::kNormal, "5"},
      {NumberStatus::kPaused, "9"},
      {NumberStatus::kUnavailable, "10"},
      {NumberStatus::kBindingFrozen, "11"},
  }};
}

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

/// The wire codes of NumberStatusCause: makes Coded<NumberStatusCause> work.
constexpr std::array<std::pair<NumberStatusCause, std::string_view>, 8> wire_codes(NumberStatusCause) {
  return {{
      {NumberStatusCause::kDeleted, "1"},
      {NumberStatusCause::kArrears, "2"},
      {NumberStatusCause::kSuspended, "3"},
      {NumberStatusCause::kCallRestricted, "5"},
      {NumberStatusCause::kRestrictionLifted, "6"},
      {NumberStatusCause::kUnconditionalForwarding, "7"},
      {NumberStatusCause::kNoAnswerForwarding, "8"},
      {NumberStatusCause::kBusyForwarding, "9"},
  }};
}

/// One `numInfo` entry.
struct NumberStatusEntry {
  std::optional<WireNumber> number;  ///< `number`: the X number
  std::optional<Coded<NumberStatus>> status;  ///< `status`
  std::optional<Coded<NumberStatusCause>> cause;  ///< `cause`, when present
};

/// N3: X-number status changes (`eventType` "numStatus"), at most 100 entries.
struct NumberStatusNotification {
  std::vector<NumberStatusEntry> entries;  ///< `numInfo`: one entry per number
};

/// N4: an SMS event (no `eventType`; `appKey` + `smsEvent`).
struct SmsNotification {
  std::optional<std::string> app_key;            ///< `appKey`
  std::optional<std::string> sms_identifier;     ///< `smsIdentifier`, one per (merged) SMS
  /// `notificationMode`: kNotify (answer empty 200) or kBlock (answer with actions).
  std::optional<Coded<NotifyMode>> notification_mode;
  std::optional<WireNumber> calling;             ///< `calling`, the real sender
  std::optional<WireNumber> called;              ///< `called`, present after a forward
  std::optional<WireNumber> virtual_number;      ///< `virtualNumber`, the X number
  /// `event`: the docs show "TextSMS" and "Text SMS " (with spaces); do not switch on it.
  std::optional<std::string> event;
  std::optional<WireTime> time_stamp;            ///< `timeStamp`, ISO-8601 UTC with ms
  std::optional<SubscriptionId> subscription_id;  ///< `subscriptionId`
  std::optional<std::string> sms_content;        ///< `smsContent`, only when enabled
  /// `extInfo.extParas` as (key, value) pairs, in order (e.g. splitNum, direction).
  std::vector<std::pair<std::string, std::string>> ext_params;
  std::optional<Coded<SmsSendResult>> send_result;  ///< `sendResult`
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
