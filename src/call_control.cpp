#include <privacycall/call_control.hpp>

#include "internal/endpoint.hpp"

namespace privacycall {

Result<ApiResponse> CallControlClient::stop_call(const StopCallRequest& request, const CallOptions& options) const {
  internal::Validator v;
  v.text("sessionid", request.session_id, 1, 256);
  if (v.error()) return *v.error();
  nlohmann::json body = {{"sessionid", request.session_id}, {"signal", "call_stop"}};
  // Idempotent by effect (see the header): a repeated stop cannot end a second call.
  internal::ApiCall call{HttpMethod::kPost, "/rest/httpsessions/callStop/v2.0", {}, std::move(body),
                         Idempotency::kIdempotent};
  return internal::call_plain(*core_, call, options);
}

}  // namespace privacycall
