#include <privacycall/async.hpp>
#include <privacycall/axe.hpp>
#include <privacycall/axe_connection.hpp>

#include <limits>
#include <memory>

#include "client/as_future.hpp"
#include "client/async_walk.hpp"
#include "client/connections.hpp"
#include "client/cursor_pager.hpp"
#include "client/endpoint.hpp"

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN
namespace {

using internal::ApiCall;
using internal::AnswerJson;
using internal::Operation;
using internal::read_flag;
using internal::read_int;
using internal::read_code;
using internal::read_number;
using internal::read_optional_number;
using internal::read_string;
using internal::read_string_any;
using internal::read_text;

constexpr std::string_view kPath = "/rest/caas/extendnumber/v1.0";
constexpr std::string_view kPathV2 = "/rest/caas/extendnumber/v2.0";
constexpr std::string_view kCountPath = "/rest/caas/virtualnumber/v1.0";

std::string wire(AxeTimeUnit unit) { return Coded<AxeTimeUnit>(unit).raw(); }

// Both spellings: the doc writes the v2.0 field `nextCusor`, the count query `nextCursor`.
std::optional<std::string> read_next_cursor(const AnswerJson& j) {
  return read_string_any(j, {"nextCusor", "nextCursor"});
}

void check_extension(internal::Validator& v, const std::string& extend_num) {
  v.digits("extendNum", extend_num, 1, 4);
}

void check_key(internal::Validator& v, const AxeBindingKey& key) {
  if (const auto* id = std::get_if<SubscriptionId>(&key)) {
    internal::check_subscription_id(v, *id);
  } else {
    check_extension(v, std::get<AxeExtension>(key).extend_num);
  }
}

// virtualNum and extendNum always travel together; subscriptionId wins on the platform, so
// only one form is sent.
void add_key(internal::Query& query, const AxeBindingKey& key) {
  if (const auto* id = std::get_if<SubscriptionId>(&key)) {
    query.add("subscriptionId", id->value);
  } else {
    const auto& e = std::get<AxeExtension>(key);
    query.add("virtualNum", e.virtual_num).add("extendNum", e.extend_num);
  }
}

void write_key(internal::JsonBody& body, const AxeBindingKey& key) {
  if (const auto* id = std::get_if<SubscriptionId>(&key)) {
    body.add("subscriptionId", id->value);
  } else {
    const auto& e = std::get<AxeExtension>(key);
    body.add("virtualNum", e.virtual_num.str());
    body.add("extendNum", e.extend_num);
  }
}

// The unit the expiries are sent in: the caller's, else hours when they all are whole hours.
AxeTimeUnit unit_for(const AxeSettings& s) {
  if (s.time_unit) return *s.time_unit;
  for (const auto& expiry : {s.bind_expired_time, s.callback_expired_time}) {
    if (expiry && expiry->count() % 60 != 0) return AxeTimeUnit::kMinutes;
  }
  return AxeTimeUnit::kHours;
}

std::optional<Error> check_settings(internal::Validator& v, const AxeSettings& s) {
  internal::check_code(v, "displayNumMode", s.display_num_mode);
  internal::check_code(v, "timeUnit", s.time_unit);
  if (v.error()) return v.error();
  const AxeTimeUnit unit = unit_for(s);
  for (const auto& [field, expiry] : {std::pair{"bindExpiredTime", s.bind_expired_time},
                                      std::pair{"callbackExpiredTime", s.callback_expired_time}}) {
    if (!expiry) continue;
    v.range(field, expiry->count(), 0, 100LL * 365 * 24 * 60, "minutes");
    v.require(unit == AxeTimeUnit::kMinutes || expiry->count() % 60 == 0,
              std::string(field) + " must be whole hours when timeUnit is hours");
  }
  v.tone("recordHintTone", s.record_hint_tone).tone("callbackTone", s.callback_tone).user_data("userData", s.user_data);
  return v.error();
}

void write_settings(internal::JsonBody& body, const AxeSettings& s) {
  if (s.display_num_mode) body.add("displayNumMode", internal::wire(*s.display_num_mode));
  internal::write_flag(body, "recordFlag", s.record_flag);
  internal::write_optional(body, "recordHintTone", s.record_hint_tone);
  internal::write_optional(body, "callbackTone", s.callback_tone);
  internal::write_number(body, "callbackNum", s.callback_num);
  // timeUnit is sent whenever an expiry is, so the platform's undocumented default never matters.
  const AxeTimeUnit unit = unit_for(s);
  if (s.time_unit || s.bind_expired_time || s.callback_expired_time) body.add("timeUnit", wire(unit));
  const long long per_unit = unit == AxeTimeUnit::kHours ? 60 : 1;
  if (s.bind_expired_time) body.add("bindExpiredTime", s.bind_expired_time->count() / per_unit);
  if (s.callback_expired_time) body.add("callbackExpiredTime", s.callback_expired_time->count() / per_unit);
  internal::write_optional(body, "userData", s.user_data);
}

AxeBinding read_binding(const AnswerJson& item) {
  AxeBinding b;
  b.subscription_id.value = read_text(item, "subscriptionId");
  b.virtual_num = read_number(item, "virtualNum");
  b.extend_num = read_text(item, "extendNum");
  b.bind_num = read_number(item, "bindNum");
  b.display_num_mode = read_code<DisplayNumber>(item, "displayNumMode");
  b.record_flag = read_flag(item, "recordFlag");
  b.record_hint_tone = read_string(item, "recordHintTone");
  b.callback_tone = read_string(item, "callbackTone");
  b.callback_num = read_optional_number(item, "callbackNum");
  b.time_unit = read_code<AxeTimeUnit>(item, "timeUnit");
  // Without a unit, hours: the demos send bare expiries meant as hours.
  const AxeTimeUnit unit = b.time_unit ? b.time_unit->value() : AxeTimeUnit::kHours;
  const long long per_unit = unit == AxeTimeUnit::kMinutes ? 1 : 60;
  // A value whose minutes would overflow is no real expiry, and one in an unknown unit cannot
  // be converted: either reads as absent.
  const auto in_minutes = [unit, per_unit](std::optional<long long> v) -> std::optional<std::chrono::minutes> {
    constexpr long long kLimit = std::numeric_limits<long long>::max() / 60;
    if (!v || unit == AxeTimeUnit::kUnknown || *v > kLimit || *v < -kLimit) return std::nullopt;
    return std::chrono::minutes(*v * per_unit);
  };
  b.bind_expired_time = in_minutes(read_int(item, "bindExpiredTime"));
  b.callback_expired_time = in_minutes(read_int(item, "callbackExpiredTime"));
  b.user_data = read_string(item, "userData");
  return b;
}

// The undocumented list of a paged answer: the first member, in the answer's order, that is
// an array of objects.
const AnswerJson* first_object_array(const AnswerJson& j) {
  for (const AnswerJson& value : j) {
    if (value.is_array() && !value.empty() && value.front().is_object()) return &value;
  }
  return nullptr;
}

template <typename Item, typename Decode>
std::vector<Item> read_page_items(const AnswerJson& j, Decode decode, std::string_view flat_marker) {
  if (const AnswerJson* list = first_object_array(j)) {
    return internal::read_elements<Item>(*list, decode);
  }
  std::vector<Item> items;
  if (internal::find_member(j, flat_marker)) items.push_back(decode(j));  // a single answer laid out flat, like v1.0
  return items;
}

std::optional<long long> read_count(const AnswerJson& item) {
  for (const char* key : {"bindCount", "bindingCount", "count"}) {
    if (auto value = read_int(item, key)) return value;
  }
  return std::nullopt;
}

AxeNumberBindingCount read_number_count(const AnswerJson& item) {
  return {WireNumber(read_string_any(item, {"number", "virtualNum"}).value_or("")), read_count(item)};
}

// Collects every item of every page.
template <typename Page, typename Item>
Result<std::vector<Item>> collect(Pager<Page> pager, std::vector<Item> Page::*items) {
  std::vector<Item> all;
  while (!pager.done()) {
    auto page = pager.next();
    if (!page) return std::move(page).error();
    auto& chunk = (*page).*items;
    all.insert(all.end(), std::make_move_iterator(chunk.begin()), std::make_move_iterator(chunk.end()));
  }
  return all;
}

// The v2.0 query of the page at `cursor` of the bindings on an X.
AxeQueryV2Request page_of(const AxeBindingsOnNumber& on, const std::optional<std::string>& cursor,
                          std::optional<int> limit) {
  AxeQueryV2Request request(on);
  request.cursor = cursor;
  request.limit = limit;
  return request;
}

// The binding-count query of the page at `cursor` of the app's numbers.
AxeCountPage count_page(const std::optional<std::string>& cursor, std::optional<int> limit) {
  AxeCountPage page;
  page.cursor = cursor;
  page.limit = limit;
  return page;
}

Operation<AxeBindResponse> make_bind(const AxeBindRequest& request) {
  internal::Validator v;
  internal::JsonBody body;
  body.add("bindNum", request.bind_num.str());
  if (const auto* x = std::get_if<PhoneNumber>(&request.virtual_num)) {
    body.add("virtualNum", x->str());
  } else {
    const auto& area = std::get<AreaCode>(request.virtual_num);
    internal::check_area(v, area);
    internal::write_area(body, area);
  }
  if (request.extend_num) {
    check_extension(v, *request.extend_num);
    body.add("extendNum", *request.extend_num);
  }
  if (auto error = check_settings(v, request.settings)) return *error;
  write_settings(body, request.settings);

  ApiCall call{HttpMethod::kPost, kPath, {}, std::move(body), Idempotency::kNonIdempotent};
  return internal::require_subscription_id(
      internal::typed_operation<AxeBindResponse>(std::move(call), [](const AnswerJson& j, AxeBindResponse& r) {
        r.subscription_id.value = read_text(j, "subscriptionId");
        r.virtual_num = read_number(j, "virtualNum");
        r.extend_num = read_text(j, "extendNum");
        r.bind_num = read_number(j, "bindNum");
      }));
}

Operation<ApiResponse> make_modify(const AxeModifyRequest& request) {
  internal::Validator v;
  check_key(v, request.key);
  if (auto error = check_settings(v, request.settings)) return *error;
  internal::JsonBody body;
  write_key(body, request.key);
  write_settings(body, request.settings);
  ApiCall call{HttpMethod::kPut, kPath, {}, std::move(body), Idempotency::kIdempotent};
  return internal::plain_operation(std::move(call));
}

// The v1.0 call naming one binding by `key` in its query string (query, unbind); the
// validation Error when the key is malformed.
Result<ApiCall> binding_call(HttpMethod method, const AxeBindingKey& key) {
  internal::Validator v;
  check_key(v, key);
  if (v.error()) return *v.error();
  internal::Query query;
  add_key(query, key);
  return ApiCall{method, kPath, std::move(query), std::nullopt, Idempotency::kIdempotent};
}

Operation<AxeQueryResponse> make_query(const AxeBindingKey& key) {
  Result<ApiCall> call = binding_call(HttpMethod::kGet, key);
  if (!call) return std::move(call).error();
  return internal::typed_operation<AxeQueryResponse>(std::move(call).value(), [](const AnswerJson& j, AxeQueryResponse& r) {
    r.binding = read_binding(j);
  });
}

Operation<AxeQueryV2Response> make_query_v2(const AxeQueryV2Request& request) {
  internal::Validator v;
  internal::Query query;
  if (const auto* on = std::get_if<AxeBindingsOnNumber>(&request.target)) {
    query.add("virtualNum", on->virtual_num);
    if (request.cursor) {
      // \d{13}_\d{1,20}, as the platform requires.
      const auto underscore = request.cursor->find('_');
      v.require(underscore == 13, "cursor must look like 0000000000000_0");
      if (underscore == 13) {
        v.digits("cursor", request.cursor->substr(0, 13), 13, 13).digits("cursor", request.cursor->substr(14), 1, 20);
      }
    }
    query.add("cursor", request.cursor);
  } else {
    const AxeBindingKey key = std::holds_alternative<SubscriptionId>(request.target)
                                  ? AxeBindingKey(std::get<SubscriptionId>(request.target))
                                  : AxeBindingKey(std::get<AxeExtension>(request.target));
    check_key(v, key);
    add_key(query, key);
  }
  v.range("limit", request.limit, 1, INT32_MAX);
  if (v.error()) return *v.error();
  query.add("limit", request.limit);
  ApiCall call{HttpMethod::kGet, kPathV2, std::move(query), std::nullopt, Idempotency::kIdempotent};
  return internal::typed_operation<AxeQueryV2Response>(std::move(call), [](const AnswerJson& j, AxeQueryV2Response& r) {
    r.bindings = read_page_items<AxeBinding>(j, read_binding, "subscriptionId");
    r.next_cursor = read_next_cursor(j);
  });
}

Operation<AxeBindingCountResponse> make_count(const AxeBindingCountRequest& request) {
  internal::Query query;
  if (const auto* number = std::get_if<PhoneNumber>(&request)) {
    query.add("number", *number);
  } else {
    const auto& page = std::get<AxeCountPage>(request);
    internal::Validator v;
    if (page.cursor) v.digits("cursor", *page.cursor, 1, 20);
    v.range("limit", page.limit, 1, kAxeMaxCountPageSize);
    if (v.error()) return *v.error();
    query.add("cursor", page.cursor).add("limit", page.limit);
  }
  ApiCall call{HttpMethod::kGet, kCountPath, std::move(query), std::nullopt, Idempotency::kIdempotent};
  return internal::typed_operation<AxeBindingCountResponse>(
      std::move(call), [](const AnswerJson& j, AxeBindingCountResponse& r) {
        r.numbers = read_page_items<AxeNumberBindingCount>(j, read_number_count, "number");
        r.next_cursor = read_next_cursor(j);
      });
}

Operation<ApiResponse> make_unbind(const AxeBindingKey& key) {
  Result<ApiCall> call = binding_call(HttpMethod::kDelete, key);
  if (!call) return std::move(call).error();
  return internal::plain_operation(std::move(call).value());
}

// The real AxeConnection: each operation through the client's core.
class AxeRestConnection final : public AxeConnection {
 public:
  explicit AxeRestConnection(std::shared_ptr<const internal::ClientCore> core) : core_(std::move(core)) {}

  Result<AxeBindResponse> bind(const AxeBindRequest& request, const CallOptions& options) override {
    return core_->run(make_bind(request), options);
  }
  Result<ApiResponse> modify(const AxeModifyRequest& request, const CallOptions& options) override {
    return core_->run(make_modify(request), options);
  }
  Result<AxeQueryResponse> query(const AxeBindingKey& key, const CallOptions& options) override {
    return core_->run(make_query(key), options);
  }
  Result<AxeQueryV2Response> query_v2(const AxeQueryV2Request& request, const CallOptions& options) override {
    return core_->run(make_query_v2(request), options);
  }
  Result<AxeBindingCountResponse> count(const AxeBindingCountRequest& request, const CallOptions& options) override {
    return core_->run(make_count(request), options);
  }
  Result<ApiResponse> unbind(const AxeBindingKey& key, const CallOptions& options) override {
    return core_->run(make_unbind(key), options);
  }

  void bind_async(const AxeBindRequest& request, Callback<AxeBindResponse> done, const CallOptions& options) override {
    core_->run_async("axe.bind", make_bind(request), options, std::move(done));
  }
  void modify_async(const AxeModifyRequest& request, Callback<ApiResponse> done, const CallOptions& options) override {
    core_->run_async("axe.modify", make_modify(request), options, std::move(done));
  }
  void query_async(const AxeBindingKey& key, Callback<AxeQueryResponse> done, const CallOptions& options) override {
    core_->run_async("axe.query", make_query(key), options, std::move(done));
  }
  void query_v2_async(const AxeQueryV2Request& request, Callback<AxeQueryV2Response> done,
                      const CallOptions& options) override {
    core_->run_async("axe.query_v2", make_query_v2(request), options, std::move(done));
  }
  void count_async(const AxeBindingCountRequest& request, Callback<AxeBindingCountResponse> done,
                   const CallOptions& options) override {
    core_->run_async("axe.count", make_count(request), options, std::move(done));
  }
  void unbind_async(const AxeBindingKey& key, Callback<ApiResponse> done, const CallOptions& options) override {
    core_->run_async("axe.unbind", make_unbind(key), options, std::move(done));
  }

 private:
  std::shared_ptr<const internal::ClientCore> core_;
};

}  // namespace

PRIVACYCALL_INLINE_NAMESPACE_END

std::shared_ptr<AxeConnection> internal::make_axe_connection(std::shared_ptr<const ClientCore> core) {
  return std::make_shared<AxeRestConnection>(std::move(core));
}

PRIVACYCALL_INLINE_NAMESPACE_BEGIN

Result<AxeBindResponse> AxeClient::bind(const AxeBindRequest& request, const CallOptions& options) const {
  return connection_->bind(request, options);
}
Result<ApiResponse> AxeClient::modify(const AxeModifyRequest& request, const CallOptions& options) const {
  return connection_->modify(request, options);
}
Result<AxeQueryResponse> AxeClient::query(const AxeBindingKey& key, const CallOptions& options) const {
  return connection_->query(key, options);
}
Result<AxeQueryV2Response> AxeClient::query_v2(const AxeQueryV2Request& request, const CallOptions& options) const {
  return connection_->query_v2(request, options);
}
Result<AxeBindingCountResponse> AxeClient::count(const AxeBindingCountRequest& request,
                                                 const CallOptions& options) const {
  return connection_->count(request, options);
}
Result<ApiResponse> AxeClient::unbind(const AxeBindingKey& key, const CallOptions& options) const {
  return connection_->unbind(key, options);
}

CursorPager<AxeQueryV2Response> AxeClient::query_pages(const AxeBindingsOnNumber& on, std::optional<int> limit,
                                                       const CallOptions& options) const {
  return internal::cursor_pager<AxeQueryV2Response>(
      [connection = connection_, on, limit, options](const std::optional<std::string>& cursor) {
        return connection->query_v2(page_of(on, cursor, limit), options);
      });
}

Result<std::vector<AxeBinding>> AxeClient::query_all(const AxeBindingsOnNumber& on, std::optional<int> limit,
                                                     const CallOptions& options) const {
  return collect(query_pages(on, limit, options), &AxeQueryV2Response::bindings);
}

CursorPager<AxeBindingCountResponse> AxeClient::count_pages(std::optional<int> limit,
                                                            const CallOptions& options) const {
  return internal::cursor_pager<AxeBindingCountResponse>(
      [connection = connection_, limit, options](const std::optional<std::string>& cursor) {
        return connection->count(count_page(cursor, limit), options);
      });
}

Result<std::vector<AxeNumberBindingCount>> AxeClient::count_all(std::optional<int> limit,
                                                                const CallOptions& options) const {
  return collect(count_pages(limit, options), &AxeBindingCountResponse::numbers);
}

Future<AxeBindResponse> AsyncAxeClient::bind(const AxeBindRequest& request, const CallOptions& options) const {
  return internal::future_of(*connection_, &AxeConnection::bind_async, request, options);
}
void AsyncAxeClient::bind(const AxeBindRequest& request, Callback<AxeBindResponse> done,
                          const CallOptions& options) const {
  connection_->bind_async(request, std::move(done), options);
}
Future<ApiResponse> AsyncAxeClient::modify(const AxeModifyRequest& request, const CallOptions& options) const {
  return internal::future_of(*connection_, &AxeConnection::modify_async, request, options);
}
void AsyncAxeClient::modify(const AxeModifyRequest& request, Callback<ApiResponse> done,
                            const CallOptions& options) const {
  connection_->modify_async(request, std::move(done), options);
}
Future<AxeQueryResponse> AsyncAxeClient::query(const AxeBindingKey& key, const CallOptions& options) const {
  return internal::future_of(*connection_, &AxeConnection::query_async, key, options);
}
void AsyncAxeClient::query(const AxeBindingKey& key, Callback<AxeQueryResponse> done,
                           const CallOptions& options) const {
  connection_->query_async(key, std::move(done), options);
}
Future<AxeQueryV2Response> AsyncAxeClient::query_v2(const AxeQueryV2Request& request,
                                                    const CallOptions& options) const {
  return internal::future_of(*connection_, &AxeConnection::query_v2_async, request, options);
}
void AsyncAxeClient::query_v2(const AxeQueryV2Request& request, Callback<AxeQueryV2Response> done,
                              const CallOptions& options) const {
  connection_->query_v2_async(request, std::move(done), options);
}
Future<AxeBindingCountResponse> AsyncAxeClient::count(const AxeBindingCountRequest& request,
                                                      const CallOptions& options) const {
  return internal::future_of(*connection_, &AxeConnection::count_async, request, options);
}
void AsyncAxeClient::count(const AxeBindingCountRequest& request, Callback<AxeBindingCountResponse> done,
                           const CallOptions& options) const {
  connection_->count_async(request, std::move(done), options);
}
Future<ApiResponse> AsyncAxeClient::unbind(const AxeBindingKey& key, const CallOptions& options) const {
  return internal::future_of(*connection_, &AxeConnection::unbind_async, key, options);
}
void AsyncAxeClient::unbind(const AxeBindingKey& key, Callback<ApiResponse> done, const CallOptions& options) const {
  connection_->unbind_async(key, std::move(done), options);
}

void AsyncAxeClient::query_all(const AxeBindingsOnNumber& on, Callback<std::vector<AxeBinding>> done,
                               std::optional<int> limit, const CallOptions& options) const {
  internal::AsyncCursorWalk<AxeQueryV2Response, AxeBinding>::start(
      [connection = connection_, on, limit, options](const std::optional<std::string>& cursor,
                                                     Callback<AxeQueryV2Response> page_done) {
        connection->query_v2_async(page_of(on, cursor, limit), std::move(page_done), options);
      },
      &AxeQueryV2Response::bindings, std::move(done));
}
Future<std::vector<AxeBinding>> AsyncAxeClient::query_all(const AxeBindingsOnNumber& on, std::optional<int> limit,
                                                          const CallOptions& options) const {
  return internal::as_future<std::vector<AxeBinding>>(
      [&](Callback<std::vector<AxeBinding>> done) { query_all(on, std::move(done), limit, options); });
}
void AsyncAxeClient::count_all(Callback<std::vector<AxeNumberBindingCount>> done, std::optional<int> limit,
                               const CallOptions& options) const {
  internal::AsyncCursorWalk<AxeBindingCountResponse, AxeNumberBindingCount>::start(
      [connection = connection_, limit, options](const std::optional<std::string>& cursor,
                                                 Callback<AxeBindingCountResponse> page_done) {
        connection->count_async(count_page(cursor, limit), std::move(page_done), options);
      },
      &AxeBindingCountResponse::numbers, std::move(done));
}
Future<std::vector<AxeNumberBindingCount>> AsyncAxeClient::count_all(std::optional<int> limit,
                                                                     const CallOptions& options) const {
  return internal::as_future<std::vector<AxeNumberBindingCount>>(
      [&](Callback<std::vector<AxeNumberBindingCount>> done) { count_all(std::move(done), limit, options); });
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall
