#include <privacycall/async.hpp>
#include <privacycall/axyb.hpp>
#include <privacycall/axyb_connection.hpp>

#include <memory>

#include "client/as_future.hpp"
#include "client/connections.hpp"
#include "client/cursor_pager.hpp"
#include "client/endpoint.hpp"

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN
namespace {

using internal::ApiCall;
using internal::AnswerJson;
using internal::Operation;
using internal::read_duration;
using internal::read_flag;
using internal::read_code;
using internal::read_number;
using internal::read_string;
using internal::read_text;

constexpr std::string_view kPath = "/rest/omp/xyrelationnumber/v1.0";

// Every AXYB call names the app in the query string, POST included.
internal::Query app_query(const internal::ClientCore& core) {
  internal::Query query;
  query.add("app_key", core.options().app_key);
  return query;
}

void check_lifetime(internal::Validator& v, const char* field, const std::optional<std::chrono::seconds>& value) {
  if (value && value->count() != 0) v.range(field, value, kAxybMinDuration.count(), kAxybMaxDuration.count(), "seconds (or 0)");
}

std::optional<Error> check_settings(internal::Validator& v, const AxybSettings& s) {
  check_lifetime(v, "duration", s.duration);
  check_lifetime(v, "ybDuration", s.yb_duration);
  internal::check_code(v, "callDirection", s.call_direction);
  v.tone("recordHintTone", s.record_hint_tone)
      .tone("preVoiceX", s.pre_voice_x)
      .tone("preVoiceY", s.pre_voice_y)
      .user_data("userData", s.user_data);
  return v.error();
}

void write_settings(internal::JsonBody& body, const AxybSettings& s) {
  if (s.call_direction) body.add("callDirection", internal::wire(*s.call_direction));
  internal::write_optional(body, "duration", s.duration);
  internal::write_optional(body, "ybDuration", s.yb_duration);
  internal::write_flag(body, "recordFlag", s.record_flag);
  internal::write_optional(body, "recordHintTone", s.record_hint_tone);
  internal::write_optional(body, "preVoiceX", s.pre_voice_x);
  internal::write_optional(body, "preVoiceY", s.pre_voice_y);
  internal::write_optional(body, "userData", s.user_data);
}

Operation<AxybBindResponse> bind_operation(const internal::ClientCore& core, internal::JsonBody body, const AxybSettings& settings,
                                           internal::Validator& v) {
  if (auto error = check_settings(v, settings)) return *error;
  write_settings(body, settings);
  ApiCall call{HttpMethod::kPost, kPath, app_query(core), std::move(body), Idempotency::kNonIdempotent};
  return internal::require_subscription_id(
      internal::typed_operation<AxybBindResponse>(std::move(call), [](const AnswerJson& j, AxybBindResponse& r) {
        r.subscription_id.value = read_text(j, "subscriptionId");
        r.relation_num = read_number(j, "relationNumber");
      }));
}

AxybRelation read_relation(const AnswerJson& item) {
  AxybRelation r;
  r.subscription_id.value = read_text(item, "bindId");
  r.num_a = read_number(item, "numA");
  r.num_x = read_number(item, "numX");
  r.num_y = read_number(item, "numY");
  r.num_b = read_number(item, "numB");
  r.record_flag = read_flag(item, "recordFlag");
  r.record_hint_tone = read_string(item, "recordHintTone");
  r.subscribe_time = read_string(item, "subscribeTime");
  r.call_direction = read_code<CallDirection>(item, "callDirection");
  // Strings in the query table, integers in the demo: read_duration accepts both.
  r.duration = read_duration<std::chrono::seconds>(item, "duration");
  r.yb_duration = read_duration<std::chrono::seconds>(item, "ybDuration");
  r.pre_voice_x = read_string(item, "preVoiceX");
  r.pre_voice_y = read_string(item, "preVoiceY");
  r.user_data = read_string(item, "userData");
  return r;
}

Operation<AxybBindResponse> make_bind_ax(const internal::ClientCore& core, const AxybBindAxRequest& request) {
  internal::Validator v;
  internal::check_area(v, request.area);
  internal::JsonBody body;
  body.add("origNum", request.orig_num.str());
  internal::write_area(body, request.area);
  return bind_operation(core, std::move(body), request.settings, v);
}

Operation<AxybBindResponse> make_bind_yb(const internal::ClientCore& core, const AxybBindYbRequest& request) {
  internal::Validator v;
  internal::check_subscription_id(v, request.subscription_id);
  internal::JsonBody body;
  body.add("origNum", request.orig_num.str());
  body.add("subscriptionId", request.subscription_id.value);
  if (request.area) {
    internal::check_area(v, *request.area);
    internal::write_area(body, *request.area);
  }
  return bind_operation(core, std::move(body), request.settings, v);
}

Operation<AxybQueryResponse> make_query(const internal::ClientCore& core, const AxybQueryRequest& request) {
  internal::Query query = app_query(core);
  if (const auto* id = std::get_if<SubscriptionId>(&request)) {
    if (auto error = internal::add_subscription_id(query, *id)) return *error;
  } else {
    query.add("relationNum", std::get<AxybRelationsOnNumber>(request).relation_num);
  }
  ApiCall call{HttpMethod::kGet, kPath, std::move(query), std::nullopt, Idempotency::kIdempotent};
  return internal::typed_operation<AxybQueryResponse>(std::move(call), [](const AnswerJson& j, AxybQueryResponse& r) {
    r.relations = internal::read_objects<AxybRelation>(j, "xyRelationNumList", read_relation);
  });
}

Operation<ApiResponse> make_unbind(const internal::ClientCore& core, const AxybUnbindRequest& request) {
  internal::Query query = app_query(core);
  const SubscriptionId& id = std::visit([](const auto& r) -> const SubscriptionId& {
    if constexpr (std::is_same_v<std::decay_t<decltype(r)>, SubscriptionId>) {
      return r;
    } else {
      return r.subscription_id;
    }
  }, request);
  if (auto error = internal::add_subscription_id(query, id)) return *error;
  if (const auto* by_y = std::get_if<AxybUnbindYbByY>(&request)) query.add("yNum", by_y->y_num);
  if (const auto* by_b = std::get_if<AxybUnbindYbByB>(&request)) query.add("bNum", by_b->b_num);
  ApiCall call{HttpMethod::kDelete, kPath, std::move(query), std::nullopt, Idempotency::kIdempotent};
  return internal::plain_operation(std::move(call));
}

// The real AxybConnection: each operation through the client's core.
class AxybRestConnection final : public AxybConnection {
 public:
  explicit AxybRestConnection(std::shared_ptr<const internal::ClientCore> core) : core_(std::move(core)) {}

  Result<AxybBindResponse> bind_ax(const AxybBindAxRequest& request, const CallOptions& options) override {
    return core_->run(make_bind_ax(*core_, request), options);
  }
  Result<AxybBindResponse> bind_yb(const AxybBindYbRequest& request, const CallOptions& options) override {
    return core_->run(make_bind_yb(*core_, request), options);
  }
  Result<AxybQueryResponse> query(const AxybQueryRequest& request, const CallOptions& options) override {
    return core_->run(make_query(*core_, request), options);
  }
  Result<ApiResponse> unbind(const AxybUnbindRequest& request, const CallOptions& options) override {
    return core_->run(make_unbind(*core_, request), options);
  }

  void bind_ax_async(const AxybBindAxRequest& request, Callback<AxybBindResponse> done,
                     const CallOptions& options) override {
    core_->run_async("axyb.bind_ax", make_bind_ax(*core_, request), options, std::move(done));
  }
  void bind_yb_async(const AxybBindYbRequest& request, Callback<AxybBindResponse> done,
                     const CallOptions& options) override {
    core_->run_async("axyb.bind_yb", make_bind_yb(*core_, request), options, std::move(done));
  }
  void query_async(const AxybQueryRequest& request, Callback<AxybQueryResponse> done,
                   const CallOptions& options) override {
    core_->run_async("axyb.query", make_query(*core_, request), options, std::move(done));
  }
  void unbind_async(const AxybUnbindRequest& request, Callback<ApiResponse> done, const CallOptions& options) override {
    core_->run_async("axyb.unbind", make_unbind(*core_, request), options, std::move(done));
  }

 private:
  std::shared_ptr<const internal::ClientCore> core_;
};

}  // namespace

PRIVACYCALL_INLINE_NAMESPACE_END

std::shared_ptr<AxybConnection> internal::make_axyb_connection(std::shared_ptr<const ClientCore> core) {
  return std::make_shared<AxybRestConnection>(std::move(core));
}

PRIVACYCALL_INLINE_NAMESPACE_BEGIN

Result<AxybBindResponse> AxybClient::bind_ax(const AxybBindAxRequest& request, const CallOptions& options) const {
  return connection_->bind_ax(request, options);
}
Result<AxybBindResponse> AxybClient::bind_yb(const AxybBindYbRequest& request, const CallOptions& options) const {
  return connection_->bind_yb(request, options);
}
Result<AxybQueryResponse> AxybClient::query(const AxybQueryRequest& request, const CallOptions& options) const {
  return connection_->query(request, options);
}
Result<ApiResponse> AxybClient::unbind(const AxybUnbindRequest& request, const CallOptions& options) const {
  return connection_->unbind(request, options);
}

Pager<AxybQueryResponse> AxybClient::query_pages(const AxybRelationsOnNumber& on, const CallOptions& options) const {
  return internal::single_page_pager<AxybQueryResponse>(
      [connection = connection_, on, options] { return connection->query(on, options); });
}

Future<AxybBindResponse> AsyncAxybClient::bind_ax(const AxybBindAxRequest& request, const CallOptions& options) const {
  return internal::future_of(*connection_, &AxybConnection::bind_ax_async, request, options);
}
void AsyncAxybClient::bind_ax(const AxybBindAxRequest& request, Callback<AxybBindResponse> done,
                              const CallOptions& options) const {
  connection_->bind_ax_async(request, std::move(done), options);
}
Future<AxybBindResponse> AsyncAxybClient::bind_yb(const AxybBindYbRequest& request, const CallOptions& options) const {
  return internal::future_of(*connection_, &AxybConnection::bind_yb_async, request, options);
}
void AsyncAxybClient::bind_yb(const AxybBindYbRequest& request, Callback<AxybBindResponse> done,
                              const CallOptions& options) const {
  connection_->bind_yb_async(request, std::move(done), options);
}
Future<AxybQueryResponse> AsyncAxybClient::query(const AxybQueryRequest& request, const CallOptions& options) const {
  return internal::future_of(*connection_, &AxybConnection::query_async, request, options);
}
void AsyncAxybClient::query(const AxybQueryRequest& request, Callback<AxybQueryResponse> done,
                            const CallOptions& options) const {
  connection_->query_async(request, std::move(done), options);
}
Future<ApiResponse> AsyncAxybClient::unbind(const AxybUnbindRequest& request, const CallOptions& options) const {
  return internal::future_of(*connection_, &AxybConnection::unbind_async, request, options);
}
void AsyncAxybClient::unbind(const AxybUnbindRequest& request, Callback<ApiResponse> done,
                             const CallOptions& options) const {
  connection_->unbind_async(request, std::move(done), options);
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall
