#ifndef PRIVACYCALL_AXE_CONNECTION_HPP
#define PRIVACYCALL_AXE_CONNECTION_HPP

/// @file
/// AxeConnection: what AxeClient and AsyncAxeClient call, one virtual per operation.

#include <privacycall/abi.hpp>
#include <privacycall/axe.hpp>
#include <privacycall/callback.hpp>
#include <privacycall/common.hpp>
#include <privacycall/options.hpp>
#include <privacycall/result.hpp>

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// The AXE operations as a replaceable seam (see AxbConnection): Client makes the real one, a
/// test hands AxeClient(connection) a privacycall::testing::MockAxeConnection. The walks over
/// every page (query_pages(), query_all(), count_all(), ...) are made by the service objects
/// from query_v2() and count(), so they walk a mock's pages too.
class AxeConnection {
 public:
  virtual ~AxeConnection() = default;

  /// AxeClient::bind().
  virtual Result<AxeBindResponse> bind(const AxeBindRequest& request, const CallOptions& options) = 0;
  /// AxeClient::modify().
  virtual Result<ApiResponse> modify(const AxeModifyRequest& request, const CallOptions& options) = 0;
  /// AxeClient::query().
  virtual Result<AxeQueryResponse> query(const AxeBindingKey& key, const CallOptions& options) = 0;
  /// AxeClient::query_v2().
  virtual Result<AxeQueryV2Response> query_v2(const AxeQueryV2Request& request, const CallOptions& options) = 0;
  /// AxeClient::count().
  virtual Result<AxeBindingCountResponse> count(const AxeBindingCountRequest& request,
                                                const CallOptions& options) = 0;
  /// AxeClient::unbind().
  virtual Result<ApiResponse> unbind(const AxeBindingKey& key, const CallOptions& options) = 0;

  /// bind(), delivering its Result to @p done exactly once.
  virtual void bind_async(const AxeBindRequest& request, Callback<AxeBindResponse> done,
                          const CallOptions& options) = 0;
  /// modify(), delivering its Result to @p done exactly once.
  virtual void modify_async(const AxeModifyRequest& request, Callback<ApiResponse> done,
                            const CallOptions& options) = 0;
  /// query(), delivering its Result to @p done exactly once.
  virtual void query_async(const AxeBindingKey& key, Callback<AxeQueryResponse> done, const CallOptions& options) = 0;
  /// query_v2(), delivering its Result to @p done exactly once.
  virtual void query_v2_async(const AxeQueryV2Request& request, Callback<AxeQueryV2Response> done,
                              const CallOptions& options) = 0;
  /// count(), delivering its Result to @p done exactly once.
  virtual void count_async(const AxeBindingCountRequest& request, Callback<AxeBindingCountResponse> done,
                           const CallOptions& options) = 0;
  /// unbind(), delivering its Result to @p done exactly once.
  virtual void unbind_async(const AxeBindingKey& key, Callback<ApiResponse> done, const CallOptions& options) = 0;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_AXE_CONNECTION_HPP
