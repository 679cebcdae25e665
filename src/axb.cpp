#include <privacycall/axb.hpp>
#include <privacycall/async.hpp>

#include "internal/client_core.hpp"
#include "internal/wire.hpp"

namespace privacycall {
namespace {

using internal::ApiCall;
using internal::read_duration;
using internal::read_flag;
using internal::read_small_int;
using internal::read_string;
using nlohmann::json;

constexpr std::string_view kPath = "/rest/caas/relationnumber/partners/v1.0";

std::optional<Error> check_settings(internal::Validator& v, const AxbSettings& s) {
  v.range("duration", s.duration, 0, kAxbMaxBindingDuration.count(), "seconds")
      .range("maxDuration", s.max_duration, 0, kMaxCallDuration.count(), "minutes")
      .tone("recordHintTone", s.record_hint_tone)
      .tone("lastMinVoice", s.last_min_voice)
      .user_data("userData", s.user_data);
  internal::check_pre_voice(v, s.pre_voice);
  return v.error();
}

void write_settings(json& body, const AxbSettings& s) {
  if (s.call_direction) body["callDirection"] = internal::wire(*s.call_direction);
  internal::write_optional(body, "duration", s.duration);
  internal::write_flag(body, "recordFlag", s.record_flag);
  internal::write_optional(body, "recordHintTone", s.record_hint_tone);
  internal::write_optional(body, "maxDuration", s.max_duration);
  internal::write_optional(body, "lastMinVoice", s.last_min_voice);
  internal::write_flag(body, "privateSms", s.private_sms);
  if (s.pre_voice) body["preVoice"] = internal::pre_voice_json(*s.pre_voice);
  internal::write_optional(body, "userData", s.user_data);
}

AxbBinding read_binding(const json& item) {
  AxbBinding binding;
  binding.subscription_id.value = read_string(item, "subscriptionId").value_or("");
  binding.relation_num = read_string(item, "relationNum").value_or("");
  binding.caller_num = read_string(item, "callerNum").value_or("");
  binding.callee_num = read_string(item, "calleeNum").value_or("");
  binding.call_direction = read_small_int(item, "callDirection");
  binding.duration = read_duration<std::chrono::seconds>(item, "duration");
  binding.record_flag = read_flag(item, "recordFlag");
  binding.record_hint_tone = read_string(item, "recordHintTone");
  binding.max_duration = read_duration<std::chrono::minutes>(item, "maxDuration");
  binding.last_min_voice = read_string(item, "lastMinVoice");
  binding.private_sms = read_flag(item, "privateSms");
  binding.pre_voice = internal::read_pre_voice(item, "preVoice");
  binding.user_data = read_string(item, "userData");
  binding.subscribe_time = read_string(item, "subscribeTime");
  return binding;
}

using internal::Operation;
using internal::refuse;

Operation<AxbBindResponse> make_bind(const AxbBindRequest& request) {
  internal::Validator v;
  v.require(request.caller_num != request.callee_num, "callerNum and calleeNum must differ");
  if (const auto* area = std::get_if<AreaCode>(&request.relation)) internal::check_area(v, *area);
  if (auto error = check_settings(v, request.settings)) return refuse<AxbBindResponse>(*error);

  json body = json::object();
  body["callerNum"] = request.caller_num.str();
  body["calleeNum"] = request.callee_num.str();
  if (const auto* number = std::get_if<PhoneNumber>(&request.relation)) {
    body["relationNum"] = number->str();
  } else if (const auto* area = std::get_if<AreaCode>(&request.relation)) {
    internal::write_area(body, *area);
  }
  write_settings(body, request.settings);

  Operation<AxbBindResponse> operation;
  operation.call = ApiCall{HttpMethod::kPost, kPath, {}, std::move(body), Idempotency::kNonIdempotent};
  operation.decode = [](internal::JsonReply&& reply) -> Result<AxbBindResponse> {
    auto response = internal::with_envelope<AxbBindResponse>(reply.envelope);
    response.subscription_id.value = read_string(reply.json, "subscriptionId").value_or("");
    response.relation_num = read_string(reply.json, "relationNum").value_or("");
    response.call_direction = read_small_int(reply.json, "callDirection");
    response.duration = read_duration<std::chrono::seconds>(reply.json, "duration");
    response.max_duration = read_duration<std::chrono::minutes>(reply.json, "maxDuration");
    if (response.subscription_id.value.empty()) {
      Error error;
      error.category = ErrorCategory::kDecode;
      error.http_status = 200;
      error.result_code = response.result_code;
      error.message = "bind succeeded but the answer carries no subscriptionId";
      return error;
    }
    return response;
  };
  return operation;
}

Operation<ApiResponse> make_modify(const AxbModifyRequest& request) {
  internal::Validator v;
  v.text("subscriptionId", request.subscription_id.value, 1, 64);
  if (request.caller_num && request.callee_num) {
    v.require(*request.caller_num != *request.callee_num, "callerNum and calleeNum must differ");
  }
  if (auto error = check_settings(v, request.settings)) return refuse<ApiResponse>(*error);

  json body = json::object();
  body["subscriptionId"] = request.subscription_id.value;
  if (request.caller_num) body["callerNum"] = request.caller_num->str();
  if (request.callee_num) body["calleeNum"] = request.callee_num->str();
  write_settings(body, request.settings);
  return {std::nullopt, ApiCall{HttpMethod::kPut, kPath, {}, std::move(body), Idempotency::kIdempotent},
          internal::envelope_only};
}

Operation<AxbQueryResponse> make_query(const AxbQueryRequest& request) {
  internal::Validator v;
  internal::Query query;
  if (const auto* id = std::get_if<SubscriptionId>(&request)) {
    v.text("subscriptionId", id->value, 1, 64);
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
  if (v.error()) return refuse<AxbQueryResponse>(*v.error());
  Operation<AxbQueryResponse> operation;
  operation.call = ApiCall{HttpMethod::kGet, kPath, std::move(query), std::nullopt, Idempotency::kIdempotent};
  operation.decode = [](internal::JsonReply&& reply) -> Result<AxbQueryResponse> {
    auto response = internal::with_envelope<AxbQueryResponse>(reply.envelope);
    if (auto it = reply.json.find("relationNumList"); it != reply.json.end() && it->is_array()) {
      for (const json& item : *it) {
        if (item.is_object()) response.bindings.push_back(read_binding(item));
      }
    }
    return response;
  };
  return operation;
}

Operation<ApiResponse> make_unbind(const AxbUnbindRequest& request) {
  internal::Query query;
  if (const auto* id = std::get_if<SubscriptionId>(&request)) {
    internal::Validator v;
    v.text("subscriptionId", id->value, 1, 64);
    if (v.error()) return refuse<ApiResponse>(*v.error());
    query.add("subscriptionId", id->value);
  } else {
    query.add("relationNum", std::get<AxbAllBindingsOnNumber>(request).relation_num);
  }
  return {std::nullopt, ApiCall{HttpMethod::kDelete, kPath, std::move(query), std::nullopt, Idempotency::kIdempotent},
          internal::envelope_only};
}

}  // namespace

Result<AxbBindResponse> AxbClient::bind(const AxbBindRequest& request, const CallOptions& options) const {
  return core_->run(make_bind(request), options);
}
Result<ApiResponse> AxbClient::modify(const AxbModifyRequest& request, const CallOptions& options) const {
  return core_->run(make_modify(request), options);
}
Result<AxbQueryResponse> AxbClient::query(const AxbQueryRequest& request, const CallOptions& options) const {
  return core_->run(make_query(request), options);
}
Result<ApiResponse> AxbClient::unbind(const AxbUnbindRequest& request, const CallOptions& options) const {
  return core_->run(make_unbind(request), options);
}

Future<AxbBindResponse> AsyncAxbClient::bind(const AxbBindRequest& request, const CallOptions& options) const {
  return core_->run_async(make_bind(request), options);
}
Future<ApiResponse> AsyncAxbClient::modify(const AxbModifyRequest& request, const CallOptions& options) const {
  return core_->run_async(make_modify(request), options);
}
Future<AxbQueryResponse> AsyncAxbClient::query(const AxbQueryRequest& request, const CallOptions& options) const {
  return core_->run_async(make_query(request), options);
}
Future<ApiResponse> AsyncAxbClient::unbind(const AxbUnbindRequest& request, const CallOptions& options) const {
  return core_->run_async(make_unbind(request), options);
}

}  // namespace privacycall
