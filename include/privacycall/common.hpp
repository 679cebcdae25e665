#ifndef PRIVACYCALL_COMMON_HPP
#define PRIVACYCALL_COMMON_HPP

/// @file
/// Vocabulary shared by every binding mode.

#include <privacycall/abi.hpp>
#include <privacycall/coded.hpp>

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// A binding's ID as returned by bind; needed to modify, query and unbind it.
struct SubscriptionId {
  std::string value;  ///< `subscriptionId` as the platform returned it; opaque
  friend bool operator==(const SubscriptionId& a, const SubscriptionId& b) { return a.value == b.value; }
};

/// How strictly the platform must honour an area code when it picks a privacy number.
enum class AreaMatchMode {
  kStrict,  ///< "0": only numbers of that city; fail when none is free.
  kLoose,   ///< "1": prefer that city, then the same province, then any number of the app.
};

/// "Pick a privacy number of this city": the alternative to naming one.
struct AreaCode {
  /// Picks by @p city_code; @p mode is sent as `areaMatchMode` when given.
  explicit AreaCode(std::string city_code, std::optional<AreaMatchMode> mode = std::nullopt)
      : code(std::move(city_code)), match_mode(mode) {}

  /// City code such as "0755" or "010".
  std::string code;
  /// `areaMatchMode`; absent: not sent, the platform's default applies.
  std::optional<AreaMatchMode> match_mode;
};

/// Which way calls may go through a binding (`callDirection`).
enum class CallDirection {
  kBoth,             ///< 0: either party may call the other
  kCallerToCallee,   ///< 1: only A may call B
  kCalleeToCaller,   ///< 2: only B may call A
  kUnknown,          ///< an answer's code this SDK does not know; never sent (a validation Error)
};

/// The wire codes of CallDirection: makes Coded<CallDirection> work.
constexpr std::array<std::pair<CallDirection, int>, 3> wire_codes(CallDirection) {
  return {{
      {CallDirection::kBoth, 0},
      {CallDirection::kCallerToCallee, 1},
      {CallDirection::kCalleeToCaller, 2},
  }};
}

/// Longest call a binding may allow, counted from answer (`maxDuration`, AXB and AX).
inline constexpr std::chrono::minutes kMaxCallDuration{1440};  // 24 hours

/// What the called user's phone shows when someone else calls them through the privacy number
/// (AX `calleeNumDisplay`, AXE `displayNumMode`). Operators may block calls that do not show X.
enum class DisplayNumber {
  kPrivacyNumber,  ///< "0": the privacy number X
  kRealCaller,     ///< "1": the real caller's number
  kUnknown,        ///< an answer's code this SDK does not know; never sent (a validation Error)
};

/// The wire codes of DisplayNumber (sent as text, read from text or numbers): makes
/// Coded<DisplayNumber> work.
constexpr std::array<std::pair<DisplayNumber, int>, 2> wire_codes(DisplayNumber) {
  return {{
      {DisplayNumber::kPrivacyNumber, 0},
      {DisplayNumber::kRealCaller, 1},
  }};
}

/// Tones played before a call is answered (the platform's ApiPlayInfo). Values are names of
/// audio files approved on the console.
struct PreVoice {
  /// Played to A when A dials X (instead of the callee's ringback).
  std::optional<std::string> caller_hint_tone;
  /// AXB: played to B when B dials X. AX: played to anyone else who dials X.
  std::optional<std::string> callee_hint_tone;
};

/// The envelope every platform answer carries.
struct ApiResponse {
  /// "0" on success.
  std::string result_code;
  /// `resultdesc`: the platform's description of result_code.
  std::string result_desc;
  /// The platform's JSON answer verbatim, including fields this SDK does not model.
  std::string raw_json;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_COMMON_HPP
