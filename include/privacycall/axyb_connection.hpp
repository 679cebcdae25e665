#ifndef PRIVACYCALL_AXYB_CONNECTION_HPP
#define PRIVACYCALL_AXYB_CONNECTION_HPP

/// @file
/// AxybConnection: what AxybClient and AsyncAxybClient call, one virtual per operation.

#include <privacycall/abi.hpp>
#include <privacycall/axyb.hpp>
#include <privacycall/callback.hpp>
#include <privacycall/common.hpp>
#include <privacycall/options.hpp>
#include <privacycall/result.hpp>

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// The AXYB operations as a replaceable seam (see AxbConnection): Client makes the real one, a
/// test hands AxybClient(connection) a privacycall::testing::MockAxybConnection.
class AxybConnection {
 public:
  virtual ~AxybConnection() = default;

  /// AxybClient::bind_ax().
  virtual Result<AxybBindResponse> bind_ax(const AxybBindAxRequest& request, const CallOptions& options) = 0;
  /// AxybClient::bind_yb().
  virtual Result<AxybBindResponse> bind_yb(const AxybBindYbRequest& request, const CallOptions& options) = 0;
  /// AxybClient::query().
  virtual Result<AxybQueryResponse> query(const AxybQueryRequest& request, const CallOptions& options) = 0;
  /// AxybClient::unbind().
  virtual Result<ApiResponse> unbind(const AxybUnbindRequest& request, const CallOptions& options) = 0;

  /// bind_ax(), delivering its Result to @p done exactly once.
  virtual void bind_ax_async(const AxybBindAxRequest& request, Callback<AxybBindResponse> done,
                             const CallOptions& options) = 0;
  /// bind_yb(), delivering its Result to @p done exactly once.
  virtual void bind_yb_async(const AxybBindYbRequest& request, Callback<AxybBindResponse> done,
                             const CallOptions& options) = 0;
  /// query(), delivering its Result to @p done exactly once.
  virtual void query_async(const AxybQueryRequest& request, Callback<AxybQueryResponse> done,
                           const CallOptions& options) = 0;
  /// unbind(), delivering its Result to @p done exactly once.
  virtual void unbind_async(const AxybUnbindRequest& request, Callback<ApiResponse> done,
                            const CallOptions& options) = 0;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_AXYB_CONNECTION_HPP
