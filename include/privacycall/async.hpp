#ifndef PRIVACYCALL_ASYNC_HPP
#define PRIVACYCALL_ASYNC_HPP

/// @file
/// The asynchronous API: the same operations as the service objects, returning futures.
/// Many calls can be in flight from one thread; they run on one libcurl multi handle driven by
/// a background thread and share connections with the synchronous API. Retries follow the
/// same idempotency rules, with backoff scheduled instead of slept.

#include <privacycall/axb.hpp>
#include <privacycall/options.hpp>
#include <privacycall/result.hpp>

#include <future>
#include <memory>

namespace privacycall {

namespace internal {
class ClientCore;
}

/// What every asynchronous operation returns. When the last Client and service object
/// sharing a connection are destroyed while calls are pending, those calls complete with a
/// transport error saying they were cancelled.
template <typename T>
using Future = std::future<Result<T>>;

/// AXB operations, asynchronously. Obtained from Client::async().axb().
class AsyncAxbClient {
 public:
  /// AxbClient::bind(), asynchronously; the future holds its Result.
  Future<AxbBindResponse> bind(const AxbBindRequest& request, const CallOptions& options = {}) const;
  /// AxbClient::modify(), asynchronously.
  Future<ApiResponse> modify(const AxbModifyRequest& request, const CallOptions& options = {}) const;
  /// AxbClient::query(), asynchronously.
  Future<AxbQueryResponse> query(const AxbQueryRequest& request, const CallOptions& options = {}) const;
  /// AxbClient::unbind(), asynchronously.
  Future<ApiResponse> unbind(const AxbUnbindRequest& request, const CallOptions& options = {}) const;

 private:
  friend class AsyncClient;
  explicit AsyncAxbClient(std::shared_ptr<const internal::ClientCore> core) : core_(std::move(core)) {}
  std::shared_ptr<const internal::ClientCore> core_;
};

/// Entry point of the asynchronous API; obtained from Client::async(). Shares the client's
/// connection, like the synchronous service objects.
class AsyncClient {
 public:
  /// The AXB operations, returning futures. Cheap; call it per use or keep the result.
  AsyncAxbClient axb() const { return AsyncAxbClient(core_); }

 private:
  friend class Client;
  explicit AsyncClient(std::shared_ptr<const internal::ClientCore> core) : core_(std::move(core)) {}
  std::shared_ptr<const internal::ClientCore> core_;
};

}  // namespace privacycall

#endif  // PRIVACYCALL_ASYNC_HPP
