#ifndef PRIVACYCALL_AXB_HPP
#define PRIVACYCALL_AXB_HPP

/// @file
/// AXB mode: A and B call each other through the privacy number X, each seeing only X.

#include <privacycall/abi.hpp>
#include <privacycall/common.hpp>
#include <privacycall/options.hpp>
#include <privacycall/pager.hpp>
#include <privacycall/phone_number.hpp>
#include <privacycall/result.hpp>
#include <privacycall/wire_number.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace privacycall {

PRIVACYCALL_INLINE_NAMESPACE_BEGIN

class AxbConnection;

/// Let the platform pick X from the numbers of A's own area.
struct NearCaller {};

/// Which X an AXB binding uses: one named by the caller, one from an area, or one near A.
using AxbRelationChoice = std::variant<NearCaller, PhoneNumber, AreaCode>;

/// Limits shared by the AXB request types (the platform refuses values outside them).
/// (kMaxCallDuration, shared with AX, is in common.hpp.)
inline constexpr std::chrono::seconds kAxbMaxBindingDuration{7776000};  // 90 days
/// The page size of a query on a number when none is given (`pageSize`, 10 to 100).
inline constexpr int kAxbDefaultPageSize = 50;

/// The settings that bind and modify have in common; absent fields are not sent.
struct AxbSettings {
  /// `callDirection`: kBoth, or only A→B / only B→A through X.
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
  /// `preVoice`: `callerHintTone` played to A, `calleeHintTone` to B, before connecting.
  std::optional<PreVoice> pre_voice;
  /// Echoed in this binding's call events and CDRs; at most 256 characters.
  std::optional<std::string> user_data;
};

/// Bind A and B to an X.
struct AxbBindRequest {
  /// Binds @p caller (A) and @p callee (B) to the X chosen by @p relation_choice.
  AxbBindRequest(PhoneNumber caller, PhoneNumber callee, AxbRelationChoice relation_choice = NearCaller{})
      : caller_num(std::move(caller)), callee_num(std::move(callee)), relation(std::move(relation_choice)) {}

  PhoneNumber caller_num;  ///< `callerNum`: A, global format
  PhoneNumber callee_num;  ///< `calleeNum`: B, global format
  /// `relationNum` when named, `areaCode` when picked by area, neither for near A.
  AxbRelationChoice relation = NearCaller{};
  AxbSettings settings;  ///< Optional settings; absent ones are not sent
};

/// The platform's answer to a bind.
struct AxbBindResponse : ApiResponse {
  /// `subscriptionId`: names the binding in later modify, query and unbind calls.
  SubscriptionId subscription_id;
  /// `relationNum`: the X actually bound.
  WireNumber relation_num;
  std::optional<Coded<CallDirection>> call_direction;  ///< `callDirection` applied
  std::optional<std::chrono::seconds> duration;      ///< `duration` applied; 0: never expires
  std::optional<std::chrono::minutes> max_duration;  ///< `maxDuration` applied; 0: no limit
};

/// Change an existing binding; absent fields stay unchanged.
struct AxbModifyRequest {
  /// Modifies binding @p id; set the fields to change afterwards.
  explicit AxbModifyRequest(SubscriptionId id) : subscription_id(std::move(id)) {}

  SubscriptionId subscription_id;  ///< `subscriptionId` of the binding to change
  std::optional<PhoneNumber> caller_num;  ///< new A
  std::optional<PhoneNumber> callee_num;  ///< new B
  AxbSettings settings;  ///< Settings to change; absent ones stay unchanged
};

/// List the bindings on one X, optionally narrowed to A, B or the A+B pair, page by page.
struct AxbBindingsOnNumber {
  /// Lists the bindings on @p relation (X), narrowed to @p caller and/or @p callee when given.
  explicit AxbBindingsOnNumber(PhoneNumber relation, std::optional<PhoneNumber> caller = std::nullopt,
                               std::optional<PhoneNumber> callee = std::nullopt)
      : relation_num(std::move(relation)), caller_num(std::move(caller)), callee_num(std::move(callee)) {}

  PhoneNumber relation_num;               ///< `relationNum`: X, global format
  std::optional<PhoneNumber> caller_num;  ///< `callerNum`: only bindings with this A
  std::optional<PhoneNumber> callee_num;  ///< `calleeNum`: only bindings with this B
  /// 1-based.
  std::optional<int> page_index;
  /// 10 to 100; the platform uses 50 when absent or out of range.
  std::optional<int> page_size;
};

/// Query one binding by ID, or the bindings on a number.
using AxbQueryRequest = std::variant<SubscriptionId, AxbBindingsOnNumber>;

/// One binding as the query returns it. Fields the platform did not send stay empty.
struct AxbBinding {
  SubscriptionId subscription_id;                    ///< `subscriptionId`
  WireNumber relation_num;                           ///< `relationNum`: X
  WireNumber caller_num;                             ///< `callerNum`: A
  WireNumber callee_num;                             ///< `calleeNum`: B
  std::optional<Coded<CallDirection>> call_direction;  ///< `callDirection`
  std::optional<std::chrono::seconds> duration;      ///< `duration`; 0: never expires
  std::optional<bool> record_flag;                   ///< `recordFlag`
  std::optional<std::string> record_hint_tone;       ///< `recordHintTone`
  std::optional<std::chrono::minutes> max_duration;  ///< `maxDuration`; 0: no limit
  std::optional<std::string> last_min_voice;         ///< `lastMinVoice`
  std::optional<bool> private_sms;                   ///< `privateSms`
  std::optional<PreVoice> pre_voice;                 ///< `preVoice` hint tones
  std::optional<std::string> user_data;              ///< `userData` given at bind or modify
  /// Server time of binding, as sent ("yyyy-MM-dd HH:mm:ss").
  std::optional<std::string> subscribe_time;
};

/// The platform's answer to a query.
struct AxbQueryResponse : ApiResponse {
  std::vector<AxbBinding> bindings;  ///< The matching bindings (this page); empty when none match
};

/// Unbind every binding on X. Named explicitly because it removes more than one binding.
struct AxbAllBindingsOnNumber {
  PhoneNumber relation_num;  ///< `relationNum`: X, global format
};

/// Unbind one binding by ID, or all bindings on an X.
using AxbUnbindRequest = std::variant<SubscriptionId, AxbAllBindingsOnNumber>;

/// The AXB operations; obtained from Client::axb(). Cheap to copy, thread-safe.
class AxbClient {
 public:
  /// Calls @p connection: Client makes the real one; a test may pass a
  /// privacycall::testing::MockAxbConnection.
  explicit AxbClient(std::shared_ptr<AxbConnection> connection) : connection_(std::move(connection)) {}

  /// POST: binds A and B to an X. Retried only when the request provably never left.
  Result<AxbBindResponse> bind(const AxbBindRequest& request, const CallOptions& options = {}) const;
  /// PUT: changes a binding.
  Result<ApiResponse> modify(const AxbModifyRequest& request, const CallOptions& options = {}) const;
  /// GET: one binding, or the bindings on a number.
  Result<AxbQueryResponse> query(const AxbQueryRequest& request, const CallOptions& options = {}) const;
  /// Every page of the bindings on a number, from `on.page_index` (default 1) on, each of
  /// `on.page_size` bindings (default: the platform's 50). The platform sends no total: a page
  /// with fewer bindings than the page size is the last, so the last page may be empty when
  /// the total is a multiple of it. The pager keeps this client alive.
  Pager<AxbQueryResponse> query_pages(const AxbBindingsOnNumber& on, const CallOptions& options = {}) const;
  /// DELETE: one binding, or all bindings on a number.
  Result<ApiResponse> unbind(const AxbUnbindRequest& request, const CallOptions& options = {}) const;

 private:
  std::shared_ptr<AxbConnection> connection_;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_AXB_HPP
