#ifndef PRIVACYCALL_AXB_CONNECTION_HPP
#define PRIVACYCALL_AXB_CONNECTION_HPP

/// @file
/// AxbConnection: what AxbClient and AsyncAxbClient call, one virtual per operation.

#include <privacycall/abi.hpp>
#include <privacycall/axb.hpp>
#include <privacycall/callback.hpp>
#include <privacycall/common.hpp>
#include <privacycall/options.hpp>
#include <privacycall/result.hpp>

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// The AXB operations as a replaceable seam. Client makes the real one (signing, retries,
/// HTTP); a test hands AxbClient(connection) a privacycall::testing::MockAxbConnection
/// instead. Each operation has a blocking form and a callback form; implementations are
/// called from many threads at once.
class AxbConnection {
 public:
  virtual ~AxbConnection() = default;

  /// AxbClient::bind().
  virtual Result<AxbBindResponse> bind(const AxbBindRequest& request, const CallOptions& options) = 0;
  /// AxbClient::modify().
  virtual Result<ApiResponse> modify(const AxbModifyRequest& request, const CallOptions& options) = 0;
  /// AxbClient::query().
  virtual Result<AxbQueryResponse> query(const AxbQueryRequest& request, const CallOptions& options) = 0;
  /// AxbClient::unbind().
  virtual Result<ApiResponse> unbind(const AxbUnbindRequest& request, const CallOptions& options) = 0;

  /// bind(), delivering its Result to @p done exactly once.
  virtual void bind_async(const AxbBindRequest& request, Callback<AxbBindResponse> done,
                          const CallOptions& options) = 0;
  /// modify(), delivering its Result to @p done exactly once.
  virtual void modify_async(const AxbModifyRequest& request, Callback<ApiResponse> done,
                            const CallOptions& options) = 0;
  /// query(), delivering its Result to @p done exactly once.
  virtual void query_async(const AxbQueryRequest& request, Callback<AxbQueryResponse> done,
                           const CallOptions& options) = 0;
  /// unbind(), delivering its Result to @p done exactly once.
  virtual void unbind_async(const AxbUnbindRequest& request, Callback<ApiResponse> done,
                            const CallOptions& options) = 0;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_AXB_CONNECTION_HPP
