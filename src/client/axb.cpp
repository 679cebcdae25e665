#include <privacycall/async.hpp>
#include <privacycall/axb.hpp>
#include <privacycall/axb_connection.hpp>

#include <cstddef>
#include <memory>

#include "client/as_future.hpp"
#include "client/connections.hpp"
#include "client/endpoint.hpp"

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN
namespace {

using internal::ApiCall;
using internal::AnswerJson;
using internal::Operation;
using internal::read_duration;
using internal::read_code;
using internal::read_number;
using internal::read_string;
using internal::read_text;

constexpr std::string_view kPath = "/rest/caas/relationnumber/partners/v1.0";

std::optional<Error> check_settings(internal::Validator& v, const AxbSettings& s) {
  v.range("duration", s.duration, 0, kAxbMaxBindingDuration.count(), "seconds");
  internal::check_code(v, "callDirection", s.call_direction);
  internal::check_call_settings(v, s);
  return v.error();
}

void write_settings(internal::JsonBody& body, const AxbSettings& s) {
  if (s.call_direction) body.add("callDirection", internal::wire(*s.call_direction));
  internal::write_optional(body, "duration", s.duration);
  internal::write_call_settings(body, s);
}

AxbBinding read_binding(const AnswerJson& item) {
  AxbBinding binding;
  binding.subscription_id.value = read_text(item, "subscriptionId");
  binding.relation_num = read_number(item, "relationNum");
  binding.caller_num = read_number(item, "callerNum");
  binding.callee_num = read_number(item, "calleeNum");
  binding.call_direction = read_code<CallDirection>(item, "callDirection");
  binding.duration = read_duration<std::chrono::seconds>(item, "duration");
  internal::read_call_settings(item, binding);
  binding.subscribe_time = read_string(item, "subscribeTime");
  return binding;
}


Operation<AxbBindResponse> make_bind(const AxbBindRequest& request) {
  internal::Validator v;
  v.require(request.caller_num != request.callee_num, "callerNum and calleeNum must differ");
  if (const auto* area = std::get_if<AreaCode>(&request.relation)) internal::check_area(v, *area);
  if (auto error = check_settings(v, request.settings)) return *error;

  internal::JsonBody body;
  body.add("callerNum", request.caller_num.str());
  body.add("calleeNum", request.callee_num.str());
  if (const auto* number = std::get_if<PhoneNumber>(&request.relation)) {
    body.add("relationNum", number->str());
  } else if (const auto* area = std::get_if<AreaCode>(&request.relation)) {
    internal::write_area(body, *area);
  }
  write_settings(body, request.settings);

  ApiCall call{HttpMethod::kPost, kPath, {}, std::move(body), Idempotency::kNonIdempotent};
  return internal::require_subscription_id(
      internal::typed_operation<AxbBindResponse>(std::move(call), [](const AnswerJson& j, AxbBindResponse& r) {
        r.subscription_id.value = read_text(j, "subscriptionId");
        r.relation_num = read_number(j, "relationNum");
        r.call_direction = read_code<CallDirection>(j, "callDirection");
        r.duration = read_duration<std::chrono::seconds>(j, "duration");
        r.max_duration = read_duration<std::chrono::minutes>(j, "maxDuration");
      }));
}

Operation<ApiResponse> make_modify(const AxbModifyRequest& request) {
  internal::Validator v;
  internal::check_subscription_id(v, request.subscription_id);
  if (request.caller_num && request.callee_num) {
    v.require(*request.caller_num != *request.callee_num, "callerNum and calleeNum must differ");
  }
  if (auto error = check_settings(v, request.settings)) return *error;

  internal::JsonBody body;
  body.add("subscriptionId", request.subscription_id.value);
  if (request.caller_num) body.add("callerNum", request.caller_num->str());
  if (request.callee_num) body.add("calleeNum", request.callee_num->str());
  write_settings(body, request.settings);

  ApiCall call{HttpMethod::kPut, kPath, {}, std::move(body), Idempotency::kIdempotent};
  return internal::plain_operation(std::move(call));
}

Operation<AxbQueryResponse> make_query(const AxbQueryRequest& request) {
  internal::Validator v;
  internal::Query query;
  if (const auto* id = std::get_if<SubscriptionId>(&request)) {
    internal::check_subscription_id(v, *id);
    query.add("subscriptionId", id->value);
  } else {
    const auto& on = std::get<AxbBindingsOnNumber>(request);
    v.range("pageIndex", on.page_index, 1, 1000000).range("pageSize", on.page_size, 10, 100);
    query.add("relationNum", on.relation_num)
        .add("callerNum", on.caller_num)
        .add("calleeNum", on.callee_num)
        .add("pageIndex", on.page_index)
        .add("pageSize", on.page_size);
  }
  if (v.error()) return *v.error();

  ApiCall call{HttpMethod::kGet, kPath, std::move(query), std::nullopt, Idempotency::kIdempotent};
  return internal::typed_operation<AxbQueryResponse>(std::move(call), [](const AnswerJson& j, AxbQueryResponse& r) {
    r.bindings = internal::read_objects<AxbBinding>(j, "relationNumList", read_binding);
  });
}

Operation<ApiResponse> make_unbind(const AxbUnbindRequest& request) {
  internal::Query query;
  if (const auto* id = std::get_if<SubscriptionId>(&request)) {
    if (auto error = internal::add_subscription_id(query, *id)) return *error;
  } else {
    query.add("relationNum", std::get<AxbAllBindingsOnNumber>(request).relation_num);
  }
  ApiCall call{HttpMethod::kDelete, kPath, std::move(query), std::nullopt, Idempotency::kIdempotent};
  return internal::plain_operation(std::move(call));
}

// The real AxbConnection: each operation through the client's core.
class AxbRestConnection final : public AxbConnection {
 public:
  explicit AxbRestConnection(std::shared_ptr<const internal::ClientCore> core) : core_(std::move(core)) {}

  Result<AxbBindResponse> bind(const AxbBindRequest& request, const CallOptions& options) override {
    return core_->run(make_bind(request), options);
  }
  Result<ApiResponse> modify(const AxbModifyRequest& request, const CallOptions& options) override {
    return core_->run(make_modify(request), options);
  }
  Result<AxbQueryResponse> query(const AxbQueryRequest& request, const CallOptions& options) override {
    return core_->run(make_query(request), options);
  }
  Result<ApiResponse> unbind(const AxbUnbindRequest& request, const CallOptions& options) override {
    return core_->run(make_unbind(request), options);
  }

  void bind_async(const AxbBindRequest& request, Callback<AxbBindResponse> done, const CallOptions& options) override {
    core_->run_async("axb.bind", make_bind(request), options, std::move(done));
  }
  void modify_async(const AxbModifyRequest& request, Callback<ApiResponse> done, const CallOptions& options) override {
    core_->run_async("axb.modify", make_modify(request), options, std::move(done));
  }
  void query_async(const AxbQueryRequest& request, Callback<AxbQueryResponse> done,
                   const CallOptions& options) override {
    core_->run_async("axb.query", make_query(request), options, std::move(done));
  }
  void unbind_async(const AxbUnbindRequest& request, Callback<ApiResponse> done, const CallOptions& options) override {
    core_->run_async("axb.unbind", make_unbind(request), options, std::move(done));
  }

 private:
  std::shared_ptr<const internal::ClientCore> core_;
};

}  // namespace

PRIVACYCALL_INLINE_NAMESPACE_END

std::shared_ptr<AxbConnection> internal::make_axb_connection(std::shared_ptr<const ClientCore> core) {
  return std::make_shared<AxbRestConnection>(std::move(core));
}

PRIVACYCALL_INLINE_NAMESPACE_BEGIN

Result<AxbBindResponse> AxbClient::bind(const AxbBindRequest& request, const CallOptions& options) const {
  return connection_->bind(request, options);
}
Result<ApiResponse> AxbClient::modify(const AxbModifyRequest& request, const CallOptions& options) const {
  return connection_->modify(request, options);
}
Result<AxbQueryResponse> AxbClient::query(const AxbQueryRequest& request, const CallOptions& options) const {
  return connection_->query(request, options);
}
Result<ApiResponse> AxbClient::unbind(const AxbUnbindRequest& request, const CallOptions& options) const {
  return connection_->unbind(request, options);
}

Pager<AxbQueryResponse> AxbClient::query_pages(const AxbBindingsOnNumber& on, const CallOptions& options) const {
  using Step = Pager<AxbQueryResponse>::Step;
  AxbBindingsOnNumber first = on;
  first.page_index = on.page_index.value_or(1);
  // Absent, the platform's page size applies; the query refuses one out of range.
  const std::size_t page_size = static_cast<std::size_t>(on.page_size.value_or(kAxbDefaultPageSize));
  return Pager<AxbQueryResponse>([connection = connection_, next = std::move(first), page_size, options]() mutable {
    Result<AxbQueryResponse> page = connection->query(next, options);
    // No total is sent: only a short page tells that no other follows.
    const bool more = page.ok() && page->bindings.size() >= page_size;
    next.page_index = *next.page_index + 1;
    return Step{std::move(page), more};
  });
}

Future<AxbBindResponse> AsyncAxbClient::bind(const AxbBindRequest& request, const CallOptions& options) const {
  return internal::future_of(*connection_, &AxbConnection::bind_async, request, options);
}
void AsyncAxbClient::bind(const AxbBindRequest& request, Callback<AxbBindResponse> done,
                          const CallOptions& options) const {
  connection_->bind_async(request, std::move(done), options);
}
Future<ApiResponse> AsyncAxbClient::modify(const AxbModifyRequest& request, const CallOptions& options) const {
  return internal::future_of(*connection_, &AxbConnection::modify_async, request, options);
}
void AsyncAxbClient::modify(const AxbModifyRequest& request, Callback<ApiResponse> done,
                            const CallOptions& options) const {
  connection_->modify_async(request, std::move(done), options);
}
Future<AxbQueryResponse> AsyncAxbClient::query(const AxbQueryRequest& request, const CallOptions& options) const {
  return internal::future_of(*connection_, &AxbConnection::query_async, request, options);
}
void AsyncAxbClient::query(const AxbQueryRequest& request, Callback<AxbQueryResponse> done,
                           const CallOptions& options) const {
  connection_->query_async(request, std::move(done), options);
}
Future<ApiResponse> AsyncAxbClient::unbind(const AxbUnbindRequest& request, const CallOptions& options) const {
  return internal::future_of(*connection_, &AxbConnection::unbind_async, request, options);
}
void AsyncAxbClient::unbind(const AxbUnbindRequest& request, Callback<ApiResponse> done,
                            const CallOptions& options) const {
  connection_->unbind_async(request, std::move(done), options);
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall
