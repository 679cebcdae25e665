#include <privacycall/ax.hpp>
#include <privacycall/ax_connection.hpp>
#include <privacycall/async.hpp>

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
using internal::read_code;
using internal::read_number;
using internal::read_string;
using internal::read_text;

constexpr std::string_view kPath = "/rest/provision/caas/privatenumber/v1.0";
constexpr std::string_view kCalleePath = "/rest/caas/privatenumber/calleenumber/v1.0";

std::string wire(PrivateNumType type) { return Coded<PrivateNumType>(type).raw(); }

std::optional<Error> check_settings(internal::Validator& v, const AxSettings& s) {
  internal::check_call_settings(v, s);
  internal::check_code(v, "calleeNumDisplay", s.callee_num_display);
  internal::check_code(v, "callDirection", s.call_direction);
  return v.error();
}

void write_settings(internal::JsonBody& body, const AxSettings& s) {
  internal::write_call_settings(body, s);
  if (s.callee_num_display) body.add("calleeNumDisplay", internal::wire(*s.callee_num_display));
  if (s.turn_flag) body.add("turnFlag", *s.turn_flag ? "on" : "off");
  if (s.call_direction) body.add("callDirection", internal::wire(*s.call_direction));
}

// subscriptionId wins on the platform, so exactly one of the two is ever sent.
void write_key(internal::JsonBody& body, const AxBindingKey& key) {
  if (const auto* id = std::get_if<SubscriptionId>(&key)) {
    body.add("subscriptionId", id->value);
  } else {
    body.add("privateNum", std::get<AxBindingOnNumber>(key).private_num.str());
  }
}

void add_key(internal::Query& query, const AxBindingKey& key) {
  if (const auto* id = std::get_if<SubscriptionId>(&key)) {
    query.add("subscriptionId", id->value);
  } else {
    query.add("privateNum", std::get<AxBindingOnNumber>(key).private_num);
  }
}

void check_key(internal::Validator& v, const AxBindingKey& key) {
  if (const auto* id = std::get_if<SubscriptionId>(&key)) internal::check_subscription_id(v, *id);
}

std::optional<bool> read_turn_flag(const AnswerJson& item) {
  const auto text = read_string(item, "turnFlag");
  if (text == "on") return true;
  if (text == "off") return false;
  return std::nullopt;
}

AxBinding read_binding(const AnswerJson& item) {
  AxBinding binding;
  binding.subscription_id.value = read_text(item, "subscriptionId");
  binding.orig_num = read_number(item, "origNum");
  binding.private_num = read_number(item, "privateNum");
  binding.private_num_type = read_code<PrivateNumType>(item, "privateNumType");
  binding.subscribe_time = read_string(item, "subscribeTime");
  binding.turn_flag = read_turn_flag(item);
  binding.call_direction = read_code<CallDirection>(item, "callDirection");
  binding.callee_num_display = read_code<DisplayNumber>(item, "calleeNumDisplay");
  internal::read_call_settings(item, binding);
  return binding;
}

Operation<AxBindResponse> make_bind(const AxBindRequest& request) {
  internal::Validator v;
  internal::JsonBody body;
  body.add("origNum", request.orig_num.str());
  if (const auto* x = std::get_if<PhoneNumber>(&request.private_num)) {
    body.add("privateNum", x->str());
  } else {
    const auto& from_area = std::get<AxNumberFromArea>(request.private_num);
    internal::check_area(v, from_area.area);
    internal::check_code(v, "privateNumType", std::optional<PrivateNumType>(from_area.private_num_type));
    internal::write_area(body, from_area.area);
    body.add("privateNumType", wire(from_area.private_num_type));
  }
  if (auto error = check_settings(v, request.settings)) return *error;
  write_settings(body, request.settings);

  ApiCall call{HttpMethod::kPost, kPath, {}, std::move(body), Idempotency::kNonIdempotent};
  return internal::require_subscription_id(
      internal::typed_operation<AxBindResponse>(std::move(call), [](const AnswerJson& j, AxBindResponse& r) {
        r.subscription_id.value = read_text(j, "subscriptionId");
        r.orig_num = read_number(j, "origNum");
        r.private_num = read_number(j, "privateNum");
      }));
}

Operation<ApiResponse> make_modify(const AxModifyRequest& request) {
  internal::Validator v;
  check_key(v, request.key);
  if (auto error = check_settings(v, request.settings)) return *error;

  internal::JsonBody body;
  write_key(body, request.key);
  internal::write_number(body, "origNum", request.orig_num);
  write_settings(body, request.settings);
  ApiCall call{HttpMethod::kPut, kPath, {}, std::move(body), Idempotency::kIdempotent};
  return internal::plain_operation(std::move(call));
}

Operation<AxQueryResponse> make_query(const AxQueryRequest& request) {
  internal::Query query;
  if (const auto* id = std::get_if<SubscriptionId>(&request)) {
    if (auto error = internal::add_subscription_id(query, *id)) return *error;
  } else if (const auto* of_user = std::get_if<AxBindingsOfUser>(&request)) {
    query.add("origNum", of_user->orig_num);
  } else {
    query.add("privateNum", std::get<AxBindingOnNumber>(request).private_num);
  }
  ApiCall call{HttpMethod::kGet, kPath, std::move(query), std::nullopt, Idempotency::kIdempotent};
  return internal::typed_operation<AxQueryResponse>(std::move(call), [](const AnswerJson& j, AxQueryResponse& r) {
    r.bindings = internal::read_objects<AxBinding>(j, "privateNumList", read_binding);
  });
}

Operation<ApiResponse> make_unbind(const AxUnbindRequest& request) {
  internal::Validator v;
  check_key(v, request.key);
  if (v.error()) return *v.error();
  internal::Query query;
  // The documented example puts origNum first; the platform ignores it.
  query.add("origNum", request.orig_num);
  add_key(query, request.key);
  ApiCall call{HttpMethod::kDelete, kPath, std::move(query), std::nullopt, Idempotency::kIdempotent};
  return internal::plain_operation(std::move(call));
}

Operation<ApiResponse> make_set_temporary_callee(const AxTemporaryCalleeRequest& request) {
  internal::Validator v;
  check_key(v, request.key);
  if (request.orig_num) v.require(*request.orig_num != request.callee_num, "origNum and calleeNum must differ");
  v.range("duration", request.duration, kAxMinTemporaryCalleeDuration.count(),
          kAxMaxTemporaryCalleeDuration.count(), "seconds")
      .user_data("userData", request.user_data);
  if (v.error()) return *v.error();

  internal::JsonBody body;
  write_key(body, request.key);
  internal::write_number(body, "origNum", request.orig_num);
  body.add("calleeNum", request.callee_num.str());
  internal::write_optional(body, "duration", request.duration);
  internal::write_optional(body, "userData", request.user_data);
  // Setting the same callee twice leaves the same state: safe to retry.
  ApiCall call{HttpMethod::kPut, kCalleePath, {}, std::move(body), Idempotency::kIdempotent};
  return internal::plain_operation(std::move(call));
}

// The real AxConnection: each operation through the client's core.
class AxRestConnection final : public AxConnection {
 public:
  explicit AxRestConnection(std::shared_ptr<const internal::ClientCore> core) : core_(std::move(core)) {}

  Result<AxBindResponse> bind(const AxBindRequest& request, const CallOptions& options) override {
    return core_->run(make_bind(request), options);
  }
  Result<ApiResponse> modify(const AxModifyRequest& request, const CallOptions& options) override {
    return core_->run(make_modify(request), options);
  }
  Result<AxQueryResponse> query(const AxQueryRequest& request, const CallOptions& options) override {
    return core_->run(make_query(request), options);
  }
  Result<ApiResponse> unbind(const AxUnbindRequest& request, const CallOptions& options) override {
    return core_->run(make_unbind(request), options);
  }
  Result<ApiResponse> set_temporary_callee(const AxTemporaryCalleeRequest& request,
                                           const CallOptions& options) override {
    return core_->run(make_set_temporary_callee(request), options);
  }

  void bind_async(const AxBindRequest& request, Callback<AxBindResponse> done, const CallOptions& options) override {
    core_->run_async("ax.bind", make_bind(request), options, std::move(done));
  }
  void modify_async(const AxModifyRequest& request, Callback<ApiResponse> done, const CallOptions& options) override {
    core_->run_async("ax.modify", make_modify(request), options, std::move(done));
  }
  void query_async(const AxQueryRequest& request, Callback<AxQueryResponse> done, const CallOptions& options) override {
    core_->run_async("ax.query", make_query(request), options, std::move(done));
  }
  void unbind_async(const AxUnbindRequest& request, Callback<ApiResponse> done, const CallOptions& options) override {
    core_->run_async("ax.unbind", make_unbind(request), options, std::move(done));
  }
  void set_temporary_callee_async(const AxTemporaryCalleeRequest& request, Callback<ApiResponse> done,
                                  const CallOptions& options) override {
    core_->run_async("ax.set_temporary_callee", make_set_temporary_callee(request), options, std::move(done));
  }

 private:
  std::shared_ptr<const internal::ClientCore> core_;
};

}  // namespace

PRIVACYCALL_INLINE_NAMESPACE_END

std::shared_ptr<AxConnection> internal::make_ax_connection(std::shared_ptr<const ClientCore> core) {
  return std::make_shared<AxRestConnection>(std::move(core));
}

PRIVACYCALL_INLINE_NAMESPACE_BEGIN

Result<AxBindResponse> AxClient::bind(const AxBindRequest& request, const CallOptions& options) const {
  return connection_->bind(request, options);
}
Result<ApiResponse> AxClient::modify(const AxModifyRequest& request, const CallOptions& options) const {
  return connection_->modify(request, options);
}
Result<AxQueryResponse> AxClient::query(const AxQueryRequest& request, const CallOptions& options) const {
  return connection_->query(request, options);
}
Result<ApiResponse> AxClient::unbind(const AxUnbindRequest& request, const CallOptions& options) const {
  return connection_->unbind(request, options);
}
Result<ApiResponse> AxClient::set_temporary_callee(const AxTemporaryCalleeRequest& request,
                                                   const CallOptions& options) const {
  return connection_->set_temporary_callee(request, options);
}

Pager<AxQueryResponse> AxClient::query_pages(const AxBindingsOfUser& of, const CallOptions& options) const {
  return internal::single_page_pager<AxQueryResponse>(
      [connection = connection_, of, options] { return connection->query(of, options); });
}

Future<AxBindResponse> AsyncAxClient::bind(const AxBindRequest& request, const CallOptions& options) const {
  return internal::future_of(*connection_, &AxConnection::bind_async, request, options);
}
void AsyncAxClient::bind(const AxBindRequest& request, Callback<AxBindResponse> done,
                         const CallOptions& options) const {
  connection_->bind_async(request, std::move(done), options);
}
Future<ApiResponse> AsyncAxClient::modify(const AxModifyRequest& request, const CallOptions& options) const {
  return internal::future_of(*connection_, &AxConnection::modify_async, request, options);
}
void AsyncAxClient::modify(const AxModifyRequest& request, Callback<ApiResponse> done,
                           const CallOptions& options) const {
  connection_->modify_async(request, std::move(done), options);
}
Future<AxQueryResponse> AsyncAxClient::query(const AxQueryRequest& request, const CallOptions& options) const {
  return internal::future_of(*connection_, &AxConnection::query_async, request, options);
}
void AsyncAxClient::query(const AxQueryRequest& request, Callback<AxQueryResponse> done,
                          const CallOptions& options) const {
  connection_->query_async(request, std::move(done), options);
}
Future<ApiResponse> AsyncAxClient::unbind(const AxUnbindRequest& request, const CallOptions& options) const {
  return internal::future_of(*connection_, &AxConnection::unbind_async, request, options);
}
void AsyncAxClient::unbind(const AxUnbindRequest& request, Callback<ApiResponse> done,
                           const CallOptions& options) const {
  connection_->unbind_async(request, std::move(done), options);
}
Future<ApiResponse> AsyncAxClient::set_temporary_callee(const AxTemporaryCalleeRequest& request,
                                                        const CallOptions& options) const {
  return internal::future_of(*connection_, &AxConnection::set_temporary_callee_async, request, options);
}
void AsyncAxClient::set_temporary_callee(const AxTemporaryCalleeRequest& request, Callback<ApiResponse> done,
                                         const CallOptions& options) const {
  connection_->set_temporary_callee_async(request, std::move(done), options);
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall
