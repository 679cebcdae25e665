#include <privacycall/webhook/verifier.hpp>

#include "common/internal_export.hpp"
#include "common/sha256.hpp"
#include "webhook/log_internal.hpp"
#include "webhook/sharded.hpp"

#include <array>
#include <atomic>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <unordered_map>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN
namespace {

using TimePoint = std::chrono::system_clock::time_point;

// What a nonce was seen with: a digest of the body, or nothing when the body was not given
// (then no later request can match it, and every reuse is a replay).
using BodyDigest = std::array<unsigned char, 16>;
struct SeenWith {
  bool has_body = false;
  BodyDigest body{};
};

// SHA-256 of the body, cut to 128 bits: enough that nobody can make another body match a
// seen one (a second preimage), and half the memory per remembered nonce.
SeenWith seen_with(std::optional<std::string_view> body) {
  SeenWith seen;
  if (!body) return seen;
  privacycall::internal::Sha256Digest full;
  try {
    full = privacycall::internal::sha256({*body});
  } catch (const std::runtime_error&) {
    return seen;  // no digest: treated like an unknown body, so a reuse is refused
  }
  std::memcpy(seen.body.data(), full.data(), seen.body.size());
  seen.has_body = true;
  return seen;
}

bool same_body(const SeenWith& a, const SeenWith& b) {
  return a.has_body && b.has_body && a.body == b.body;
}

// Remembers (app, nonce) pairs until their token can no longer pass the freshness check. One
// shard of the verifier's nonce memory; the caller holds its lock.
//
// Created has whole seconds, so nonces expire in a few hundred distinct instants: they are
// grouped by expiry instant (a small map) instead of one ordered-index node per nonce, which
// cost a tree walk and an allocation per push.
class NonceTable {
 public:
  enum class Seen { kNew, kSameBody, kOtherBody };

  explicit NonceTable(std::size_t capacity) : capacity_(capacity) {
    // Never rehashed (it holds at most capacity_ entries), so the iterators below stay valid.
    entries_.reserve(capacity_);
  }

  // Records the nonce with what it came with; says whether it was there already.
  Seen insert(std::string key, SeenWith with, TimePoint expires, TimePoint now) {
    // Forget what can no longer be replayed anyway: its Created is outside the window now.
    while (!by_expiry_.empty() && by_expiry_.begin()->first < now) {
      for (const Entry entry : by_expiry_.begin()->second) entries_.erase(entry);
      by_expiry_.erase(by_expiry_.begin());
    }
    if (const auto found = entries_.find(key); found != entries_.end()) {
      return same_body(found->second, with) ? Seen::kSameBody : Seen::kOtherBody;
    }
    if (entries_.size() >= capacity_) {  // full: drop the one closest to expiry
      auto& soonest = by_expiry_.begin()->second;
      entries_.erase(soonest.front());
      soonest.pop_front();
      if (soonest.empty()) by_expiry_.erase(by_expiry_.begin());
    }
    by_expiry_[expires].push_back(entries_.emplace(std::move(key), with).first);
    return Seen::kNew;
  }

  std::size_t size() const { return entries_.size(); }

 private:
  using Entries = std::unordered_map<std::string, SeenWith>;
  using Entry = Entries::const_iterator;
  const std::size_t capacity_;
  Entries entries_;
  std::map<TimePoint, std::deque<Entry>> by_expiry_;  // oldest inserted first within an instant
};

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
  internal::Sharded<NonceTable> nonces;
  std::atomic<std::uint64_t> accepted{0}, repushes{0}, within_grace{0};
  std::array<std::atomic<std::uint64_t>, kFailureKinds> refused{};

  explicit Impl(VerifierOptions o)
      : options(std::move(o)), nonces(options.max_remembered_nonces) {
    if (!options.clock) options.clock = [] { return std::chrono::system_clock::now(); };
  }

  Verification refuse(Verification result, VerifyFailure failure) {
    result.ok = false;
    result.failure = failure;
    refused[static_cast<std::size_t>(failure)].fetch_add(1);
    return result;
  }

  Verification verify(const HeaderMap& headers, std::optional<std::string_view> body,
                      const std::function<bool()>& is_notify);
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
  std::size_t count = 0;
  impl_->nonces.for_each([&count](const NonceTable& table) { count += table.size(); });
  return count;
}

Verification WebhookVerifier::verify(const HeaderMap& headers) {
  return impl_->verify(headers, std::nullopt, {});
}

Verification WebhookVerifier::verify(const HeaderMap& headers, std::string_view body,
                                     const std::function<bool()>& is_notify) {
  return impl_->verify(headers, body, is_notify);
}

Verification WebhookVerifier::Impl::verify(const HeaderMap& headers,
                                           std::optional<std::string_view> body,
                                           const std::function<bool()>& is_notify) {
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
  std::string key = outcome.token.username;
  key += '\n';
  key += outcome.token.nonce;
  const NonceTable::Seen seen = nonces.with(key, [&](NonceTable& table) {
    return table.insert(std::move(key), seen_with(body), expires, now);
  });
  if (seen == NonceTable::Seen::kOtherBody) {
    result.http_status = 401;
    result.result_code.clear();  // the platform has no code for this; it never sees it
    result.detail = body ? "Nonce " + outcome.token.nonce +
                               " was seen before with another body: a replayed header"
                         : "Nonce " + outcome.token.nonce + " was seen before";
    result.within_repush_grace = false;
    return refuse(std::move(result), VerifyFailure::kReplayed);
  }
  result.ok = true;
  result.http_status = 200;
  result.repush = seen == NonceTable::Seen::kSameBody;
  result.app_key = std::move(outcome.token.username);
  result.nonce = std::move(outcome.token.nonce);
  accepted.fetch_add(1);
  if (result.repush) repushes.fetch_add(1);
  if (result.within_repush_grace) within_grace.fetch_add(1);
  return result;
}

VerifierStats WebhookVerifier::stats() const {
  VerifierStats s;
  s.accepted = impl_->accepted.load();
  s.repushes = impl_->repushes.load();
  s.within_repush_grace = impl_->within_grace.load();
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
