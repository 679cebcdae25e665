#ifndef PRIVACYCALL_AXE_HPP
#define PRIVACYCALL_AXE_HPP

/// @file
/// AXE mode: one privacy number X serves many A, each behind its own extension E. Others dial
/// X, enter E and reach A; A dials X to call back the last person who reached A that way.

#include <privacycall/abi.hpp>
#include <privacycall/common.hpp>
#include <privacycall/options.hpp>
#include <privacycall/pager.hpp>
#include <privacycall/phone_number.hpp>
#include <privacycall/result.hpp>
#include <privacycall/wire_number.hpp>

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace privacycall {

PRIVACYCALL_INLINE_NAMESPACE_BEGIN

class AxeConnection;

/// Which X an AXE bind uses: a named one (`virtualNum`) or one the platform picks by area.
using AxeVirtualNumChoice = std::variant<PhoneNumber, AreaCode>;

/// The unit the platform counts `bindExpiredTime` and `callbackExpiredTime` in (`timeUnit`).
enum class AxeTimeUnit {
  kHours,    ///< "0"
  kMinutes,  ///< "1"
  kUnknown,  ///< an answer's unit this SDK does not know; never sent (a validation Error)
};

/// The wire codes of AxeTimeUnit: makes Coded<AxeTimeUnit> work.
constexpr std::array<std::pair<AxeTimeUnit, std::string_view>, 2> wire_codes(AxeTimeUnit) {
  return {{
      {AxeTimeUnit::kHours, "0"},
      {AxeTimeUnit::kMinutes, "1"},
  }};
}

/// The first cursor of a v2.0 query.
inline constexpr const char* kAxeFirstQueryCursor = "0000000000000_0";
/// Limits of the binding-count query's page size.
inline constexpr int kAxeMaxCountPageSize = 100;

/// Settings that bind and modify share; absent fields are not sent (modify: left unchanged).
struct AxeSettings {
  /// What A sees when someone else calls A through X+E (`displayNumMode`).
  std::optional<DisplayNumber> display_num_mode;
  /// Record calls (`recordFlag`; the app must have recording enabled).
  std::optional<bool> record_flag;
  /// Tone announcing the recording; meaningful with record_flag.
  std::optional<std::string> record_hint_tone;
  /// Played to A when A dials X and there is nobody to call back.
  std::optional<std::string> callback_tone;
  /// Where A's call goes when there is nobody to call back.
  std::optional<PhoneNumber> callback_num;
  /// The unit sent as `timeUnit`. Absent: hours when every expiry given is a whole number of
  /// hours, minutes otherwise. With kHours, the expiries must be whole hours.
  std::optional<AxeTimeUnit> time_unit;
  /// Binding lifetime (`bindExpiredTime`); expired bindings are removed by the platform.
  std::optional<std::chrono::minutes> bind_expired_time;
  /// How long a call-back record lasts (`callbackExpiredTime`); after it A's calls go to
  /// callback_num or hear callback_tone.
  std::optional<std::chrono::minutes> callback_expired_time;
  /// Echoed in notifications; 1-256 characters, no braces.
  std::optional<std::string> user_data;
};

/// Bind A to an X with an extension.
struct AxeBindRequest {
  /// Binds @p a (A) to the X named or picked by @p choice.
  AxeBindRequest(PhoneNumber a, AxeVirtualNumChoice choice)
      : bind_num(std::move(a)), virtual_num(std::move(choice)) {}

  PhoneNumber bind_num;             ///< `bindNum`: A, global format
  AxeVirtualNumChoice virtual_num;  ///< `virtualNum`, or `areaCode` to let the platform pick X
  /// E, 1-4 digits; absent: the platform assigns a free one (1020167 when none is left).
  std::optional<std::string> extend_num;
  AxeSettings settings;  ///< Optional settings; absent ones are not sent
};

/// The platform's answer to an AXE bind. The response table was not readable: fields besides
/// subscriptionId are decoded when present.
struct AxeBindResponse : ApiResponse {
  SubscriptionId subscription_id;  ///< `subscriptionId`: names the binding in later calls
  WireNumber virtual_num;          ///< `virtualNum`: the X bound
  std::string extend_num;          ///< `extendNum`: the E bound (assigned if none was asked for)
  WireNumber bind_num;             ///< `bindNum`: A
};

/// One AXE binding named by its X and extension.
struct AxeExtension {
  /// Names the binding behind extension @p e (1-4 digits) of @p x.
  AxeExtension(PhoneNumber x, std::string e) : virtual_num(std::move(x)), extend_num(std::move(e)) {}
  PhoneNumber virtual_num;  ///< `virtualNum`: X, global format
  std::string extend_num;   ///< `extendNum`: E, 1-4 digits
};

/// One AXE binding: by subscriptionId or by X+E.
using AxeBindingKey = std::variant<SubscriptionId, AxeExtension>;

/// Change an AXE binding; absent fields stay unchanged. (The platform's query keeps showing the
/// timeUnit and bindExpiredTime given at bind even after a modify changed them.)
struct AxeModifyRequest {
  /// Modifies the binding named by @p binding; set the settings to change afterwards.
  explicit AxeModifyRequest(AxeBindingKey binding) : key(std::move(binding)) {}
  AxeBindingKey key;     ///< The binding to change: `subscriptionId` or X+E
  AxeSettings settings;  ///< Settings to change; absent ones stay unchanged
};

/// One AXE binding as a query returns it. Fields the platform did not send stay empty.
struct AxeBinding {
  SubscriptionId subscription_id;  ///< `subscriptionId`
  WireNumber virtual_num;          ///< `virtualNum`: X
  std::string extend_num;          ///< `extendNum`: E, as sent
  WireNumber bind_num;             ///< `bindNum`: A
  /// `displayNumMode`: what A sees when someone else calls A through X+E.
  std::optional<Coded<DisplayNumber>> display_num_mode;
  std::optional<bool> record_flag;               ///< `recordFlag`
  std::optional<std::string> record_hint_tone;   ///< `recordHintTone`
  std::optional<std::string> callback_tone;      ///< `callbackTone`
  std::optional<WireNumber> callback_num;        ///< `callbackNum`
  /// `timeUnit`; the expiries below are converted with it (hours when the platform sent none).
  std::optional<Coded<AxeTimeUnit>> time_unit;
  /// `bindExpiredTime`, converted from time_unit; empty when the unit is unknown.
  std::optional<std::chrono::minutes> bind_expired_time;
  /// `callbackExpiredTime`, converted from time_unit; empty when the unit is unknown.
  std::optional<std::chrono::minutes> callback_expired_time;
  std::optional<std::string> user_data;                       ///< `userData` given at bind or modify
};

/// The platform's answer to a v1.0 query: one binding, flat.
struct AxeQueryResponse : ApiResponse {
  AxeBinding binding;  ///< The binding asked for
};

/// Every AXE binding on one X, for the paged v2.0 query.
struct AxeBindingsOnNumber {
  /// Names every binding on @p x.
  explicit AxeBindingsOnNumber(PhoneNumber x) : virtual_num(std::move(x)) {}
  PhoneNumber virtual_num;  ///< `virtualNum`: X, global format
};

/// What a v2.0 query asks for: one binding, or the bindings on an X page by page.
using AxeQueryV2Target = std::variant<SubscriptionId, AxeExtension, AxeBindingsOnNumber>;

/// One v2.0 query call.
struct AxeQueryV2Request {
  /// Queries @p what; set cursor and limit for later pages.
  explicit AxeQueryV2Request(AxeQueryV2Target what) : target(std::move(what)) {}
  AxeQueryV2Target target;  ///< One binding (by ID or X+E), or every binding on an X
  /// The previous page's next_cursor (`\d{13}_\d{1,20}`); absent for the first page. Ignored
  /// for single-binding queries.
  std::optional<std::string> cursor;
  /// Page size (a positive number; the platform's range is not documented).
  std::optional<int> limit;
};

/// One page of a v2.0 query. The response layout is not documented: bindings are read from the
/// answer's list (or from a flat single binding), the next cursor from `nextCusor` (the doc's
/// spelling) or `nextCursor`.
struct AxeQueryV2Response : ApiResponse {
  std::vector<AxeBinding> bindings;  ///< This page's bindings; may be empty
  /// Absent or empty on the last page.
  std::optional<std::string> next_cursor;
};

/// The paged form of the binding-count query: the app's numbers, page by page.
struct AxeCountPage {
  /// The previous page's next_cursor (1-20 digits); absent for the first page ("0").
  std::optional<std::string> cursor;
  /// 1 to 100; the platform's default is 50.
  std::optional<int> limit;
};

/// How many bindings one X (`number`) has, or a page of the app's numbers.
using AxeBindingCountRequest = std::variant<PhoneNumber, AxeCountPage>;

/// One number's binding count. The response layout is not documented: the number is read from
/// `number`/`virtualNum`, the count from `bindCount`/`bindingCount`/`count`.
struct AxeNumberBindingCount {
  WireNumber number;               ///< The X
  std::optional<long long> count;  ///< Its number of bindings; empty when the platform sent none
};

/// The platform's answer to a binding-count query.
struct AxeBindingCountResponse : ApiResponse {
  std::vector<AxeNumberBindingCount> numbers;  ///< One entry per number on this page
  /// Absent or empty on the last page (`nextCursor`, `nextCusor` accepted too).
  std::optional<std::string> next_cursor;
};

/// The pager of AXE's cursor-paged listings: each page is fetched with the cursor the previous
/// page returned, until a page comes without one. A page handing back the cursor it was
/// fetched with ends the walk with a decode Error (following it would loop forever).
template <typename Page>
using CursorPager = Pager<Page>;

/// The AXE operations; obtained from Client::axe(). Cheap to copy, thread-safe.
class AxeClient {
 public:
  /// Calls @p connection: Client makes the real one; a test may pass a
  /// privacycall::testing::MockAxeConnection.
  explicit AxeClient(std::shared_ptr<AxeConnection> connection) : connection_(std::move(connection)) {}

  /// POST: binds A to an X with an extension. Retried only when the request provably never left.
  Result<AxeBindResponse> bind(const AxeBindRequest& request, const CallOptions& options = {}) const;
  /// PUT: changes a binding.
  Result<ApiResponse> modify(const AxeModifyRequest& request, const CallOptions& options = {}) const;
  /// GET v1.0: one binding.
  Result<AxeQueryResponse> query(const AxeBindingKey& key, const CallOptions& options = {}) const;
  /// GET v2.0: one binding, or one page of the bindings on an X.
  Result<AxeQueryV2Response> query_v2(const AxeQueryV2Request& request, const CallOptions& options = {}) const;
  /// A pager over every v2.0 page of the bindings on an X. The pager keeps this client alive.
  CursorPager<AxeQueryV2Response> query_pages(const AxeBindingsOnNumber& on, std::optional<int> limit = std::nullopt,
                                              const CallOptions& options = {}) const;
  /// Every binding on an X, walking all v2.0 pages.
  Result<std::vector<AxeBinding>> query_all(const AxeBindingsOnNumber& on, std::optional<int> limit = std::nullopt,
                                            const CallOptions& options = {}) const;
  /// GET /rest/caas/virtualnumber/v1.0: binding counts of one X or of a page of the app's numbers.
  Result<AxeBindingCountResponse> count(const AxeBindingCountRequest& request, const CallOptions& options = {}) const;
  /// A pager over every page of the app's binding counts.
  CursorPager<AxeBindingCountResponse> count_pages(std::optional<int> limit = std::nullopt,
                                                   const CallOptions& options = {}) const;
  /// The binding counts of every number of the app, walking all pages.
  Result<std::vector<AxeNumberBindingCount>> count_all(std::optional<int> limit = std::nullopt,
                                                       const CallOptions& options = {}) const;
  /// DELETE: removes a binding.
  Result<ApiResponse> unbind(const AxeBindingKey& key, const CallOptions& options = {}) const;

 private:
  std::shared_ptr<AxeConnection> connection_;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_AXE_HPP
