#ifndef PRIVACYCALL_SIGNATURE_HPP
#define PRIVACYCALL_SIGNATURE_HPP

/// @file
/// The platform's UsernameToken authentication: signing outgoing requests and verifying
/// incoming ones (the platform signs its pushes with the same scheme and the app's own key).

#include <privacycall/result.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace privacycall {

/// Which of the platform's two signature schemes to use.
enum class SignatureScheme {
  /// Current scheme: `Authorization: AKSK ...`, header `X-AKSK`,
  /// digest Base64(HMAC-SHA256(key = app secret, message = Nonce + Created)).
  kAksk,
  /// Legacy scheme: `Authorization: WSSE ...`, header `X-WSSE`,
  /// digest Base64(SHA-256(Nonce + Created + app secret)).
  kWsse,
};

/// The fields of a `UsernameToken Username="...",PasswordDigest="...",Nonce="...",Created="..."`
/// header value.
struct UsernameToken {
  std::string username;         ///< `Username`: the app key
  std::string password_digest;  ///< `PasswordDigest`: Base64 digest of Nonce + Created (see SignatureScheme)
  std::string nonce;            ///< `Nonce`: 1-128 letters and digits, fresh per request
  std::string created;          ///< `Created`: UTC `yyyy-MM-ddTHH:mm:ssZ`
};

/// The two header lines that authenticate one request.
struct SignedHeaders {
  std::string authorization;   ///< value of `Authorization`
  std::string token_header;    ///< `X-AKSK` or `X-WSSE`
  std::string token_value;     ///< value of that header
};

/// The constant `Authorization` value of a scheme.
std::string_view authorization_value(SignatureScheme scheme) noexcept;
/// `X-AKSK` or `X-WSSE`.
std::string_view token_header_name(SignatureScheme scheme) noexcept;

/// Formats a time as the platform's `Created`: UTC `yyyy-MM-ddTHH:mm:ssZ`.
std::string format_created(std::chrono::system_clock::time_point time);
/// Parses a `Created` value; a validation Error when it is not exactly `yyyy-MM-ddTHH:mm:ssZ`.
Result<std::chrono::system_clock::time_point> parse_created(std::string_view text);

/// Parses a UsernameToken header value. The error's result_code is the platform's code for
/// the missing part (1023038 no UsernameToken, 1023034 Username, 1023035 Nonce, 1023036 Created,
/// 1023037 PasswordDigest), so a server can answer exactly as the platform does.
Result<UsernameToken> parse_username_token(std::string_view header_value);

/// Formats a UsernameToken header value, attributes separated by "," without spaces.
std::string format_username_token(const UsernameToken& token);

/// Computes the PasswordDigest of `nonce` + `created` under `secret` for `scheme`.
/// Convenience for tests and one-off use; Signer reuses its key schedule and is faster.
std::string compute_password_digest(SignatureScheme scheme, std::string_view secret,
                                    std::string_view nonce, std::string_view created);

/// Compares two strings in time that depends only on their lengths.
bool constant_time_equals(std::string_view a, std::string_view b) noexcept;

/// Source of the current time; injectable so that signatures are reproducible under test.
using Clock = std::function<std::chrono::system_clock::time_point()>;
/// Source of nonces (1-128 letters and digits); injectable for the same reason.
using NonceSource = std::function<std::string()>;

/// The default nonce source: 32 random hexadecimal characters from a per-thread generator
/// seeded by std::random_device.
std::string random_nonce();

/// Signs requests for one app. Thread-safe; the HMAC key schedule is computed once, so a
/// signature costs two SHA-256 compressions plus formatting.
class Signer {
 public:
  /// Signs as @p app_key with @p app_secret under @p scheme; empty @p clock / @p nonce_source
  /// mean the system clock and random_nonce().
  Signer(std::string app_key, std::string_view app_secret,
         SignatureScheme scheme = SignatureScheme::kAksk, Clock clock = {},
         NonceSource nonce_source = {});
  ~Signer();
  /// Copies the key, scheme, clock and nonce source; the copy signs identically.
  Signer(const Signer&);
  /// Replaces this signer with a copy of another.
  Signer& operator=(const Signer&);
  /// Takes over another signer, which may then only be destroyed or assigned to.
  Signer(Signer&&) noexcept;
  /// Takes over another signer, which may then only be destroyed or assigned to.
  Signer& operator=(Signer&&) noexcept;

  /// Headers for a new request: fresh nonce, current time.
  SignedHeaders sign() const;
  /// Headers for a given nonce and Created value (deterministic).
  SignedHeaders sign(std::string_view nonce, std::string_view created) const;
  /// The PasswordDigest for a given nonce and Created value.
  std::string digest(std::string_view nonce, std::string_view created) const;

  /// The scheme this signer produces headers for.
  SignatureScheme scheme() const noexcept;
  /// The app key sent as `Username`.
  const std::string& app_key() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Why verification failed; the platform's result code for each is in parentheses.
enum class VerifyFailure {
  kMissingAuthorization,   ///< no Authorization header (1023006)
  kBadAuthorization,       ///< Authorization present but not the scheme's constant (1023007..1023012)
  kMissingToken,           ///< no X-AKSK / X-WSSE header (1023033 / 1023026)
  kMalformedToken,         ///< token header lacks a part (1023034..1023038)
  kUnknownApp,             ///< Username is not a known app key (1010003)
  kBadDigest,              ///< PasswordDigest does not match (1010010)
  kStale,                  ///< Created outside the freshness window (1010013)
  kReplayed,               ///< nonce seen before within the window
};

/// Stable lower-case name of a failure ("bad_digest", "stale", ...), for counters and logs.
std::string_view to_string(VerifyFailure failure) noexcept;

/// Checks a request's Authorization and token headers against a secret and a time window.
/// Stateless: replay detection is the caller's (see webhook verification).
struct VerifyInput {
  std::string_view authorization;  ///< value of Authorization, empty when absent
  std::string_view token;          ///< value of X-AKSK (or X-WSSE), empty when absent
};

/// Outcome of a verification: the parsed token on success, else why it failed.
struct VerifyOutcome {
  bool ok = false;  ///< True when the request is authentic and fresh
  VerifyFailure failure = VerifyFailure::kBadDigest;  ///< Why it failed; meaningless when ok
  /// The platform's resultcode and HTTP status for this failure (e.g. "1010010", 401).
  std::string result_code;
  int http_status = 401;  ///< HTTP status to answer with on failure
  UsernameToken token;    ///< The parsed token; filled when it could be parsed
};

/// Verifies one request. `signer_for` maps the token's Username to a Signer holding that app's
/// secret under `scheme` (nullptr for an unknown app); reusing Signers keeps verification as
/// cheap as signing. `now` and `window` bound |Created - now|.
VerifyOutcome verify_signature(
    SignatureScheme scheme, const VerifyInput& input,
    const std::function<const Signer*(std::string_view username)>& signer_for,
    std::chrono::system_clock::time_point now, std::chrono::seconds window);

}  // namespace privacycall

#endif  // PRIVACYCALL_SIGNATURE_HPP
