#ifndef PRIVACYCALL_OPTIONS_HPP
#define PRIVACYCALL_OPTIONS_HPP

/// @file
/// ClientOptions: everything a Client needs, as a plain struct.

#include <privacycall/abi.hpp>
#include <privacycall/log.hpp>
#include <privacycall/retry.hpp>
#include <privacycall/signature.hpp>
#include <privacycall/transport.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// Configuration of a Client. Only base_url, app_key and app_secret are required.
struct ClientOptions {
  /// The app's access address from the console, e.g. "https://rtcpns.cn-north-1.myhuaweicloud.com".
  std::string base_url;
  /// APP_Key and APP_Secret from the console's application management page.
  std::string app_key;
  std::string app_secret;  ///< Signs every request; never logged nor sent in clear

  /// Longest wait for the TCP and TLS connection to the platform.
  std::chrono::milliseconds connect_timeout = std::chrono::seconds(5);
  /// Longest time one attempt may take in total; CallOptions::timeout overrides it per call.
  std::chrono::milliseconds request_timeout = std::chrono::seconds(30);
  TlsOptions tls;  ///< Certificate checks of the platform's HTTPS endpoint
  /// Proxy URL in libcurl's syntax (e.g. "http://proxy:3128"); empty: no proxy.
  std::string proxy;
  /// Most simultaneous connections of the async API to the platform.
  int max_connections = 32;
  /// Appended to "privacycall/VERSION" in the User-Agent header.
  std::string user_agent;

  /// Authentication header: X-AKSK (default) or the older X-WSSE.
  SignatureScheme signature_scheme = SignatureScheme::kAksk;
  RetryPolicy retry;  ///< Default retries; CallOptions::retry overrides it per call

  /// Receives one record per HTTP attempt and the SDK's warnings. Empty: no logging.
  LogHook log;
  /// When false, logs and the platform's `resultdesc` in errors show phone numbers in full.
  /// Keep true in production.
  bool mask_phone_numbers = true;

  /// A custom transport; when null the libcurl transport is built from the fields above.
  std::shared_ptr<HttpTransport> transport;
  /// Time and nonce sources for signing; empty means the system clock and random nonces.
  Clock clock;
  NonceSource nonce_source;  ///< Nonce generator for signing; empty: random nonces (see clock)

  /// Reads base_url, app_key and app_secret from PRIVACYCALL_BASE_URL, PRIVACYCALL_APP_KEY and
  /// PRIVACYCALL_APP_SECRET; std::nullopt when any is unset or empty.
  static std::optional<ClientOptions> from_environment();
};

/// Per-call overrides.
struct CallOptions {
  /// Replaces ClientOptions::retry for this call.
  std::optional<RetryPolicy> retry;
  /// Replaces ClientOptions::request_timeout for each attempt of this call.
  std::optional<std::chrono::milliseconds> timeout;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_OPTIONS_HPP
