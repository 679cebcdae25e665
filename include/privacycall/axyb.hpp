#ifndef PRIVACYCALL_AXYB_HPP
#define PRIVACYCALL_AXYB_HPP

/// @file
/// AXYB mode: A is bound to X and B to Y under one subscriptionId; A sees B as Y, B sees A as X.
/// Bind AX first, then YB with the returned ID. Every AXYB call carries `app_key` in the query
/// string (the SDK adds the client's app key). The AXYB pages are older than the others and may
/// be legacy; there is no AXYB modify.

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

class AxybConnection;

/// Binding lifetimes: 0 (AX: never expires; YB: ends with AX) or 60 s to 90 days.
inline constexpr std::chrono::seconds kAxybMinDuration{60};
/// Longest binding lifetime the platform accepts: 90 days.
inline constexpr std::chrono::seconds kAxybMaxDuration{7776000};
/// The AX lifetime the platform applies when none is given.
inline constexpr std::chrono::seconds kAxybDefaultDuration{7200};

/// Settings both bind calls may carry; absent fields are not sent.
struct AxybSettings {
  /// kBoth; kCallerToCallee: only A calls B (via Y); kCalleeToCaller: only B calls A (via X).
  std::optional<CallDirection> call_direction;
  /// AX lifetime: 0 never expires, else 60 s to 90 days; the platform's default is 7200 s.
  /// AX expiry also removes YB.
  std::optional<std::chrono::seconds> duration;
  /// YB lifetime: 0 ends with AX, else 60 s to 90 days (capped by duration). Given at both
  /// calls, the YB call's value wins.
  std::optional<std::chrono::seconds> yb_duration;
  /// Record calls (`recordFlag`; the app must have recording enabled).
  std::optional<bool> record_flag;
  /// Tone announcing the recording (`recordHintTone`); meaningful with record_flag.
  std::optional<std::string> record_hint_tone;
  /// Played once to the X-side user while the Y-side user is dialled (absent: beeps).
  std::optional<std::string> pre_voice_x;
  /// The same for the Y side.
  std::optional<std::string> pre_voice_y;
  /// 1-256 characters, no braces.
  std::optional<std::string> user_data;
};

/// First call: bind A to an X picked from an area.
struct AxybBindAxRequest {
  /// Binds @p a (A) to an X picked from @p city.
  AxybBindAxRequest(PhoneNumber a, AreaCode city) : orig_num(std::move(a)), area(std::move(city)) {}

  PhoneNumber orig_num;   ///< `origNum`: A, global format
  AreaCode area;          ///< `areaCode`: the city X is picked from
  AxybSettings settings;  ///< Optional settings; absent ones are not sent
};

/// Second call: bind B to a Y under the AX binding's subscriptionId.
struct AxybBindYbRequest {
  /// Binds @p b (B) to a Y, from @p city when given, under the relation @p ax_binding.
  AxybBindYbRequest(SubscriptionId ax_binding, PhoneNumber b, std::optional<AreaCode> city = std::nullopt)
      : subscription_id(std::move(ax_binding)), orig_num(std::move(b)), area(std::move(city)) {}

  SubscriptionId subscription_id;  ///< `subscriptionId` returned by the AX call
  PhoneNumber orig_num;  ///< B
  /// Area to pick Y from; absent: the platform picks.
  std::optional<AreaCode> area;
  AxybSettings settings;  ///< Optional settings; absent ones are not sent
};

/// The platform's answer to either bind call.
struct AxybBindResponse : ApiResponse {
  /// One ID for the whole AXYB relation.
  SubscriptionId subscription_id;
  /// `relationNumber`: the privacy number this call bound, X for the AX call, Y for the YB call.
  WireNumber relation_num;
};

/// Every relation on one X (`relationNum`).
struct AxybRelationsOnNumber {
  /// Names every relation on @p x.
  explicit AxybRelationsOnNumber(PhoneNumber x) : relation_num(std::move(x)) {}
  PhoneNumber relation_num;  ///< `relationNum`: X, global format
};

/// Query one relation by ID, or the relations on an X.
using AxybQueryRequest = std::variant<SubscriptionId, AxybRelationsOnNumber>;

/// One relation as the query returns it (`xyRelationNumInfo`). Absent fields stay empty.
struct AxybRelation {
  SubscriptionId subscription_id;  ///< `bindId`: the relation's subscriptionId
  WireNumber num_a;                ///< `numA`: A
  WireNumber num_x;                ///< `numX`: the X bound to A
  WireNumber num_y;                ///< `numY`: the Y bound to B; empty before the YB call
  WireNumber num_b;                ///< `numB`: B; empty before the YB call
  std::optional<bool> record_flag;              ///< `recordFlag`
  std::optional<std::string> record_hint_tone;  ///< `recordHintTone`
  /// "yyyy-MM-dd HH:mm:ss", creation or last change.
  std::optional<std::string> subscribe_time;
  std::optional<Coded<CallDirection>> call_direction;  ///< `callDirection`
  std::optional<std::chrono::seconds> duration;     ///< AX lifetime; 0: never expires
  std::optional<std::chrono::seconds> yb_duration;  ///< YB lifetime; 0: ends with AX
  std::optional<std::string> pre_voice_x;           ///< Tone played to the X-side user
  std::optional<std::string> pre_voice_y;           ///< Tone played to the Y-side user
  std::optional<std::string> user_data;             ///< `userData` given at bind
};

/// The platform's answer to an AXYB query (`xyRelationNumList`).
struct AxybQueryResponse : ApiResponse {
  std::vector<AxybRelation> relations;  ///< The matching relations; empty when none match
};

/// Remove only the YB leg that uses Y (`yNum`).
struct AxybUnbindYbByY {
  /// Removes the YB leg using @p y from relation @p id.
  AxybUnbindYbByY(SubscriptionId id, PhoneNumber y) : subscription_id(std::move(id)), y_num(std::move(y)) {}
  SubscriptionId subscription_id;  ///< `subscriptionId` of the relation
  PhoneNumber y_num;               ///< `yNum`: Y, global format
};

/// Remove only the YB leg of B (`bNum`).
struct AxybUnbindYbByB {
  /// Removes the YB leg of @p b from relation @p id.
  AxybUnbindYbByB(SubscriptionId id, PhoneNumber b) : subscription_id(std::move(id)), b_num(std::move(b)) {}
  SubscriptionId subscription_id;  ///< `subscriptionId` of the relation
  PhoneNumber b_num;               ///< `bNum`: B, global format
};

/// Unbind the whole relation (subscriptionId alone), or only one YB leg.
using AxybUnbindRequest = std::variant<SubscriptionId, AxybUnbindYbByY, AxybUnbindYbByB>;

/// The AXYB operations; obtained from Client::axyb(). Cheap to copy, thread-safe.
class AxybClient {
 public:
  /// Calls @p connection: Client makes the real one; a test may pass a
  /// privacycall::testing::MockAxybConnection.
  explicit AxybClient(std::shared_ptr<AxybConnection> connection) : connection_(std::move(connection)) {}

  /// POST: binds A to X, starting a relation. Retried only when the request provably never left.
  Result<AxybBindResponse> bind_ax(const AxybBindAxRequest& request, const CallOptions& options = {}) const;
  /// POST: binds B to Y in an existing relation. Retried only when the request provably never left.
  Result<AxybBindResponse> bind_yb(const AxybBindYbRequest& request, const CallOptions& options = {}) const;
  /// GET: one relation or the relations on an X.
  Result<AxybQueryResponse> query(const AxybQueryRequest& request, const CallOptions& options = {}) const;
  /// The relations on an X as a Pager, like every list query. The platform answers this query
  /// in one page (at most 5 relations), so the walk has one element.
  Pager<AxybQueryResponse> query_pages(const AxybRelationsOnNumber& on, const CallOptions& options = {}) const;
  /// DELETE: the whole relation, or one YB leg.
  Result<ApiResponse> unbind(const AxybUnbindRequest& request, const CallOptions& options = {}) const;

 private:
  std::shared_ptr<AxybConnection> connection_;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_AXYB_HPP
