#ifndef PRIVACYCALL_AX_CONNECTION_HPP
#define PRIVACYCALL_AX_CONNECTION_HPP

/// @file
/// AxConnection: what AxClient and AsyncAxClient call, one virtual per operation.

#include <privacycall/abi.hpp>
#include <privacycall/ax.hpp>
#include <privacycall/callback.hpp>
#include <privacycall/common.hpp>
#include <privacycall/options.hpp>
#include <privacycall/result.hpp>

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// The AX operations as a replaceable seam (see AxbConnection): Client makes the real one, a
/// test hands AxClient(connection) a privacycall::testing::MockAxConnection.
class AxConnection {
 public:
  virtual ~AxConnection() = default;

  /// AxClient::bind().
  virtual Result<AxBindResponse> bind(const AxBindRequest& request, const CallOptions& options) = 0;
  /// AxClient::modify().
  virtual Result<ApiResponse> modify(const AxModifyRequest& request, const CallOptions& options) = 0;
  /// AxClient::query().
  virtual Result<AxQueryResponse> query(const AxQueryRequest& request, const CallOptions& options) = 0;
  /// AxClient::unbind().
  virtual Result<ApiResponse> unbind(const AxUnbindRequest& request, const CallOptions& options) = 0;
  /// AxClient::set_temporary_callee().
  virtual Result<ApiResponse> set_temporary_callee(const AxTemporaryCalleeRequest& request,
                                                   const CallOptions& options) = 0;

  /// bind(), delivering its Result to @p done exactly once.
  virtual void bind_async(const AxBindRequest& request, Callback<AxBindResponse> done, const CallOptions& options) = 0;
  /// modify(), delivering its Result to @p done exactly once.
  virtual void modify_async(const AxModifyRequest& request, Callback<ApiResponse> done,
                            const CallOptions& options) = 0;
  /// query(), delivering its Result to @p done exactly once.
  virtual void query_async(const AxQueryRequest& request, Callback<AxQueryResponse> done,
                           const CallOptions& options) = 0;
  /// unbind(), delivering its Result to @p done exactly once.
  virtual void unbind_async(const AxUnbindRequest& request, Callback<ApiResponse> done,
                            const CallOptions& options) = 0;
  /// set_temporary_callee(), delivering its Result to @p done exactly once.
  virtual void set_temporary_callee_async(const AxTemporaryCalleeRequest& request, Callback<ApiResponse> done,
                                          const CallOptions& options) = 0;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_AX_CONNECTION_HPP
