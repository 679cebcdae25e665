#include <privacycall/webhook/verifier.hpp>

#include "common/internal_export.hpp"
#include "common/sha256.hpp"
#include "webhook/log_internal.hpp"

#include <array>
#include <atomic>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <unordered_map>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN
namespace {

using TimePoint = std::chrono::system_clock::time_point;

// SHA-256 of the body, cut to 128 bits: enough that nobody can make another body match a
// seen one (a second preimage), and half the memory per remembered nonce. Empty when there
// is no body (or no digest could be made): then no later request can match it, and every
// reuse is a replay.
std::string body_digest(std::optional<std::string_view> body) {
  if (!body) return {};
  privacycall::internal::Sha256Digest full;
  try {
    full = privacycall::internal::sha256({*body});
  } catch (const std::runtime_error&) {
    return {};
  }
  constexpr std::size_t kDigestBytes = 16;
  return std::string(reinterpret_cast<const char*>(full.data()), kDigestBytes);
}

struct AppSigners {
  Signer aksk;
  std::optional<Signer> wsse;
};

constexpr std::size_t kFailureKinds = static_cast<std::size_t>(VerifyFailure::kMalformedCreated) + 1;

}  // namespace

struct PRIVACYCALL_HIDDEN WebhookVerifier::Impl {
  VerifierOptions options;
  mutable std::shared_mutex apps_mutex;
  std::unordered_map<std::string, AppSigners> apps;
  std::shared_ptr<NonceStore> nonces;
  MemoryNonceStore* memory_nonces = nullptr;  // `nonces` when it is the default one
  std::atomic<std::uint64_t> accepted{0}, repushes{0}, within_grace{0}, nonce_store_failures{0};
  std::array<std::atomic<std::uint64_t>, kFailureKinds> refused{};

  explicit Impl(VerifierOptions o)
      : options(std::move(o)), nonces(options.nonce_store) {
    if (!options.clock) options.clock = [] { return std::chrono::system_clock::now(); };
    if (!nonces) {
      auto memory = std::make_shared<MemoryNonceStore>(options.max_remembered_nonces);
      memory_nonces = memory.get();
      nonces = std::move(memory);
    }
  }

  Verification refuse(Verification result, VerifyFailure failure) {
    result.ok = false;
    result.failure = failure;
    refused[static_cast<std::size_t>(failure)].fetch_add(1);
    return result;
  }

  Verification verify(const HeaderMap& headers, std::optional<std::string_view> body,
                      const std::function<bool()>& is_notify);
  // verify() without remembering the nonce: `pending` is filled (its key non-empty) when the
  // signature passed, and the Verification is not ok until settle().
  Verification check(const HeaderMap& headers, std::optional<std::string_view> body,
                     const std::function<bool()>& is_notify, PendingNonce& pending);
  // Applies the NonceStore's answer to a pending Verification.
  Verification settle(Verification result, const PendingNonce& pending,
                      const Result<NonceSighting>& seen);
};

WebhookVerifier::WebhookVerifier(VerifierOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {
  if (impl_->options.insecure_accept_unsigned_requests_for_local_development_only) {
    internal::emit(impl_->options.log, LogLevel::kWarning,
                   "signature verification is DISABLED: every request will be accepted, "
                   "including forged ones. Development only.");
  }
}

WebhookVerifier::~WebhookVerifier() = default;

void WebhookVerifier::add_app(std::string app_key, std::string_view app_secret) {
  AppSigners signers{Signer(app_key, app_secret, SignatureScheme::kAksk), std::nullopt};
  if (impl_->options.accept_legacy_wsse) {
    signers.wsse.emplace(app_key, app_secret, SignatureScheme::kWsse);
  }
  std::unique_lock<std::shared_mutex> lock(impl_->apps_mutex);
  impl_->apps.insert_or_assign(std::move(app_key), std::move(signers));
}

bool WebhookVerifier::remove_app(std::string_view app_key) {
  std::unique_lock<std::shared_mutex> lock(impl_->apps_mutex);
  return impl_->apps.erase(std::string(app_key)) != 0;
}

bool WebhookVerifier::disabled() const noexcept {
  return impl_->options.insecure_accept_unsigned_requests_for_local_development_only;
}

std::size_t WebhookVerifier::remembered_nonces() const {
  return impl_->memory_nonces ? impl_->memory_nonces->size() : 0;
}

Verification WebhookVerifier::verify(const HeaderMap& headers) {
  return impl_->verify(headers, std::nullopt, {});
}

Verification WebhookVerifier::verify(const HeaderMap& headers, std::string_view body,
                                     const std::function<bool()>& is_notify) {
  return impl_->verify(headers, body, is_notify);
}

Verification WebhookVerifier::Impl::check(const HeaderMap& headers,
                                          std::optional<std::string_view> body,
                                          const std::function<bool()>& is_notify,
                                          PendingNonce& pending) {
  Verification result;
  if (options.insecure_accept_unsigned_requests_for_local_development_only) {
    internal::emit(options.log, LogLevel::kWarning,
                   "accepting a request WITHOUT signature verification "
                   "(insecure_accept_unsigned_requests_for_local_development_only is set)");
    result.ok = true;
    result.skipped = true;
    accepted.fetch_add(1);
    return result;
  }

  const SignedRequest request{headers.get("Authorization").value_or(""), headers.get("X-AKSK"),
                              headers.get("X-WSSE")};
  const TimePoint now = options.clock();
  const std::chrono::seconds window = options.freshness_window;
  VerifyOutcome outcome;
  {
    std::shared_lock<std::shared_mutex> lock(apps_mutex);
    outcome = verify_request(
        request, options.accept_legacy_wsse,
        [&](SignatureScheme scheme, std::string_view username) -> const Signer* {
          const auto it = apps.find(std::string(username));
          if (it == apps.end()) return nullptr;
          if (scheme == SignatureScheme::kWsse) {
            return it->second.wsse ? &*it->second.wsse : nullptr;
          }
          return &it->second.aksk;
        },
        now, window);
  }
  result.scheme = outcome.scheme;
  result.created = outcome.created;
  result.clock_offset = outcome.clock_offset;
  result.http_status = outcome.http_status;
  result.result_code = std::move(outcome.result_code);
  result.detail = std::move(outcome.detail);

  // A Notify push past the window but within the re-push schedule passes under the grace.
  // Only a Created in the past: the platform never re-pushes ahead of time.
  const std::chrono::seconds grace_window =
      std::chrono::duration_cast<std::chrono::seconds>(kRepushSchedule) + window;
  if (!outcome.ok && outcome.failure == VerifyFailure::kStale && options.repush_grace &&
      body && outcome.clock_offset < std::chrono::seconds(0) &&
      -outcome.clock_offset <= grace_window) {
    if (is_notify && is_notify()) {
      outcome.ok = true;
      result.within_repush_grace = true;
    } else {
      result.detail += " (the re-push grace covers Notify pushes only, and this is not one)";
    }
  }
  if (!outcome.ok) return refuse(std::move(result), outcome.failure);

  // verify_request accepted Created, so it parsed. With the grace on, every nonce is kept for
  // the whole grace: a Block push's header could otherwise come back with a Notify body.
  const TimePoint created = *outcome.created;
  const TimePoint expires = created + (options.repush_grace ? grace_window : window);
  pending.key = outcome.token.username;
  pending.key += '\n';
  pending.key += outcome.token.nonce;
  pending.body_digest = body_digest(body);
  pending.expires = expires;
  pending.now = now;
  result.app_key = std::move(outcome.token.username);
  result.nonce = std::move(outcome.token.nonce);
  return result;
}

Verification WebhookVerifier::Impl::settle(Verification result, const PendingNonce& pending,
                                           const Result<NonceSighting>& seen) {
  if (result.ok || pending.key.empty()) return result;  // skipped, or refused by check()
  if (!seen) {
    // Not a verdict on the push: answered 503, so the platform pushes it again later.
    result.http_status = 503;
    result.result_code.clear();
    result.detail = "the nonce store is unavailable: " + seen.error().message;
    result.within_repush_grace = false;
    result.nonce_store_unavailable = true;
    result.app_key.clear();
    result.nonce.clear();
    nonce_store_failures.fetch_add(1);
    return result;
  }
  if (*seen == NonceSighting::kOtherBody) {
    result.http_status = 401;
    result.result_code.clear();  // the platform has no code for this; it never sees it
    result.detail = !pending.body_digest.empty()
                        ? "Nonce " + result.nonce + " was seen before with another body: a replayed header"
                        : "Nonce " + result.nonce + " was seen before";
    result.within_repush_grace = false;
    result.app_key.clear();
    result.nonce.clear();
    return refuse(std::move(result), VerifyFailure::kReplayed);
  }
  result.ok = true;
  result.http_status = 200;
  result.repush = *seen == NonceSighting::kSameBody;
  accepted.fetch_add(1);
  if (result.repush) repushes.fetch_add(1);
  if (result.within_repush_grace) within_grace.fetch_add(1);
  return result;
}

Verification WebhookVerifier::Impl::verify(const HeaderMap& headers,
                                           std::optional<std::string_view> body,
                                           const std::function<bool()>& is_notify) {
  PendingNonce pending;
  Verification checked = check(headers, body, is_notify, pending);
  if (pending.key.empty()) return checked;
  return settle(std::move(checked), pending, nonces->remember(pending.use(), pending.now));
}

Verification WebhookVerifier::check(const HeaderMap& headers, std::string_view body,
                                    const std::function<bool()>& is_notify, PendingNonce& pending) {
  return impl_->check(headers, body, is_notify, pending);
}

Verification WebhookVerifier::settle(Verification checked, const PendingNonce& pending,
                                     const Result<NonceSighting>& seen) {
  return impl_->settle(std::move(checked), pending, seen);
}

NonceStore& WebhookVerifier::nonce_store() const noexcept { return *impl_->nonces; }

VerifierStats WebhookVerifier::stats() const {
  VerifierStats s;
  s.accepted = impl_->accepted.load();
  s.repushes = impl_->repushes.load();
  s.within_repush_grace = impl_->within_grace.load();
  s.nonce_store_failures = impl_->nonce_store_failures.load();
  const auto count = [this](VerifyFailure failure) {
    return impl_->refused[static_cast<std::size_t>(failure)].load();
  };
  s.refused.missing_authorization = count(VerifyFailure::kMissingAuthorization);
  s.refused.bad_authorization = count(VerifyFailure::kBadAuthorization);
  s.refused.scheme_not_accepted = count(VerifyFailure::kSchemeNotAccepted);
  s.refused.missing_token = count(VerifyFailure::kMissingToken);
  s.refused.malformed_token = count(VerifyFailure::kMalformedToken);
  s.refused.malformed_created = count(VerifyFailure::kMalformedCreated);
  s.refused.unknown_app = count(VerifyFailure::kUnknownApp);
  s.refused.bad_digest = count(VerifyFailure::kBadDigest);
  s.refused.stale = count(VerifyFailure::kStale);
  s.refused.replayed = count(VerifyFailure::kReplayed);
  return s;
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook
