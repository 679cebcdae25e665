#ifndef PRIVACYCALL_INTERNAL_ENDPOINT_HPP
#define PRIVACYCALL_INTERNAL_ENDPOINT_HPP

// The steps every endpoint repeats after describing its call: send it through the core, then
// turn the JSON answer into the typed response.

#include <privacycall/common.hpp>
#include <privacycall/result.hpp>

#include <utility>

#include "internal/client_core.hpp"
#include "internal/wire.hpp"

namespace privacycall::internal {

/// An Operation for `call` whose answer is decoded by `decode(json, response)`.
template <typename Response, typename Decode>
Operation<Response> typed_operation(ApiCall call, Decode decode) {
  Operation<Response> operation;
  operation.call = std::move(call);
  operation.decode = [decode = std::move(decode)](JsonReply&& reply) -> Result<Response> {
    auto response = with_envelope<Response>(reply.envelope);
    decode(reply.json, response);
    return response;
  };
  return operation;
}

/// An Operation for `call` whose success carries nothing but the envelope.
inline Operation<ApiResponse> plain_operation(ApiCall call) {
  Operation<ApiResponse> operation;
  operation.call = std::move(call);
  operation.decode = envelope_only;
  return operation;
}

/// Sends `call`; on success decodes the answer with `decode(json, response)`.
template <typename Response, typename Decode>
Result<Response> call_typed(const ClientCore& core, const ApiCall& call, const CallOptions& options,
                            Decode&& decode) {
  return core.run(typed_operation<Response>(call, std::forward<Decode>(decode)), options);
}

/// Sends `call` whose success carries nothing but the envelope.
inline Result<ApiResponse> call_plain(const ClientCore& core, const ApiCall& call, const CallOptions& options) {
  return core.run(plain_operation(call), options);
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
/// because the caller could never modify or unbind what it created.
template <typename Response>
Result<Response> require_subscription_id(Result<Response> response) {
  if (response.ok() && response->subscription_id.value.empty()) {
    return missing_in_success(*response, "a subscriptionId");
  }
  return response;
}

/// The same rule applied to an Operation's decoding.
template <typename Response>
Operation<Response> require_subscription_id(Operation<Response> operation) {
  if (operation.invalid) return operation;
  operation.decode = [decode = std::move(operation.decode)](JsonReply&& reply) {
    return require_subscription_id(decode(std::move(reply)));
  };
  return operation;
}

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_INTERNAL_ENDPOINT_HPP
