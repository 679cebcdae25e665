#ifndef PRIVACYCALL_ASYNC_HPP
#define PRIVACYCALL_ASYNC_HPP

/// @file
/// The asynchronous API: the same operations as the service objects, returning futures.
/// Many calls can be in flight from one thread; they run on one libcurl multi handle driven by
/// a background thread and share the client's DNS and TLS-session caches (keep-alive
/// connections stay with the multi handle: see make_curl_transport()). Retries follow the
/// same idempotency rules, with backoff scheduled instead of slept. Invalid requests are
/// refused before anything is sent: their future is ready at once with the validation Error.

#include <privacycall/abi.hpp>
#include <privacycall/ax.hpp>
#include <privacycall/axb.hpp>
#include <privacycall/axe.hpp>
#include <privacycall/axyb.hpp>
#include <privacycall/call_control.hpp>
#include <privacycall/callback.hpp>
#include <privacycall/connections.hpp>
#include <privacycall/options.hpp>
#include <privacycall/recording.hpp>
#include <privacycall/result.hpp>

#include <memory>
#include <string>

namespace privacycall {

PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// AXB operations, asynchronously. Obtained from Client::async().axb().
class AsyncAxbClient {
 public:
  /// Calls @p connection, like the synchronous service object over it.
  explicit AsyncAxbClient(std::shared_ptr<AxbConnection> connection) : connection_(std::move(connection)) {}

  /// AxbClient::bind(), asynchronously; the future holds its Result.
  Future<AxbBindResponse> bind(const AxbBindRequest& request, const CallOptions& options = {}) const;
  /// bind() delivering its Result to @p done.
  void bind(const AxbBindRequest& request, Callback<AxbBindResponse> done, const CallOptions& options = {}) const;
  /// AxbClient::modify(), asynchronously.
  Future<ApiResponse> modify(const AxbModifyRequest& request, const CallOptions& options = {}) const;
  /// modify() delivering its Result to @p done.
  void modify(const AxbModifyRequest& request, Callback<ApiResponse> done, const CallOptions& options = {}) const;
  /// AxbClient::query(), asynchronously.
  Future<AxbQueryResponse> query(const AxbQueryRequest& request, const CallOptions& options = {}) const;
  /// query() delivering its Result to @p done.
  void query(const AxbQueryRequest& request, Callback<AxbQueryResponse> done, const CallOptions& options = {}) const;
  /// AxbClient::unbind(), asynchronously.
  Future<ApiResponse> unbind(const AxbUnbindRequest& request, const CallOptions& options = {}) const;
  /// unbind() delivering its Result to @p done.
  void unbind(const AxbUnbindRequest& request, Callback<ApiResponse> done, const CallOptions& options = {}) const;

 private:
  std::shared_ptr<AxbConnection> connection_;
};

/// AX operations, asynchronously. Obtained from Client::async().ax().
class AsyncAxClient {
 public:
  /// Calls @p connection, like the synchronous service object over it.
  explicit AsyncAxClient(std::shared_ptr<AxConnection> connection) : connection_(std::move(connection)) {}

  /// AxClient::bind(), asynchronously; the future holds its Result.
  Future<AxBindResponse> bind(const AxBindRequest& request, const CallOptions& options = {}) const;
  /// bind() delivering its Result to @p done.
  void bind(const AxBindRequest& request, Callback<AxBindResponse> done, const CallOptions& options = {}) const;
  /// AxClient::modify(), asynchronously.
  Future<ApiResponse> modify(const AxModifyRequest& request, const CallOptions& options = {}) const;
  /// modify() delivering its Result to @p done.
  void modify(const AxModifyRequest& request, Callback<ApiResponse> done, const CallOptions& options = {}) const;
  /// AxClient::query(), asynchronously.
  Future<AxQueryResponse> query(const AxQueryRequest& request, const CallOptions& options = {}) const;
  /// query() delivering its Result to @p done.
  void query(const AxQueryRequest& request, Callback<AxQueryResponse> done, const CallOptions& options = {}) const;
  /// AxClient::unbind(), asynchronously.
  Future<ApiResponse> unbind(const AxUnbindRequest& request, const CallOptions& options = {}) const;
  /// unbind() delivering its Result to @p done.
  void unbind(const AxUnbindRequest& request, Callback<ApiResponse> done, const CallOptions& options = {}) const;
  /// AxClient::set_temporary_callee(), asynchronously.
  Future<ApiResponse> set_temporary_callee(const AxTemporaryCalleeRequest& request,
                                           const CallOptions& options = {}) const;
  /// set_temporary_callee() delivering its Result to @p done.
  void set_temporary_callee(const AxTemporaryCalleeRequest& request, Callback<ApiResponse> done,
                            const CallOptions& options = {}) const;

 private:
  std::shared_ptr<AxConnection> connection_;
};

/// AXE operations, asynchronously. Obtained from Client::async().axe(). query_all() and
/// count_all() walk every page, fetching each from the previous one's completion; to handle
/// pages one by one, call query_v2() or count() with each answer's next_cursor.
class AsyncAxeClient {
 public:
  /// Calls @p connection, like the synchronous service object over it.
  explicit AsyncAxeClient(std::shared_ptr<AxeConnection> connection) : connection_(std::move(connection)) {}

  /// AxeClient::bind(), asynchronously; the future holds its Result.
  Future<AxeBindResponse> bind(const AxeBindRequest& request, const CallOptions& options = {}) const;
  /// bind() delivering its Result to @p done.
  void bind(const AxeBindRequest& request, Callback<AxeBindResponse> done, const CallOptions& options = {}) const;
  /// AxeClient::modify(), asynchronously.
  Future<ApiResponse> modify(const AxeModifyRequest& request, const CallOptions& options = {}) const;
  /// modify() delivering its Result to @p done.
  void modify(const AxeModifyRequest& request, Callback<ApiResponse> done, const CallOptions& options = {}) const;
  /// AxeClient::query(), asynchronously.
  Future<AxeQueryResponse> query(const AxeBindingKey& key, const CallOptions& options = {}) const;
  /// query() delivering its Result to @p done.
  void query(const AxeBindingKey& key, Callback<AxeQueryResponse> done, const CallOptions& options = {}) const;
  /// AxeClient::query_v2(), asynchronously.
  Future<AxeQueryV2Response> query_v2(const AxeQueryV2Request& request, const CallOptions& options = {}) const;
  /// query_v2() delivering its Result to @p done.
  void query_v2(const AxeQueryV2Request& request, Callback<AxeQueryV2Response> done,
                const CallOptions& options = {}) const;
  /// AxeClient::count(), asynchronously.
  Future<AxeBindingCountResponse> count(const AxeBindingCountRequest& request, const CallOptions& options = {}) const;
  /// count() delivering its Result to @p done.
  void count(const AxeBindingCountRequest& request, Callback<AxeBindingCountResponse> done,
             const CallOptions& options = {}) const;
  /// AxeClient::unbind(), asynchronously.
  Future<ApiResponse> unbind(const AxeBindingKey& key, const CallOptions& options = {}) const;
  /// unbind() delivering its Result to @p done.
  void unbind(const AxeBindingKey& key, Callback<ApiResponse> done, const CallOptions& options = {}) const;
  /// AxeClient::query_all(), asynchronously: the first failed page's Error, or every binding.
  /// The walk keeps the client alive until it ends.
  Future<std::vector<AxeBinding>> query_all(const AxeBindingsOnNumber& on, std::optional<int> limit = std::nullopt,
                                            const CallOptions& options = {}) const;
  /// query_all() delivering its Result to @p done.
  void query_all(const AxeBindingsOnNumber& on, Callback<std::vector<AxeBinding>> done,
                 std::optional<int> limit = std::nullopt, const CallOptions& options = {}) const;
  /// AxeClient::count_all(), asynchronously, page after page like query_all().
  Future<std::vector<AxeNumberBindingCount>> count_all(std::optional<int> limit = std::nullopt,
                                                       const CallOptions& options = {}) const;
  /// count_all() delivering its Result to @p done.
  void count_all(Callback<std::vector<AxeNumberBindingCount>> done, std::optional<int> limit = std::nullopt,
                 const CallOptions& options = {}) const;

 private:
  std::shared_ptr<AxeConnection> connection_;
};

/// AXYB operations, asynchronously. Obtained from Client::async().axyb().
class AsyncAxybClient {
 public:
  /// Calls @p connection, like the synchronous service object over it.
  explicit AsyncAxybClient(std::shared_ptr<AxybConnection> connection) : connection_(std::move(connection)) {}

  /// AxybClient::bind_ax(), asynchronously; the future holds its Result.
  Future<AxybBindResponse> bind_ax(const AxybBindAxRequest& request, const CallOptions& options = {}) const;
  /// bind_ax() delivering its Result to @p done.
  void bind_ax(const AxybBindAxRequest& request, Callback<AxybBindResponse> done, const CallOptions& options = {}) const;
  /// AxybClient::bind_yb(), asynchronously.
  Future<AxybBindResponse> bind_yb(const AxybBindYbRequest& request, const CallOptions& options = {}) const;
  /// bind_yb() delivering its Result to @p done.
  void bind_yb(const AxybBindYbRequest& request, Callback<AxybBindResponse> done, const CallOptions& options = {}) const;
  /// AxybClient::query(), asynchronously.
  Future<AxybQueryResponse> query(const AxybQueryRequest& request, const CallOptions& options = {}) const;
  /// query() delivering its Result to @p done.
  void query(const AxybQueryRequest& request, Callback<AxybQueryResponse> done, const CallOptions& options = {}) const;
  /// AxybClient::unbind(), asynchronously.
  Future<ApiResponse> unbind(const AxybUnbindRequest& request, const CallOptions& options = {}) const;
  /// unbind() delivering its Result to @p done.
  void unbind(const AxybUnbindRequest& request, Callback<ApiResponse> done, const CallOptions& options = {}) const;

 private:
  std::shared_ptr<AxybConnection> connection_;
};

/// Call control, asynchronously. Obtained from Client::async().calls().
class AsyncCallControlClient {
 public:
  /// Calls @p connection, like the synchronous service object over it.
  explicit AsyncCallControlClient(std::shared_ptr<CallControlConnection> connection) : connection_(std::move(connection)) {}

  /// CallControlClient::stop_call(), asynchronously; the future holds its Result.
  Future<ApiResponse> stop_call(const StopCallRequest& request, const CallOptions& options = {}) const;
  /// stop_call() delivering its Result to @p done.
  void stop_call(const StopCallRequest& request, Callback<ApiResponse> done, const CallOptions& options = {}) const;

 private:
  std::shared_ptr<CallControlConnection> connection_;
};

/// Recording download URLs, asynchronously. Obtained from Client::async().recordings().
/// Streaming downloads stay synchronous: use RecordingClient::download() on a thread of yours.
class AsyncRecordingClient {
 public:
  /// Calls @p connection, like the synchronous service object over it.
  explicit AsyncRecordingClient(std::shared_ptr<RecordingConnection> connection) : connection_(std::move(connection)) {}

  /// RecordingClient::download_url(), asynchronously; the future holds its Result.
  Future<std::string> download_url(const std::string& file_name, const std::string& record_domain,
                                   const CallOptions& options = {}) const;
  /// download_url() delivering its Result to @p done.
  void download_url(const std::string& file_name, const std::string& record_domain, Callback<std::string> done,
                    const CallOptions& options = {}) const;

 private:
  std::shared_ptr<RecordingConnection> connection_;
};

/// Entry point of the asynchronous API; obtained from Client::async(). Shares the client's
/// connection, like the synchronous service objects. Each accessor is cheap; call it per use
/// or keep the result.
class AsyncClient {
 public:
  /// The service objects over @p connections (see Client(ClientConnections)).
  explicit AsyncClient(ClientConnections connections) : connections_(std::move(connections)) {}

  /// The AXB operations, returning futures.
  AsyncAxbClient axb() const { return AsyncAxbClient(connections_.axb); }
  /// The AX operations, returning futures.
  AsyncAxClient ax() const { return AsyncAxClient(connections_.ax); }
  /// The AXE operations, returning futures.
  AsyncAxeClient axe() const { return AsyncAxeClient(connections_.axe); }
  /// The AXYB operations, returning futures.
  AsyncAxybClient axyb() const { return AsyncAxybClient(connections_.axyb); }
  /// Ending calls in progress, returning futures.
  AsyncCallControlClient calls() const { return AsyncCallControlClient(connections_.calls); }
  /// Recording download URLs, returning futures.
  AsyncRecordingClient recordings() const { return AsyncRecordingClient(connections_.recordings); }

 private:
  ClientConnections connections_;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_ASYNC_HPP
