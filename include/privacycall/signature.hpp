#ifndef PRIVACYCALL_SIGNATURE_HPP
#define PRIVACYCALL_SIGNATURE_HPP

/// @file
/// The platform's UsernameToken authentication: signing outgoing requests and verifying
/// incoming ones (the platform signs its pushes with the same scheme and the app's own key).

#include <privacycall/abi.hpp>
#include <privacycall/result.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

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
/// header value. Attributes may be separated by "," or ", " and named in any case (both are
/// seen from other clients); the values are taken as written.
struct UsernameToken {
  std::string username;         ///< `Username`: the app key
  std::string password_digest;  ///< `PasswordDigest`: Base64 digest of Nonce + Created (see SignatureScheme)
  /// `Nonce`: fresh per request, 1-128 characters of `[0-9A-Za-z_-]` (the docs say letters
  /// and digits; Java clients send UUIDs with dashes, PHP's uniqid() 13 hex digits).
  std::string nonce;
  /// `Created`: UTC `yyyy-MM-ddTHH:mm:ssZ`, fractional seconds tolerated (`...:ss.SSSZ`).
  std::string created;
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
/// Parses a `Created` value: `yyyy-MM-ddTHH:mm:ssZ`, optionally with 1-9 digits of fractional
/// seconds before the `Z` (JavaScript's toISOString() and many Java clients send them; the
/// fraction is dropped). A validation Error saying what is wrong otherwise.
Result<std::chrono::system_clock::time_point> parse_created(std::string_view text);

/// Parses a UsernameToken header value. The error's result_code is the platform's code for
/// the missing part (1023038 no UsernameToken, 1023034 Username, 1023035 Nonce missing or not
/// 1-128 characters of `[0-9A-Za-z_-]`, 1023036 Created, 1023037 PasswordDigest), so a server
/// can answer exactly as the platform does; its message names the part.
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
  kReplayed,               ///< nonce seen before within the window, with another body
  kSchemeNotAccepted,      ///< signed under a scheme this side does not accept (WSSE when off)
  kMalformedCreated,       ///< Created present but not a UTC time in the platform's form (1023031)
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
  /// The parsed token; filled whenever it could be parsed (also for a bad digest or a stale
  /// Created, so that a caller may apply a wider window of its own).
  UsernameToken token;
  /// The scheme the request was checked under.
  SignatureScheme scheme = SignatureScheme::kAksk;
  /// Why it failed, in words, for logs and reply bodies: which header is missing or
  /// malformed, which scheme came and which are accepted, the times of a stale Created. Never
  /// holds the digest or the secret.
  std::string detail;
  /// `Created` as parsed (when it parsed), and Created minus the verifier's clock.
  std::optional<std::chrono::system_clock::time_point> created;
  std::chrono::seconds clock_offset{0};  ///< Created - now; meaningful when `created` is set
};

/// Verifies one request. `signer_for` maps the token's Username to a Signer holding that app's
/// secret under `scheme` (nullptr for an unknown app); reusing Signers keeps verification as
/// cheap as signing. `now` and `window` bound |Created - now|.
VerifyOutcome verify_signature(
    SignatureScheme scheme, const VerifyInput& input,
    const std::function<const Signer*(std::string_view username)>& signer_for,
    std::chrono::system_clock::time_point now, std::chrono::seconds window);

/// The authentication headers of a request that may be signed under either scheme.
struct SignedRequest {
  std::string_view authorization;          ///< value of Authorization, empty when absent
  std::optional<std::string_view> x_aksk;  ///< value of X-AKSK, when present
  std::optional<std::string_view> x_wsse;  ///< value of X-WSSE, when present
};

/// The scheme a request says it is signed under: the word its Authorization starts with, in
/// any case; without one of the two words, WSSE when it carries X-WSSE and no X-AKSK; AKSK
/// otherwise.
SignatureScheme received_scheme(const SignedRequest& request) noexcept;

/// Verifies a request under the scheme it names (received_scheme()). A WSSE request is
/// refused as kSchemeNotAccepted unless `accept_wsse`. `signer_for` maps (scheme, Username) to
/// that app's Signer for that scheme, nullptr for an unknown app.
VerifyOutcome verify_request(
    const SignedRequest& request, bool accept_wsse,
    const std::function<const Signer*(SignatureScheme, std::string_view username)>& signer_for,
    std::chrono::system_clock::time_point now, std::chrono::seconds window);

/// Describes a clock difference for a person: "8 h 0 min 5 s ahead of <clock_name>" (or
/// "behind"), and, when it is within a minute of a whole number of hours (1 to 14: the time
/// zones), that it looks like local time written as UTC. `offset` is the other side's time
/// minus this side's.
std::string describe_clock_offset(std::chrono::seconds offset, std::string_view clock_name);

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_SIGNATURE_HPP
