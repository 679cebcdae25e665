#ifndef PRIVACYCALL_CALL_CONTROL_HPP
#define PRIVACYCALL_CALL_CONTROL_HPP

/// @file
/// Control of calls in progress: ending one (终止呼叫接口), in every mode.

#include <privacycall/abi.hpp>
#include <privacycall/common.hpp>
#include <privacycall/options.hpp>
#include <privacycall/result.hpp>

#include <memory>
#include <string>

namespace privacycall {

PRIVACYCALL_INLINE_NAMESPACE_BEGIN

class CallControlConnection;

/// End one call in progress.
struct StopCallRequest {
  /// Stops the call whose `sessionId` is @p session.
  explicit StopCallRequest(std::string session) : session_id(std::move(session)) {}
  /// The call's `sessionId` from its call-event or CDR notification (sent as `sessionid`).
  std::string session_id;
};

/// Call control; obtained from Client::calls(). Cheap to copy, thread-safe.
class CallControlClient {
 public:
  /// Calls @p connection: Client makes the real one; a test may pass a
  /// privacycall::testing::MockCallControlConnection.
  explicit CallControlClient(std::shared_ptr<CallControlConnection> connection) : connection_(std::move(connection)) {}

  /// POST /rest/httpsessions/callStop/v2.0 with signal "call_stop". Fails (1020152) when the
  /// call is unknown or already over.
  ///
  /// Treated as idempotent and so retried on transport errors, timeouts and 5xx: ending a call
  /// twice ends it once. The price is that a retry after a lost success answer reports 1020152
  /// although the call was ended; callers that need certainty check the disconnect event.
  Result<ApiResponse> stop_call(const StopCallRequest& request, const CallOptions& options = {}) const;

 private:
  std::shared_ptr<CallControlConnection> connection_;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_CALL_CONTROL_HPP
