#ifndef PRIVACYCALL_TRANSPORT_HPP
#define PRIVACYCALL_TRANSPORT_HPP

/// @file
/// The HTTP transport interface: one virtual send(). The SDK ships a libcurl implementation;
/// tests and users may substitute their own.

#include <privacycall/result.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace privacycall {

/// The HTTP methods the platform's API uses.
enum class HttpMethod { kGet, kPost, kPut, kDelete };

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
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;

  /// Sends one request and waits for its answer.
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;

  /// Starts `request` no earlier than `start_at` and calls `done` exactly once, on a thread
  /// of the transport's choosing; `done` must not block. Destroying the transport completes
  /// every pending request with a transport error ("cancelled").
  ///
  /// The default implementation waits for `start_at` and calls send() on the calling thread,
  /// so custom transports work with the async API without overriding this.
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

}  // namespace privacycall

#endif  // PRIVACYCALL_TRANSPORT_HPP
