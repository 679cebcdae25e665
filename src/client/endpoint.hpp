#ifndef PRIVACYCALL_SRC_CLIENT_ENDPOINT_HPP
#define PRIVACYCALL_SRC_CLIENT_ENDPOINT_HPP

// The steps every endpoint repeats after describing its call: turn the JSON answer into the
// typed response, as an Operation that the sync and async APIs both run.

#include <privacycall/common.hpp>
#include <privacycall/result.hpp>

#include <utility>

#include "client/client_core.hpp"
#include "client/wire.hpp"

namespace privacycall::internal {

/// An Operation for `call` whose answer is decoded by `decode(object, response)` once it is
/// HTTP 200 with resultcode "0"; `object` is the answer's top-level JSON object.
template <typename Response, typename Decode>
Operation<Response> typed_operation(ApiCall call, Decode decode) {
  Operation<Response> operation;
  operation.call = std::move(call);
  operation.decode = [decode = std::move(decode)](HttpResponse&& http) -> Result<Response> {
    Result<JsonReply> reply = ClientCore::decode_reply(http);
    if (!reply) return std::move(reply).error();
    auto response = with_envelope<Response>(std::move(reply->envelope));
    decode(std::as_const(reply->document), response);
    response.raw_json = std::move(http.body);
    return response;
  };
  return operation;
}

/// An Operation for `call` whose success carries nothing but the envelope.
inline Operation<ApiResponse> plain_operation(ApiCall call) {
  return typed_operation<ApiResponse>(std::move(call), [](const AnswerJson&, ApiResponse&) {});
}

/// Adds a validated subscriptionId to `query`; the validation Error when it is malformed.
inline std::optional<Error> add_subscription_id(Query& query, const SubscriptionId& id) {
  Validator v;
  check_subscription_id(v, id);
  if (v.error()) return v.error();
  query.add("subscriptionId", id.value);
  return std::nullopt;
}

/// A bind's answer must name the binding; one without a subscriptionId is a decode error,
/// because the caller could never modify or unbind what it created. Applied to an
/// Operation's decoding.
template <typename Response>
Operation<Response> require_subscription_id(Operation<Response> operation) {
  if (operation.invalid) return operation;
  operation.decode = [decode = std::move(operation.decode)](HttpResponse&& http) {
    Result<Response> response = decode(std::move(http));
    if (response.ok() && response->subscription_id.value.empty()) {
      return Result<Response>(missing_in_success(*response, "a subscriptionId"));
    }
    return response;
  };
  return operation;
}

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_SRC_CLIENT_ENDPOINT_HPP
