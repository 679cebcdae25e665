#ifndef PRIVACYCALL_CALL_CONTROL_CONNECTION_HPP
#define PRIVACYCALL_CALL_CONTROL_CONNECTION_HPP

/// @file
/// CallControlConnection: what CallControlClient and AsyncCallControlClient call.

#include <privacycall/abi.hpp>
#include <privacycall/call_control.hpp>
#include <privacycall/callback.hpp>
#include <privacycall/common.hpp>
#include <privacycall/options.hpp>
#include <privacycall/result.hpp>

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// Call control as a replaceable seam (see AxbConnection): Client makes the real one, a test
/// hands CallControlClient(connection) a privacycall::testing::MockCallControlConnection.
class CallControlConnection {
 public:
  virtual ~CallControlConnection() = default;

  /// CallControlClient::stop_call().
  virtual Result<ApiResponse> stop_call(const StopCallRequest& request, const CallOptions& options) = 0;
  /// stop_call(), delivering its Result to @p done exactly once.
  virtual void stop_call_async(const StopCallRequest& request, Callback<ApiResponse> done,
                               const CallOptions& options) = 0;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_CALL_CONTROL_CONNECTION_HPP
