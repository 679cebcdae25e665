#ifndef PRIVACYCALL_TRANSPORT_HPP
#define PRIVACYCALL_TRANSPORT_HPP

/// @file
/// The HTTP transport interface: one virtual send(). The SDK ships a libcurl implementation;
/// tests and users may substitute their own.

#include <privacycall/abi.hpp>
#include <privacycall/result.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// The HTTP methods the platform's API uses.
enum class HttpMethod {
  kGet,     ///< GET: queries.
  kPost,    ///< POST: binds and other requests that create.
  kPut,     ///< PUT: modifications.
  kDelete,  ///< DELETE: unbinds.
};

/// "GET", "POST", "PUT" or "DELETE".
const char* to_string(HttpMethod method) noexcept;

/// Ordered header list; names compare case-insensitively in find_header().
using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

/// Finds a header by case-insensitive name; nullptr when absent.
const std::string* find_header(const HttpHeaders& headers, std::string_view name) noexcept;

/// One request as it goes on the wire.
struct HttpRequest {
  HttpMethod method = HttpMethod::kGet;  ///< Request method
  /// Absolute URL including the already-encoded query string.
  std::string url;
  HttpHeaders headers;  ///< Headers to send, signature headers included
  std::string body;     ///< JSON body; empty for GET and most DELETE calls
  /// Overrides the transport's whole-request timeout when non-zero.
  std::chrono::milliseconds timeout{0};
  /// When set, the body of a 2xx answer goes to this sink piece by piece as it arrives
  /// (recording downloads), instead of into HttpResponse::body and without the transport's
  /// size limit; returning false aborts the transfer with a kTransport Error. Bodies of other
  /// answers are kept as usual. A transport that ignores it returns the body whole instead.
  std::function<bool(const char* data, std::size_t size)> body_sink;
  /// Skips certificate and host-name checks for this request only (see
  /// RecordingDownloadOptions::insecure_skip_tls_verification).
  bool insecure_skip_tls_verification = false;
};

/// One response. 4xx and 5xx are responses, not transport errors.
struct HttpResponse {
  int status = 0;       ///< HTTP status code
  HttpHeaders headers;  ///< Response headers in arrival order
  std::string body;     ///< Response body, undecoded
};

/// Receives the outcome of an asynchronous send, exactly once.
using HttpCallback = std::function<void(Result<HttpResponse>)>;

/// Sends requests. Implementations must be safe to call from many threads at once and must
/// never follow redirects (the recording API answers 301 with the URL in Location).
///
/// Failures are reported as Error with category kTransport or kTimeout. Set
/// Error::retryable = true only when the request provably never reached the server
/// (DNS or connect failure): that is what allows a bind to be sent again.
///
/// The base is enable_shared_from_this so that the default send_async() can keep a transport
/// owned by a shared_ptr alive while its requests wait in the default executor.
class HttpTransport : public std::enable_shared_from_this<HttpTransport> {
 public:
  virtual ~HttpTransport() = default;

  /// Threads of the executor shared by every transport using the default send_async().
  static constexpr std::size_t kDefaultAsyncThreads = 8;
  /// Requests that may wait for one of those threads; beyond that send_async() refuses.
  static constexpr std::size_t kDefaultAsyncQueue = 1024;

  /// Sends one request and waits for its answer.
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;

  /// Starts `request` no earlier than `start_at` and calls `done` exactly once, on a thread
  /// of the transport's choosing; `done` must not block. Destroying the transport completes
  /// every pending request with a transport error ("cancelled").
  ///
  /// The default implementation never blocks the caller: it runs send() (after waiting for
  /// `start_at`) on an executor shared by all such transports, of kDefaultAsyncThreads threads
  /// and kDefaultAsyncQueue waiting requests, so custom transports work with the async API
  /// without overriding this. When that queue is full, `done` gets a retryable kTransport
  /// Error at once, on the calling thread, and nothing is sent. An exception from send()
  /// becomes a kTransport Error. Pending requests are not cancelled: a transport owned by a
  /// shared_ptr is kept alive until they complete; one that is not must outlive them.
  virtual void send_async(HttpRequest request, HttpCallback done,
                          std::chrono::steady_clock::time_point start_at = {});
};

/// TLS settings. Verification is on by default and should stay on.
struct TlsOptions {
  bool verify_peer = true;  ///< Check the server's certificate chain against the trusted CAs
  bool verify_host = true;  ///< Check that the certificate names the host connected to
  /// PEM bundle of trusted CAs; empty uses the system store.
  std::string ca_file;
  /// Directory of hashed CA certificates; empty uses the system store.
  std::string ca_path;
};

/// Settings of the libcurl transport.
struct CurlTransportOptions {
  /// Longest wait for the TCP and TLS connection.
  std::chrono::milliseconds connect_timeout = std::chrono::seconds(5);
  /// Longest time a whole request may take; HttpRequest::timeout overrides it when non-zero.
  std::chrono::milliseconds request_timeout = std::chrono::seconds(30);
  TlsOptions tls;  ///< Certificate checks
  /// e.g. "http://proxy.example:3128"; empty for none (libcurl's proxy env vars still apply).
  std::string proxy;
  std::string user_agent;  ///< Full User-Agent header value; empty: libcurl sends none
  /// Responses larger than this fail with a transport error instead of exhausting memory.
  std::size_t max_response_bytes = 16 * 1024 * 1024;
  /// Most connections the async API opens to one host; further calls queue inside libcurl
  /// until a connection is free, so thousands of pending calls cost no sockets.
  int max_connections_per_host = 32;
};

/// The default transport: libcurl easy handles pooled for keep-alive reuse, thread-safe,
/// redirects never followed. send_async() runs every request on one curl multi handle driven
/// by a background thread (started on first use). Both paths share DNS and TLS-session caches;
/// connections are kept per pooled handle and by the multi handle, because libcurl's shared
/// connection cache is not safe across threads.
std::shared_ptr<HttpTransport> make_curl_transport(CurlTransportOptions options = {});

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_TRANSPORT_HPP
