#include <privacycall/webhook/redis/dedup_store.hpp>

#include <privacycall/webhook/store_unavailable.hpp>

#include "webhook/log_internal.hpp"
#include "webhook_redis/client.hpp"
#include "webhook_redis/deferred_commits.hpp"
#include "webhook_redis/scripts.hpp"

namespace privacycall::webhook::redis {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

struct RedisDedupStore::Impl {
  Impl(std::shared_ptr<internal::Endpoint> endpoint, RedisDedupOptions o)
      : pool(std::move(endpoint)), options(o) {}

  std::string key(std::string_view dedup_key) { return pool.endpoint().key("dedup:") + std::string(dedup_key); }

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
  internal::Script release_script{internal::kReleaseScript};
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
  const internal::Value value = impl_->call([&](internal::Connection& connection) {
    return impl_->claim_script.run(connection, {impl_->key(key)},
                                   {impl_->owner, std::to_string(impl_->options.lease.count())});
  });
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
  Result<internal::Value> value = impl_->pool.with([&](internal::Connection& connection) {
    return impl_->release_script.run(connection, {impl_->key(key)}, {impl_->owner});
  });
  if (!value) {
    webhook::internal::emit(impl_->pool.endpoint().options().log, LogLevel::kWarning,
                            "could not release a dedup claim (it expires after its lease): " +
                                value.error().message);
  }
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook::redis
