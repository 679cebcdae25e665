#include <privacycall/async.hpp>
#include <privacycall/call_control.hpp>

#include "client/endpoint.hpp"

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN
namespace {

internal::Operation<ApiResponse> make_stop_call(const StopCallRequest& request) {
  internal::Validator v;
  v.text("sessionid", request.session_id, 1, 256);
  if (v.error()) return *v.error();
  internal::JsonBody body;
  body.add("sessionid", request.session_id).add("signal", "call_stop");
  // Idempotent by effect (see the header): a repeated stop cannot end a second call.
  internal::ApiCall call{HttpMethod::kPost, "/rest/httpsessions/callStop/v2.0", {}, std::move(body),
                         Idempotency::kIdempotent};
  return internal::plain_operation(std::move(call));
}

}  // namespace

Result<ApiResponse> CallControlClient::stop_call(const StopCallRequest& request, const CallOptions& options) const {
  return core_->run(make_stop_call(request), options);
}
Future<ApiResponse> AsyncCallControlClient::stop_call(const StopCallRequest& request,
                                                      const CallOptions& options) const {
  return core_->run_async("calls.stop_call", make_stop_call(request), options);
}
void AsyncCallControlClient::stop_call(const StopCallRequest& request, Callback<ApiResponse> done,
                                       const CallOptions& options) const {
  core_->run_async("calls.stop_call", make_stop_call(request), options, std::move(done));
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall
