#include <privacycall/async.hpp>
#include <privacycall/call_control.hpp>
#include <privacycall/call_control_connection.hpp>

#include <memory>

#include "client/as_future.hpp"
#include "client/connections.hpp"
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

// The real CallControlConnection: each operation through the client's core.
class CallControlRestConnection final : public CallControlConnection {
 public:
  explicit CallControlRestConnection(std::shared_ptr<const internal::ClientCore> core) : core_(std::move(core)) {}

  Result<ApiResponse> stop_call(const StopCallRequest& request, const CallOptions& options) override {
    return core_->run(make_stop_call(request), options);
  }

  void stop_call_async(const StopCallRequest& request, Callback<ApiResponse> done,
                       const CallOptions& options) override {
    core_->run_async("calls.stop_call", make_stop_call(request), options, std::move(done));
  }

 private:
  std::shared_ptr<const internal::ClientCore> core_;
};

}  // namespace

PRIVACYCALL_INLINE_NAMESPACE_END

std::shared_ptr<CallControlConnection> internal::make_call_control_connection(std::shared_ptr<const ClientCore> core) {
  return std::make_shared<CallControlRestConnection>(std::move(core));
}

PRIVACYCALL_INLINE_NAMESPACE_BEGIN

Result<ApiResponse> CallControlClient::stop_call(const StopCallRequest& request, const CallOptions& options) const {
  return connection_->stop_call(request, options);
}

Future<ApiResponse> AsyncCallControlClient::stop_call(const StopCallRequest& request,
                                                      const CallOptions& options) const {
  return internal::future_of(*connection_, &CallControlConnection::stop_call_async, request, options);
}
void AsyncCallControlClient::stop_call(const StopCallRequest& request, Callback<ApiResponse> done,
                                       const CallOptions& options) const {
  connection_->stop_call_async(request, std::move(done), options);
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall
