#ifndef PRIVACYCALL_AXB_HPP
#define PRIVACYCALL_AXB_HPP

/// @file
/// AXB mode: A and B call each other through the privacy number X, each seeing only X.

#include <privacycall/common.hpp>
#include <privacycall/options.hpp>
#include <privacycall/phone_number.hpp>
#include <privacycall/result.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace privacycall {

namespace internal {
class ClientCore;
}

/// Let the platform pick X from the numbers of A's own area.
struct NearCaller {};

/// Which X an AXB binding uses: one named by the caller, one from an area, or one near A.
using AxbRelationChoice = std::variant<NearCaller, PhoneNumber, AreaCode>;

/// Limits shared by the AXB request types (the platform refuses values outside them).
/// (kMaxCallDuration, shared with AX, is in common.hpp.)
inline constexpr std::chrono::seconds kAxbMaxBindingDuration{7776000};  // 90 days

/// The settings that bind and modify have in common; absent fields are not sent.
struct AxbSettings {
  std::optional<CallDirection> call_direction;
  /// Binding lifetime, 0 to 90 days; 0 or absent: never expires. Modify restarts the timer.
  std::optional<std::chrono::seconds> duration;
  /// Record calls (the app must have recording enabled).
  std::optional<bool> record_flag;
  /// Tone announcing the recording; meaningful with record_flag.
  std::optional<std::string> record_hint_tone;
  /// Longest call, counted from answer, 0 to 1440 minutes; 0: no limit.
  std::optional<std::chrono::minutes> max_duration;
  /// Tone played when one minute of max_duration remains.
  std::optional<std::string> last_min_voice;
  /// Whether SMS through X is allowed (absent: allowed if the app has SMS).
  std::optional<bool> private_sms;
  std::optional<PreVoice> pre_voice;
  /// Echoed in this binding's call events and CDRs; at most 256 characters.
  std::optional<std::string> user_data;
};

/// Bind A and B to an X.
struct AxbBindRequest {
  AxbBindRequest(PhoneNumber caller, PhoneNumber callee, AxbRelationChoice relation_choice = NearCaller{})
      : caller_num(std::move(caller)), callee_num(std::move(callee)), relation(std::move(relation_choice)) {}

  PhoneNumber caller_num;  ///< A
  PhoneNumber callee_num;  ///< B
  AxbRelationChoice relation = NearCaller{};
  AxbSettings settings;
};

/// The platform's answer to a bind.
struct AxbBindResponse : ApiResponse {
  SubscriptionId subscription_id;
  /// The X actually bound (as sent by the platform, not re-validated).
  std::string relation_num;
  std::optional<int> call_direction;
  std::optional<std::chrono::seconds> duration;
  std::optional<std::chrono::minutes> max_duration;
};

/// Change an existing binding; absent fields stay unchanged.
struct AxbModifyRequest {
  explicit AxbModifyRequest(SubscriptionId id) : subscription_id(std::move(id)) {}

  SubscriptionId subscription_id;
  std::optional<PhoneNumber> caller_num;  ///< new A
  std::optional<PhoneNumber> callee_num;  ///< new B
  AxbSettings settings;
};

/// List the bindings on one X, optionally narrowed to A, B or the A+B pair, page by page.
struct AxbBindingsOnNumber {
  explicit AxbBindingsOnNumber(PhoneNumber relation, std::optional<PhoneNumber> caller = std::nullopt,
                               std::optional<PhoneNumber> callee = std::nullopt)
      : relation_num(std::move(relation)), caller_num(std::move(caller)), callee_num(std::move(callee)) {}

  PhoneNumber relation_num;
  std::optional<PhoneNumber> caller_num;
  std::optional<PhoneNumber> callee_num;
  /// 1-based.
  std::optional<int> page_index;
  /// 10 to 100; the platform uses 50 when absent or out of range.
  std::optional<int> page_size;
};

/// Query one binding by ID, or the bindings on a number.
using AxbQueryRequest = std::variant<SubscriptionId, AxbBindingsOnNumber>;

/// One binding as the query returns it. Fields the platform did not send stay empty.
struct AxbBinding {
  SubscriptionId subscription_id;
  std::string relation_num;
  std::string caller_num;
  std::string callee_num;
  std::optional<int> call_direction;
  std::optional<std::chrono::seconds> duration;
  std::optional<bool> record_flag;
  std::optional<std::string> record_hint_tone;
  std::optional<std::chrono::minutes> max_duration;
  std::optional<std::string> last_min_voice;
  std::optional<bool> private_sms;
  std::optional<PreVoice> pre_voice;
  std::optional<std::string> user_data;
  /// Server time of binding, as sent ("yyyy-MM-dd HH:mm:ss").
  std::optional<std::string> subscribe_time;
};

/// The platform's answer to a query.
struct AxbQueryResponse : ApiResponse {
  std::vector<AxbBinding> bindings;
};

/// Unbind every binding on X. Named explicitly because it removes more than one binding.
struct AxbAllBindingsOnNumber {
  PhoneNumber relation_num;
};

/// Unbind one binding by ID, or all bindings on an X.
using AxbUnbindRequest = std::variant<SubscriptionId, AxbAllBindingsOnNumber>;

/// The AXB operations; obtained from Client::axb(). Cheap to copy, thread-safe.
class AxbClient {
 public:
  /// POST: binds A and B to an X. Retried only when the request provably never left.
  Result<AxbBindResponse> bind(const AxbBindRequest& request, const CallOptions& options = {}) const;
  /// PUT: changes a binding.
  Result<ApiResponse> modify(const AxbModifyRequest& request, const CallOptions& options = {}) const;
  /// GET: one binding, or the bindings on a number.
  Result<AxbQueryResponse> query(const AxbQueryRequest& request, const CallOptions& options = {}) const;
  /// DELETE: one binding, or all bindings on a number.
  Result<ApiResponse> unbind(const AxbUnbindRequest& request, const CallOptions& options = {}) const;

 private:
  friend class Client;
  explicit AxbClient(std::shared_ptr<const internal::ClientCore> core) : core_(std::move(core)) {}
  std::shared_ptr<const internal::ClientCore> core_;
};

}  // namespace privacycall

#endif  // PRIVACYCALL_AXB_HPP
