#include <privacycall/webhook/verifier.hpp>

#include "webhook/log_internal.hpp"
#include "webhook/sharded.hpp"

#include <deque>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <unordered_set>

namespace privacycall::webhook {
namespace {

using TimePoint = std::chrono::system_clock::time_point;

bool starts_with_word(std::string_view text, std::string_view word) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  if (text.size() < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    const char c = text[i] >= 'a' && text[i] <= 'z' ? static_cast<char>(text[i] - 32) : text[i];
    if (c != word[i]) return false;
  }
  return true;
}

// Remembers (app, nonce) pairs until their token can no longer pass the freshness check. One
// shard of the verifier's nonce memory; the caller holds its lock.
//
// Created has whole seconds, so nonces expire in a few hundred distinct instants: they are
// grouped by expiry instant (a small map) instead of one ordered-index node per nonce, which
// cost a tree walk and an allocation per push.
class NonceTable {
 public:
  explicit NonceTable(std::size_t capacity) : capacity_(capacity) {
    // Never rehashed (it holds at most capacity_ entries), so the iterators below stay valid.
    entries_.reserve(capacity_);
  }

  // Records the nonce; false when it was already there (a replay).
  bool insert(std::string key, TimePoint expires, TimePoint now) {
    // Forget what can no longer be replayed anyway: its Created is outside the window now.
    while (!by_expiry_.empty() && by_expiry_.begin()->first < now) {
      for (const Entry entry : by_expiry_.begin()->second) entries_.erase(entry);
      by_expiry_.erase(by_expiry_.begin());
    }
    if (entries_.count(key) != 0) return false;
    if (entries_.size() >= capacity_) {  // full: drop the one closest to expiry
      auto& soonest = by_expiry_.begin()->second;
      entries_.erase(soonest.front());
      soonest.pop_front();
      if (soonest.empty()) by_expiry_.erase(by_expiry_.begin());
    }
    by_expiry_[expires].push_back(entries_.insert(std::move(key)).first);
    return true;
  }

  std::size_t size() const { return entries_.size(); }

 private:
  using Entries = std::unordered_set<std::string>;
  using Entry = Entries::const_iterator;
  const std::size_t capacity_;
  Entries entries_;
  std::map<TimePoint, std::deque<Entry>> by_expiry_;  // oldest inserted first within an instant
};

struct AppSigners {
  Signer aksk;
  std::optional<Signer> wsse;
};

}  // namespace

struct WebhookVerifier::Impl {
  VerifierOptions options;
  mutable std::shared_mutex apps_mutex;
  std::unordered_map<std::string, AppSigners> apps;
  internal::Sharded<NonceTable> nonces;

  explicit Impl(VerifierOptions o)
      : options(std::move(o)), nonces(options.max_remembered_nonces) {
    if (!options.clock) options.clock = [] { return std::chrono::system_clock::now(); };
  }
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
  Verification result;
  if (disabled()) {
    internal::emit(impl_->options.log, LogLevel::kWarning,
                   "accepting a request WITHOUT signature verification "
                   "(insecure_accept_unsigned_requests_for_local_development_only is set)");
    result.ok = true;
    result.skipped = true;
    return result;
  }

  const std::string_view authorization = headers.get("Authorization").value_or("");
  const std::optional<std::string_view> aksk = headers.get("X-AKSK");
  const std::optional<std::string_view> wsse = headers.get("X-WSSE");
  // The scheme follows what the request carries; AKSK unless it is clearly the legacy one.
  SignatureScheme scheme = SignatureScheme::kAksk;
  if (impl_->options.accept_legacy_wsse && !aksk &&
      (wsse || starts_with_word(authorization, "WSSE"))) {
    scheme = SignatureScheme::kWsse;
  }
  result.scheme = scheme;
  const std::string_view token =
      (scheme == SignatureScheme::kAksk ? aksk : wsse).value_or(std::string_view());

  const TimePoint now = impl_->options.clock();
  const std::chrono::seconds window = impl_->options.freshness_window;
  VerifyOutcome outcome;
  {
    std::shared_lock<std::shared_mutex> lock(impl_->apps_mutex);
    outcome = verify_signature(
        scheme, VerifyInput{authorization, token},
        [&](std::string_view username) -> const Signer* {
          const auto it = impl_->apps.find(std::string(username));
          if (it == impl_->apps.end()) return nullptr;
          if (scheme == SignatureScheme::kWsse) {
            return it->second.wsse ? &*it->second.wsse : nullptr;
          }
          return &it->second.aksk;
        },
        now, window);
  }
  if (!outcome.ok) {
    result.failure = outcome.failure;
    result.http_status = outcome.http_status;
    result.result_code = std::move(outcome.result_code);
    return result;
  }
  // verify_signature accepted Created, so it parses.
  const TimePoint created = parse_created(outcome.token.created).value();
  std::string key = outcome.token.username;
  key += '\n';
  key += outcome.token.nonce;
  const bool fresh = impl_->nonces.with(key, [&](NonceTable& table) {
    return table.insert(std::move(key), created + window, now);
  });
  if (!fresh) {
    result.failure = VerifyFailure::kReplayed;
    result.http_status = 401;
    result.result_code.clear();  // the platform has no code for this; it never sees it
    return result;
  }
  result.ok = true;
  result.app_key = std::move(outcome.token.username);
  return result;
}

}  // namespace privacycall::webhook
