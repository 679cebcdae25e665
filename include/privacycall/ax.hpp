#ifndef PRIVACYCALL_AX_HPP
#define PRIVACYCALL_AX_HPP

/// @file
/// AX mode: A exposes the privacy number X. Anyone who dials X reaches A; before A calls out
/// through X, a temporary callee says whom that call reaches.

#include <privacycall/abi.hpp>
#include <privacycall/common.hpp>
#include <privacycall/options.hpp>
#include <privacycall/pager.hpp>
#include <privacycall/phone_number.hpp>
#include <privacycall/result.hpp>
#include <privacycall/wire_number.hpp>

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace privacycall {

PRIVACYCALL_INLINE_NAMESPACE_BEGIN

class AxConnection;

/// Kinds of privacy number the platform can pick (`privateNumType`); only one exists today.
enum class PrivateNumType {
  kMobileVirtual,  ///< "mobile-virtual"
  kUnknown,        ///< an answer's type this SDK does not know; never sent (a validation Error)
};

/// The wire codes of PrivateNumType: makes Coded<PrivateNumType> work.
constexpr std::array<std::pair<PrivateNumType, std::string_view>, 1> wire_codes(PrivateNumType) {
  return {{
      {PrivateNumType::kMobileVirtual, "mobile-virtual"},
  }};
}

/// "Pick an X of this city" for an AX bind: `areaCode` (+ `areaMatchMode`) with the
/// `privateNumType` the platform requires beside it. Converts from an AreaCode.
struct AxNumberFromArea {
  /// Picks an X in @p city; @p type is sent as `privateNumType`.
  AxNumberFromArea(AreaCode city, PrivateNumType type = PrivateNumType::kMobileVirtual)  // NOLINT: implicit by design
      : area(std::move(city)), private_num_type(type) {}

  AreaCode area;                   ///< `areaCode` (+ `areaMatchMode`): the city X comes from
  PrivateNumType private_num_type;  ///< `privateNumType`, required beside `areaCode`
};

/// Which X an AX bind uses: a named one (`privateNum`) or one the platform picks by area.
using AxPrivateNumChoice = std::variant<PhoneNumber, AxNumberFromArea>;

/// Limits of the AX request types.
inline constexpr int kAxMaxNumbersPerUser = 5;  ///< one A holds at most 5 X (1011003 beyond)
/// Shortest temporary-callee lifetime the platform accepts (`duration`).
inline constexpr std::chrono::seconds kAxMinTemporaryCalleeDuration{1};
/// Longest temporary-callee lifetime the platform accepts: 3 days.
inline constexpr std::chrono::seconds kAxMaxTemporaryCalleeDuration{259200};
/// Lifetime of a temporary callee when none is given.
inline constexpr std::chrono::seconds kAxDefaultTemporaryCalleeDuration{60};

/// Settings that bind and modify share; absent fields are not sent (modify: left unchanged).
/// The modify page was only partly readable; the platform may ignore fields it does not modify.
struct AxSettings {
  /// What A's phone shows when someone else dials X (`calleeNumDisplay`).
  std::optional<DisplayNumber> callee_num_display;
  /// Record calls (the app must have recording enabled).
  std::optional<bool> record_flag;
  /// Tone announcing the recording.
  std::optional<std::string> record_hint_tone;
  /// Whether SMS through X is allowed (absent: allowed if the app has SMS).
  std::optional<bool> private_sms;
  /// `callerHintTone` is played to A dialling X, `calleeHintTone` to anyone else dialling X.
  std::optional<PreVoice> pre_voice;
  /// Longest call, counted from answer, 0 to 1440 minutes; 0: no limit.
  std::optional<std::chrono::minutes> max_duration;
  /// Tone played when one minute of max_duration remains.
  std::optional<std::string> last_min_voice;
  /// Echoed in this binding's call events, CDRs and SMS notifications; 1-256 characters, no braces.
  std::optional<std::string> user_data;
  /// Privacy switch (`turnFlag`): true sends "on" (X active, the platform default), false "off".
  std::optional<bool> turn_flag;
  /// `callDirection`: kBoth, or kCallerToCallee for "only A may call through X". The docs do
  /// not say what 2 means in AX; the SDK sends it unchanged.
  std::optional<CallDirection> call_direction;
};

/// Bind A to an X.
struct AxBindRequest {
  /// Binds @p orig (A) to the X named or picked by @p choice.
  AxBindRequest(PhoneNumber orig, AxPrivateNumChoice choice)
      : orig_num(std::move(orig)), private_num(std::move(choice)) {}

  PhoneNumber orig_num;           ///< `origNum`: A, global format
  AxPrivateNumChoice private_num;  ///< `privateNum`, or `areaCode` to let the platform pick X
  AxSettings settings;             ///< Optional settings; absent ones are not sent
};

/// The platform's answer to an AX bind.
struct AxBindResponse : ApiResponse {
  /// `subscriptionId`: names the binding in later modify, query and unbind calls.
  SubscriptionId subscription_id;
  /// `origNum`: A as bound.
  WireNumber orig_num;
  /// `privateNum`: the X actually bound.
  WireNumber private_num;
};

/// An AX binding named by its X (`privateNum`); an X belongs to one A, so it names one binding.
struct AxBindingOnNumber {
  /// Names the binding on @p x.
  explicit AxBindingOnNumber(PhoneNumber x) : private_num(std::move(x)) {}
  PhoneNumber private_num;  ///< `privateNum`: X, global format
};

/// The AX bindings of one A (`origNum`), for queries.
struct AxBindingsOfUser {
  /// Names the bindings of @p a.
  explicit AxBindingsOfUser(PhoneNumber a) : orig_num(std::move(a)) {}
  PhoneNumber orig_num;  ///< `origNum`: A, global format
};

/// One AX binding: by subscriptionId or by its X.
using AxBindingKey = std::variant<SubscriptionId, AxBindingOnNumber>;

/// Change an AX binding; absent fields stay unchanged.
struct AxModifyRequest {
  /// Modifies the binding named by @p binding; set the fields to change afterwards.
  explicit AxModifyRequest(AxBindingKey binding) : key(std::move(binding)) {}

  AxBindingKey key;  ///< The binding to change: `subscriptionId` or `privateNum`
  /// New A.
  std::optional<PhoneNumber> orig_num;
  AxSettings settings;  ///< Settings to change; absent ones stay unchanged
};

/// Query one binding by ID, the bindings of an A, or the binding on an X.
using AxQueryRequest = std::variant<SubscriptionId, AxBindingsOfUser, AxBindingOnNumber>;

/// One AX binding as the query returns it. Fields the platform did not send stay empty.
struct AxBinding {
  SubscriptionId subscription_id;  ///< `subscriptionId`
  WireNumber orig_num;             ///< `origNum`: A
  WireNumber private_num;          ///< `privateNum`: X
  std::optional<Coded<PrivateNumType>> private_num_type;  ///< `privateNumType`
  /// Server time of binding, as sent.
  std::optional<std::string> subscribe_time;
  std::optional<std::string> user_data;  ///< `userData` given at bind or modify
  /// "on" → true, "off" → false.
  std::optional<bool> turn_flag;
  std::optional<Coded<CallDirection>> call_direction;  ///< `callDirection`
  // Not in the readable part of the docs; decoded when the platform sends them.
  std::optional<Coded<DisplayNumber>> callee_num_display;  ///< `calleeNumDisplay`
  std::optional<bool> record_flag;               ///< `recordFlag`
  std::optional<std::string> record_hint_tone;   ///< `recordHintTone`
  std::optional<bool> private_sms;               ///< `privateSms`
  std::optional<std::chrono::minutes> max_duration;  ///< `maxDuration`; 0: no limit
  std::optional<std::string> last_min_voice;     ///< `lastMinVoice`
  std::optional<PreVoice> pre_voice;             ///< `preVoice` hint tones
};

/// The platform's answer to an AX query (`privateNumList`).
struct AxQueryResponse : ApiResponse {
  std::vector<AxBinding> bindings;  ///< The matching bindings; empty when none match
};

/// Unbind one AX binding.
struct AxUnbindRequest {
  /// Unbinds the binding named by @p binding; @p orig (A) is sent when given.
  explicit AxUnbindRequest(AxBindingKey binding, std::optional<PhoneNumber> orig = std::nullopt)
      : key(std::move(binding)), orig_num(std::move(orig)) {}

  AxBindingKey key;  ///< The binding to remove: `subscriptionId` or `privateNum`
  /// A; sent when given (the documented example does) but not parsed by the platform.
  std::optional<PhoneNumber> orig_num;
};

/// Whom A's next call through X reaches. Must be set before every outbound call of A.
struct AxTemporaryCalleeRequest {
  /// Sets @p callee as the target of A's next call through the X of @p binding.
  AxTemporaryCalleeRequest(AxBindingKey binding, PhoneNumber callee)
      : key(std::move(binding)), callee_num(std::move(callee)) {}

  AxBindingKey key;  ///< The binding: `subscriptionId` or `privateNum`
  /// The real callee (mobile, landline, 400/95 numbers).
  PhoneNumber callee_num;
  /// A; when given it must differ from callee_num.
  std::optional<PhoneNumber> orig_num;
  /// How long the temporary callee stays valid, 1 s to 3 days; the platform's default is 60 s.
  std::optional<std::chrono::seconds> duration;
  /// 1-256 characters, no braces.
  std::optional<std::string> user_data;
};

/// The AX operations; obtained from Client::ax(). Cheap to copy, thread-safe.
class AxClient {
 public:
  /// Calls @p connection: Client makes the real one; a test may pass a
  /// privacycall::testing::MockAxConnection.
  explicit AxClient(std::shared_ptr<AxConnection> connection) : connection_(std::move(connection)) {}

  /// POST: binds A to an X. Retried only when the request provably never left.
  Result<AxBindResponse> bind(const AxBindRequest& request, const CallOptions& options = {}) const;
  /// PUT: changes a binding.
  Result<ApiResponse> modify(const AxModifyRequest& request, const CallOptions& options = {}) const;
  /// GET: one binding, an A's bindings, or the binding on an X.
  Result<AxQueryResponse> query(const AxQueryRequest& request, const CallOptions& options = {}) const;
  /// The bindings of an A as a Pager, like every list query. The platform answers this query
  /// in one page (an A holds at most kAxMaxNumbersPerUser X), so the walk has one element.
  Pager<AxQueryResponse> query_pages(const AxBindingsOfUser& of, const CallOptions& options = {}) const;
  /// DELETE: removes a binding.
  Result<ApiResponse> unbind(const AxUnbindRequest& request, const CallOptions& options = {}) const;
  /// PUT /rest/caas/privatenumber/calleenumber/v1.0: sets the callee of A's next call through X,
  /// replacing any earlier one.
  Result<ApiResponse> set_temporary_callee(const AxTemporaryCalleeRequest& request,
                                           const CallOptions& options = {}) const;

 private:
  std::shared_ptr<AxConnection> connection_;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_AX_HPP
