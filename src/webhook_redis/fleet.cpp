#include <privacycall/webhook/redis/fleet.hpp>

#include <algorithm>

namespace privacycall::webhook::redis {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

Result<RedisFleet> RedisFleet::open(RedisFleetOptions options) {
  RedisFleet fleet;
  options.dedup.lease = std::min(options.dedup.lease, options.queue.claim_idle);
  Result<std::unique_ptr<RedisNonceStore>> nonces = RedisNonceStore::open(options.connection);
  if (!nonces) return std::move(nonces).error();
  Result<std::unique_ptr<RedisDedupStore>> dedup = RedisDedupStore::open(options.connection, options.dedup);
  if (!dedup) return std::move(dedup).error();
  Result<std::unique_ptr<RedisPushQueue>> queue = RedisPushQueue::open(options.connection, options.queue);
  if (!queue) return std::move(queue).error();
  fleet.nonces_ = std::move(nonces).value();
  fleet.dedup_ = std::move(dedup).value();
  fleet.queue_ = std::move(queue).value();
  return fleet;
}

void RedisFleet::configure(VerifierOptions& verifier) const { verifier.nonce_store = nonces_; }

void RedisFleet::configure(DispatcherOptions& dispatcher) const { dispatcher.dedup_store = dedup_; }

Result<std::uint64_t> RedisFleet::attach(Dispatcher& dispatcher) const {
  return dispatcher.use_queue(queue_);
}

bool RedisFleet::reachable() const { return queue_->reachable(); }

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook::redis
