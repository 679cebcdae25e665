#ifndef PRIVACYCALL_WEBHOOK_BLOCK_ANSWERS_HPP
#define PRIVACYCALL_WEBHOOK_BLOCK_ANSWERS_HPP

/// @file
/// The answers a receiver gives to Block pushes: the X-mode routing decision for a Block
/// `callin` (notifications.md §5) and the SMS Block actions (§8.5), with their JSON forms.

#include <privacycall/abi.hpp>
#include <privacycall/phone_number.hpp>
#include <privacycall/result.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// X mode `operation: connect` (ApiConnectInfo): place the call to `callee`.
struct XModeConnect {
  /// Connect to `callee_number`; set the optional members afterwards.
  explicit XModeConnect(PhoneNumber callee_number) : callee(std::move(callee_number)) {}

  /// `calleeNum`: the real callee (mandatory).
  PhoneNumber callee;
  /// `displayCalleeNum`: the number the callee sees; default (absent) is the call's X number.
  /// Carriers block calls showing anything other than this call's X number.
  std::optional<PhoneNumber> display_callee;
  /// `maxDuration`: talk-time limit counted from answer, 0..1440 minutes; 0 = no limit.
  std::chrono::minutes max_duration{0};
  /// `waitVoice`: approved tone file the caller hears while waiting; absent = real ringback.
  std::optional<std::string> wait_voice;
  /// `recordFlag`: record this call (sent as the string "true"/"false").
  std::optional<bool> record;
  /// `recordHintTone`: recording announcement; required in practice when recording.
  std::optional<std::string> record_hint_tone;
  /// `lastMinVoice`: tone played when one minute of max_duration remains.
  std::optional<std::string> last_minute_voice;
  /// `userData`: echoed in this call's later events and CDR.
  std::optional<std::string> user_data;
};

/// X mode `operation: close` (ApiCloseInfo): play an optional tone and release the call.
struct XModeClose {
  std::optional<std::string> close_hint_tone;  ///< `closeHintTone`
  std::optional<std::string> user_data;        ///< `userData`
};

/// How connectInfo/closeInfo are written. The docs declare an object; Huawei's Java demo sends
/// a one-element array. The object form is the default; the array form is a hedge in case a
/// deployment turns out to require it.
enum class XModeAnswerForm {
  kObject,          ///< `"connectInfo":{...}` as documented
  kJavaDemoArray,   ///< `"connectInfo":[{...}]` as in HostingVoiceEventImpl
};

/// The answer to an X-mode Block `callin`: connect or close.
struct XModeAnswer {
  /// What to do with the call; build with connect() or close().
  std::variant<XModeConnect, XModeClose> action;

  /// Connect the caller to `info.callee`.
  static XModeAnswer connect(XModeConnect info) { return XModeAnswer{std::move(info)}; }
  /// Release the call, optionally after a tone.
  static XModeAnswer close(XModeClose info = {}) { return XModeAnswer{std::move(info)}; }

  /// True when the answer connects the call, false when it releases it.
  bool is_connect() const noexcept { return action.index() == 0; }
};

/// Writes the answer's JSON body. A validation Error (never naming the numbers) when
/// max_duration is outside 0..1440 minutes or a tone file name is longer than 128 characters
/// or has characters other than letters, digits and `-_.@` (requests.md §1.6).
Result<std::string> serialize(const XModeAnswer& answer,
                              XModeAnswerForm form = XModeAnswerForm::kObject);

/// Reads an X-mode answer body in either form (object or one-element array). For tests and
/// simulators. A decode Error when it is not one, a validation Error when a number is invalid.
Result<XModeAnswer> parse_x_mode_answer(std::string_view body);

/// The answer to an SMS Block push: forward (`vNumberRoute`) or drop (`DiscardMessage`).
struct SmsBlockAnswer {
  /// `operation` of the answer.
  enum class Operation {
    kRoute,    ///< "vNumberRoute": forward the message to `called`
    kDiscard   ///< "DiscardMessage": drop the message
  };
  /// Forward or drop; drop unless set otherwise.
  Operation operation = Operation::kDiscard;
  /// `message.called`: where to forward (X mode: required in practice).
  std::optional<PhoneNumber> called;
  /// `message.calling`: the real sender; must equal the push's `calling`.
  std::optional<PhoneNumber> calling;
  /// `userData` (AX only): at most 256 printable ASCII characters, no `{` or `}`.
  std::optional<std::string> user_data;

  /// Forward the SMS to `called` as from `calling`.
  static SmsBlockAnswer route(PhoneNumber called, PhoneNumber calling);
  /// Forward along the binding without a message object (what Huawei's Java demo sends).
  static SmsBlockAnswer route_by_binding();
  /// Drop the SMS.
  static SmsBlockAnswer discard();
};

/// Writes `{"actions":[{"operation":...,"message":{...}}]}`. A validation Error when user_data
/// breaks the documented rules.
Result<std::string> serialize(const SmsBlockAnswer& answer);

/// Reads an SMS Block answer body (first action). For tests and simulators.
Result<SmsBlockAnswer> parse_sms_block_answer(std::string_view body);

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook

#endif  // PRIVACYCALL_WEBHOOK_BLOCK_ANSWERS_HPP
