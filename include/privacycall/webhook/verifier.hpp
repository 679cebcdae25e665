#ifndef PRIVACYCALL_WEBHOOK_VERIFIER_HPP
#define PRIVACYCALL_WEBHOOK_VERIFIER_HPP

/// @file
/// Checks that a push really comes from the platform: X-AKSK (optionally legacy X-WSSE)
/// signature under one of several apps' secrets, a freshness window on `Created`, and a nonce
/// cache against replays.
///
/// The platform's digest covers only Nonce + Created, not the body (notifications.md §2.1):
/// a captured header pair can be replayed with another body while `Created` is fresh. The
/// freshness window plus the nonce cache close that hole for a single receiver; use TLS so the
/// headers cannot be captured in the first place.

#include <privacycall/signature.hpp>
#include <privacycall/webhook/http_message.hpp>
#include <privacycall/webhook/log.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace privacycall::webhook {

/// Settings of a WebhookVerifier.
struct VerifierOptions {
  /// Largest accepted |Created - now|. The docs give none; five minutes absorbs clock skew and
  /// the platform's own queueing while keeping the replay window short.
  std::chrono::seconds freshness_window{std::chrono::minutes(5)};
  /// Also accept the legacy `Authorization: WSSE` + `X-WSSE` scheme (unkeyed SHA-256 digest;
  /// older deployments). Off by default: it is the weaker scheme.
  bool accept_legacy_wsse = false;
  /// Most nonces remembered at once. Each lives for its token's remaining freshness window;
  /// when full, the entry closest to expiry is dropped (memory stays bounded; only a flood
  /// of this many valid pushes within one window could reopen a replay). From 16384 up, the
  /// memory is split into 16 independently locked shards, each bounded to its share.
  std::size_t max_remembered_nonces = 100000;
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
  /// The app that signed it (empty when verification was skipped or failed).
  std::string app_key;
  /// Scheme that was checked.
  SignatureScheme scheme = SignatureScheme::kAksk;
  /// True when verification is disabled and nothing was checked.
  bool skipped = false;
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

  /// Checks Authorization + X-AKSK (or X-WSSE when enabled) of one request. A successful
  /// check consumes the nonce: the same header pair is refused as kReplayed afterwards.
  Verification verify(const HeaderMap& headers);

  /// Nonces currently remembered (for tests and metrics).
  std::size_t remembered_nonces() const;

  /// True when verification is disabled (development only).
  bool disabled() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace privacycall::webhook

#endif  // PRIVACYCALL_WEBHOOK_VERIFIER_HPP
