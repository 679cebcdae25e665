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

/// Sends `call`; on success decodes the answer with `decode(json, response)`.
template <typename Response, typename Decode>
Result<Response> call_typed(const ClientCore& core, const ApiCall& call, const CallOptions& options,
                            Decode&& decode) {
  auto reply = core.call_json(call, options);
  if (!reply) return std::move(reply).error();
  auto response = with_envelope<Response>(reply->envelope);
  decode(reply->json, response);
  return response;
}

/// Sends `call` whose success carries nothing but the envelope.
inline Result<ApiResponse> call_plain(const ClientCore& core, const ApiCall& call, const CallOptions& options) {
  auto reply = core.call_json(call, options);
  if (!reply) return std::move(reply).error();
  return reply->envelope;
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

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_INTERNAL_ENDPOINT_HPP
