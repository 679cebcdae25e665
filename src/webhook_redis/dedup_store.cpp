#include <privacycall/webhook/redis/dedup_store.hpp>

#include <privacycall/webhook/store_unavailable.hpp>

#include "webhook/log_internal.hpp"
#include "webhook_redis/batch_claims.hpp"
#include "webhook_redis/client.hpp"
#include "webhook_redis/deferred_commits.hpp"
#include "webhook_redis/scripts.hpp"

namespace privacycall::webhook::redis {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

struct RedisDedupStore::Impl {
  Impl(std::shared_ptr<internal::Endpoint> endpoint, RedisDedupOptions o)
      : pool(std::move(endpoint)), options(o) {}

  std::string key(std::string_view dedup_key) { return internal::dedup_key(pool.endpoint(), dedup_key); }
  std::string lease_ms() const { return std::to_string(options.lease.count()); }

  // Runs `fn` on a connection; a failure to reach Redis becomes StoreUnavailable.
  template <typename Fn>
  internal::Value call(Fn&& fn) {
    Result<internal::Value> value = pool.with(std::forward<Fn>(fn));
    if (!value) throw StoreUnavailable(std::move(value).error());
    return std::move(value).value();
  }

  internal::Pool pool;
  RedisDedupOptions options;
  // What this store's claims hold: another store's (another replica's) claim never matches,
  // so release() cannot free it. The claims of one store never overlap on a key (a second
  // claim of a held key is kInProgress), so one owner per store suffices.
  const std::string owner = "p:" + privacycall::random_nonce() + privacycall::random_nonce();
  internal::Script claim_script{internal::kClaimScript};
  internal::Script claim_ahead_script{internal::kClaimAheadScript};
  internal::Script release_script{internal::kReleaseScript};

  // Claims `dedup_key` for this store (kClaimScript).
  DedupClaim claim(std::string_view dedup_key) {
    return claim_of(call([&](internal::Connection& connection) {
      return claim_script.run(connection, {key(dedup_key)}, {owner, lease_ms()});
    }));
  }

  // Claims `keys` for a worker's batch, `batch_owner` (kClaimAheadScript): one answer per key.
  std::vector<DedupClaim> claim_for_batch(const std::string& batch_owner, const std::vector<std::string>& keys) {
    std::vector<std::string> stored;
    stored.reserve(keys.size());
    for (const std::string& dedup_key : keys) stored.push_back(key(dedup_key));
    const internal::Value value = call([&](internal::Connection& connection) {
      return claim_ahead_script.run(connection, stored, {batch_owner, lease_ms()});
    });
    std::vector<DedupClaim> claims;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      claims.push_back(i < value.elements.size() ? claim_of(value.elements[i])
                                                 : DedupClaim{DedupClaim::State::kInProgress, {}});
    }
    return claims;
  }

  // A claim ahead of `key`, made by its worker's batch: the batch's keys from this entry on
  // are asked about in one script when this one was not yet; an answer of "someone else", or
  // a lease half gone, is asked again now.
  DedupClaim claim_ahead(internal::BatchClaims& batch, const std::string& key,
                         internal::BatchClaims::Claim& ahead) {
    using Status = internal::BatchClaims::Status;
    const auto now = internal::BatchClaims::Clock::now();
    const bool asked_now = ahead.status != Status::kAnswered;
    if (asked_now) {
      const std::vector<std::string> keys = batch.to_ask();
      const std::vector<DedupClaim> answers = claim_for_batch(batch.owner(), keys);
      for (std::size_t i = 0; i < keys.size(); ++i) batch.answer(keys[i], answers[i], now);
    }
    const bool stale = !asked_now && (ahead.answer.state == DedupClaim::State::kInProgress ||
                                      (ahead.answer.state == DedupClaim::State::kNew && now - ahead.at > options.lease / 2));
    if (stale) {
      ahead.status = Status::kAsked;
      ahead.answer = claim_for_batch(batch.owner(), {key}).front();
      ahead.at = now;
    }
    ahead.status = ahead.answer.state == DedupClaim::State::kNew ? Status::kHeld : Status::kDone;
    return ahead.answer;
  }

  // {0} | {1, answer} | {2}, as the claim scripts answer.
  static DedupClaim claim_of(const internal::Value& value) {
    DedupClaim claim;
    const long long state = value.elements.empty() ? 2 : value.elements[0].integer;
    if (state == 0) {
      claim.state = DedupClaim::State::kNew;
    } else if (state == 1) {
      claim.state = DedupClaim::State::kSeen;
      if (value.elements.size() > 1) claim.answer = value.elements[1].text;
    } else {
      claim.state = DedupClaim::State::kInProgress;
    }
    return claim;
  }
};

RedisDedupStore::RedisDedupStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RedisDedupStore::~RedisDedupStore() = default;

Result<std::unique_ptr<RedisDedupStore>> RedisDedupStore::open(RedisConnectionOptions connection,
                                                               RedisDedupOptions options) {
  Result<std::shared_ptr<internal::Endpoint>> endpoint = internal::make_endpoint(connection);
  if (!endpoint) return std::move(endpoint).error();
  return std::unique_ptr<RedisDedupStore>(
      new RedisDedupStore(std::make_unique<Impl>(std::move(endpoint).value(), options)));
}

DedupClaim RedisDedupStore::claim(std::string_view key) {
  const std::string dedup_key(key);
  if (internal::BatchClaims* batch = internal::BatchClaims::on_this_thread(impl_->pool.endpoint().keyspace())) {
    if (internal::BatchClaims::Claim* ahead = batch->ahead(dedup_key)) return impl_->claim_ahead(*batch, dedup_key, *ahead);
  }
  return impl_->claim(dedup_key);
}

void RedisDedupStore::commit(std::string_view key, std::string_view answer) {
  const auto ttl_ms = std::chrono::duration_cast<std::chrono::milliseconds>(impl_->options.ttl);
  if (internal::DeferredCommits* deferred = internal::DeferredCommits::on_this_thread(impl_->pool.endpoint().keyspace())) {
    deferred->commits.push_back({impl_->key(key), "c:" + std::string(answer), ttl_ms});
    return;
  }
  const std::string ttl = std::to_string(ttl_ms.count());
  const internal::Value value = impl_->call([&](internal::Connection& connection) {
    Result<internal::Value> set =
        connection.run({"SET", impl_->key(key), "c:" + std::string(answer), "PX", ttl});
    if (!set) return set;
    return internal::checked(std::move(set).value(), connection.endpoint());
  });
  (void)value;
}

void RedisDedupStore::release(std::string_view key) {
  const std::string* owner = &impl_->owner;
  internal::BatchClaims* batch = internal::BatchClaims::on_this_thread(impl_->pool.endpoint().keyspace());
  if (batch != nullptr && batch->release_held(std::string(key))) owner = &batch->owner();
  Result<internal::Value> value = impl_->pool.with([&](internal::Connection& connection) {
    return impl_->release_script.run(connection, {impl_->key(key)}, {*owner});
  });
  if (!value) {
    webhook::internal::emit(impl_->pool.endpoint().options().log, LogLevel::kWarning,
                            "could not release a dedup claim (it expires after its lease): " +
                                value.error().message);
  }
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook::redis
