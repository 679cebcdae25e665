#include <privacycall/webhook/redis/nonce_store.hpp>

#include "webhook_redis/client.hpp"
#include "webhook_redis/scripts.hpp"

#include <algorithm>

namespace privacycall::webhook::redis {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

struct RedisNonceStore::Impl {
  explicit Impl(std::shared_ptr<internal::Endpoint> endpoint) : pool(std::move(endpoint)) {}
  internal::Pool pool;
  internal::Script script{internal::kRememberNonceScript};
};

RedisNonceStore::RedisNonceStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RedisNonceStore::~RedisNonceStore() = default;

Result<std::unique_ptr<RedisNonceStore>> RedisNonceStore::open(RedisConnectionOptions options) {
  Result<std::shared_ptr<internal::Endpoint>> endpoint = internal::make_endpoint(options);
  if (!endpoint) return std::move(endpoint).error();
  return std::unique_ptr<RedisNonceStore>(
      new RedisNonceStore(std::make_unique<Impl>(std::move(endpoint).value())));
}

Result<NonceSighting> RedisNonceStore::remember(const NonceUse& use,
                                                std::chrono::system_clock::time_point now) {
  return impl_->pool.with([&](internal::Connection& connection) -> Result<NonceSighting> {
    Result<internal::Value> seen = impl_->script.run(
        connection, {internal::nonce_key(connection.endpoint(), use.key)},
        {std::string(use.body_digest), std::to_string(internal::ttl_ms(use.expires, now))});
    if (!seen) return std::move(seen).error();
    return internal::sighting(*seen);
  });
}

std::string RedisNonceStore::keyspace() const { return impl_->pool.shared_endpoint()->keyspace(); }

bool RedisNonceStore::reachable() { return impl_->pool.ping(); }

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook::redis
