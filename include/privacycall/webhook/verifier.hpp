#ifndef PRIVACYCALL_WEBHOOK_VERIFIER_HPP
#define PRIVACYCALL_WEBHOOK_VERIFIER_HPP

/// @file
/// Checks that a push really comes from the platform: X-AKSK (optionally legacy X-WSSE)
/// signature under one of several apps' secrets, a freshness window on `Created`, and a nonce
/// cache against replays.
///
/// The platform's digest covers only Nonce + Created, not the body (notifications.md §2.1):
/// a captured header pair can be replayed with another body while `Created` is fresh. The
/// freshness window plus the nonce cache close that hole (for several receivers, when they
/// share one NonceStore); use TLS so the headers cannot be captured in the first place.
///
/// The cache remembers a digest of the body with each nonce: the same header pair with the
/// same body is a re-push (the platform may re-push with the original header), passed on so
/// that deduplication answers it; with another body it is refused as a replay.

#include <privacycall/abi.hpp>
#include <privacycall/signature.hpp>
#include <privacycall/webhook/http_message.hpp>
#include <privacycall/webhook/log.hpp>
#include <privacycall/webhook/nonce_store.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// The last re-push of the platform's schedule comes this long after the first push
/// (notifications.md §9.2: 1, 4, 9, 106, 203, 300 minutes).
inline constexpr std::chrono::minutes kRepushSchedule{300};

/// Settings of a WebhookVerifier.
struct VerifierOptions {
  /// Largest accepted |Created - now|. The docs give none; five minutes absorbs clock skew and
  /// the platform's own queueing while keeping the replay window short.
  std::chrono::seconds freshness_window{std::chrono::minutes(5)};
  /// Also accept the legacy `Authorization: WSSE` + `X-WSSE` scheme (unkeyed SHA-256 digest;
  /// older deployments). Off by default: it is the weaker scheme.
  bool accept_legacy_wsse = false;
  /// Accept Notify pushes (call events, CDRs, SMS Notify; never Block) whose `Created` is up to
  /// kRepushSchedule + freshness_window old, in case the platform re-pushes with the original
  /// header rather than signing again. Off by default: a captured header pair then stays
  /// usable for five hours instead of minutes (the nonce/body rule still refuses it with
  /// another body, as long as its nonce is remembered; nonces are then kept for five hours,
  /// so size max_remembered_nonces for five hours of pushes). See docs/security.md.
  bool repush_grace = false;
  /// Most nonces remembered at once. Each lives for its token's remaining freshness window;
  /// when full, the entry closest to expiry is dropped (memory stays bounded; only a flood
  /// of this many valid pushes within one window could reopen a replay). From 16384 up, the
  /// memory is split into 16 independently locked shards, each bounded to its share.
  /// Ignored when nonce_store is set.
  std::size_t max_remembered_nonces = 100000;
  /// Where accepted nonces are remembered; a MemoryNonceStore of max_remembered_nonces when
  /// null. Receivers sharing the load must share one store: a header replayed to another
  /// replica is refused only if that replica knows the nonce.
  std::shared_ptr<NonceStore> nonce_store;
  /// Time source; the system clock when empty.
  Clock clock;
  /// Where warnings go (see LogHook for the default).
  LogHook log;
  /// DEVELOPMENT ONLY. Accepts every request without looking at its headers, so anyone who can
  /// reach the receiver can forge call events, CDRs and routing requests. Every request that
  /// passes this way logs a warning. Never set this in production.
  bool insecure_accept_unsigned_requests_for_local_development_only = false;
};

/// Outcome of WebhookVerifier::verify.
struct Verification {
  bool ok = false;  ///< True when the push is authentic, fresh and not a replay
  /// Why it failed (meaningful when !ok).
  VerifyFailure failure = VerifyFailure::kBadDigest;
  /// HTTP status to answer a failure with: 400 for missing/malformed headers, 401 otherwise.
  int http_status = 401;
  /// The platform's result code for the failure (e.g. "1010010"), for the reply body.
  std::string result_code;
  /// Why it failed, in words (see VerifyOutcome::detail); never the digest or the secret.
  std::string detail;
  /// The nonce of an accepted push (empty when verification was skipped or failed).
  std::string nonce;
  /// True when the nonce was seen before with the same body: a re-push with the original
  /// header. Answer it like a duplicate; deduplication does that when the push goes on.
  bool repush = false;
  /// True when the push was accepted only through VerifierOptions::repush_grace.
  bool within_repush_grace = false;
  /// `Created` of the request when it parsed, and Created minus the verifier's clock.
  std::optional<std::chrono::system_clock::time_point> created;
  std::chrono::seconds clock_offset{0};  ///< meaningful when `created` is set
  /// The app that signed it (empty when verification was skipped or failed).
  std::string app_key;
  /// Scheme the request was signed under (also when it was not accepted).
  SignatureScheme scheme = SignatureScheme::kAksk;
  /// True when verification is disabled and nothing was checked.
  bool skipped = false;
  /// True when the signature passed but the NonceStore could not be asked: not a refusal of
  /// the push (http_status is 503, so the platform pushes it again later; `failure` is
  /// meaningless).
  bool nonce_store_unavailable = false;
};

/// Counters of a WebhookVerifier, read as one snapshot.
struct VerifierStats {
  std::uint64_t accepted = 0;             ///< requests that passed (including re-pushes)
  std::uint64_t repushes = 0;             ///< accepted as a re-push with the original header
  std::uint64_t within_repush_grace = 0;  ///< accepted only through repush_grace
  std::uint64_t nonce_store_failures = 0; ///< answered 503: the NonceStore could not be asked
  /// Refusals, one counter per reason (VerifyFailure).
  struct Refused {
    std::uint64_t missing_authorization = 0;  ///< no Authorization
    std::uint64_t bad_authorization = 0;      ///< Authorization not the scheme's form
    std::uint64_t scheme_not_accepted = 0;    ///< WSSE while accept_legacy_wsse is off
    std::uint64_t missing_token = 0;          ///< no X-AKSK / X-WSSE
    std::uint64_t malformed_token = 0;        ///< token lacks a part, or a bad Nonce
    std::uint64_t malformed_created = 0;      ///< Created not a UTC time of the platform's form
    std::uint64_t unknown_app = 0;            ///< Username not a registered app
    std::uint64_t bad_digest = 0;             ///< PasswordDigest wrong
    std::uint64_t stale = 0;                  ///< Created outside the window
    std::uint64_t replayed = 0;               ///< nonce seen before with another body
  } refused;  ///< Requests refused, by reason
};

/// A nonce whose signature passed and that is not remembered yet (WebhookVerifier::check):
/// the caller remembers it in nonce_store(), alone or together with other work, and hands the
/// answer to WebhookVerifier::settle.
struct PendingNonce {
  std::string key;          ///< NonceUse::key
  std::string body_digest;  ///< NonceUse::body_digest
  std::chrono::system_clock::time_point expires;  ///< NonceUse::expires
  std::chrono::system_clock::time_point now;      ///< the verifier's clock at the check
  /// The use to hand to NonceStore::remember (views into this object).
  NonceUse use() const { return {key, body_digest, expires}; }
};

/// Verifies pushes for several apps. Thread-safe; apps may be added and removed while serving
/// (key rotation: add the new secret, wait for the console change to take effect, remove the
/// old app entry).
class WebhookVerifier {
 public:
  /// A verifier for the apps and window in @p options, with an empty replay cache.
  explicit WebhookVerifier(VerifierOptions options = {});
  ~WebhookVerifier();
  WebhookVerifier(const WebhookVerifier&) = delete;
  WebhookVerifier& operator=(const WebhookVerifier&) = delete;

  /// Registers (or replaces) an app's secret. The secret is kept only inside Signers.
  void add_app(std::string app_key, std::string_view app_secret);
  /// Forgets an app; returns whether it was known.
  bool remove_app(std::string_view app_key);

  /// Checks Authorization + X-AKSK (or X-WSSE when enabled) of one request whose body is not
  /// known. A successful check consumes the nonce: the same header pair is refused as
  /// kReplayed afterwards (there is no body to recognise a re-push by).
  Verification verify(const HeaderMap& headers);

  /// Checks one push with its body. A nonce seen before with the same body is a re-push
  /// (ok, `repush` set); with another body, kReplayed. `is_notify` says whether the push is
  /// a Notify push; it is asked only when repush_grace is on and `Created` is past the
  /// normal window but within the grace (empty: never a Notify push).
  Verification verify(const HeaderMap& headers, std::string_view body,
                      const std::function<bool()>& is_notify = {});

  /// verify(headers, body, is_notify) in two steps, so that the nonce can be remembered
  /// together with other work (a fleet's queue records the nonce and queues the push in one
  /// round trip): check() does everything but remembering the nonce and, when the signature
  /// passed, fills `pending` (its key is empty otherwise) and returns a Verification that is
  /// not ok yet; settle() then takes what the NonceStore answered and returns what verify()
  /// would have. A failed
  /// check() is final (counted already); a skipped one (verification disabled) is ok at once.
  Verification check(const HeaderMap& headers, std::string_view body,
                     const std::function<bool()>& is_notify, PendingNonce& pending);
  /// The second step of check(): `seen` is what nonce_store() answered for `pending.use()`.
  Verification settle(Verification checked, const PendingNonce& pending,
                      const Result<NonceSighting>& seen);
  /// Where nonces are remembered (VerifierOptions::nonce_store, or the verifier's own).
  NonceStore& nonce_store() const noexcept;

  /// A snapshot of the counters since construction.
  VerifierStats stats() const;

  /// Nonces currently remembered (for tests and metrics); 0 with a VerifierOptions::nonce_store.
  std::size_t remembered_nonces() const;

  /// True when verification is disabled (development only).
  bool disabled() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook

#endif  // PRIVACYCALL_WEBHOOK_VERIFIER_HPP
