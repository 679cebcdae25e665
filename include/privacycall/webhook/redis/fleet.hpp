#ifndef PRIVACYCALL_WEBHOOK_REDIS_FLEET_HPP
#define PRIVACYCALL_WEBHOOK_REDIS_FLEET_HPP

/// @file
/// One receiver of a fleet, wired in three lines: the nonce store, the dedup store and the
/// push queue, all on one Redis, attached to a verifier and a dispatcher.
///
/// @code
///   auto fleet = RedisFleet::open(options).value();
///   fleet.configure(verifier_options);    // nonces: a header replayed anywhere is refused
///   fleet.configure(dispatcher_options);  // dedupe: a re-push anywhere is delivered once
///   fleet.attach(*dispatcher);            // queue: 200 once the push is in the Stream
/// @endcode
///
/// With the three on one keyspace, the 200 path of a Notify push costs one round trip to
/// Redis: one script remembers the nonce and appends the push to the Stream. Its delivery
/// costs the dedupe claim plus a share of the round trip that acknowledges a batch (with the
/// batch's dedupe commits) and reads the next.

#include <privacycall/abi.hpp>
#include <privacycall/result.hpp>
#include <privacycall/webhook/dispatcher.hpp>
#include <privacycall/webhook/redis/connection.hpp>
#include <privacycall/webhook/redis/dedup_store.hpp>
#include <privacycall/webhook/redis/nonce_store.hpp>
#include <privacycall/webhook/redis/push_queue.hpp>
#include <privacycall/webhook/verifier.hpp>

#include <cstdint>
#include <memory>

namespace privacycall::webhook::redis {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// Where the fleet's Redis is, and the settings of each store.
struct RedisFleetOptions {
  RedisConnectionOptions connection;  ///< shared by the three stores
  RedisQueueOptions queue;            ///< the Stream, group and this receiver's consumer name
  /// Handled-key TTL and claim lease. The lease is capped at queue.claim_idle: a replica
  /// taking over a dead one's entries must not find their dedupe claims still held (it would
  /// retry them until the lease expired).
  RedisDedupOptions dedup;
};

/// The three stores of one receiver. Copies share them.
class RedisFleet {
 public:
  /// Checks the connection string now (a kValidation Error naming what is wrong); connects
  /// lazily, so a Redis that is down at start is not an error: pushes get 503 until it answers.
  static Result<RedisFleet> open(RedisFleetOptions options);

  /// Sets VerifierOptions::nonce_store.
  void configure(VerifierOptions& verifier) const;
  /// Sets DispatcherOptions::dedup_store.
  void configure(DispatcherOptions& dispatcher) const;
  /// Dispatcher::use_queue with the fleet's queue: starts this receiver's workers. Returns the
  /// entries waiting in the queue already (0 when Redis cannot be asked yet).
  Result<std::uint64_t> attach(Dispatcher& dispatcher) const;

  /// Whether Redis answers PING now, within the command timeout: a readiness check.
  bool reachable() const;

  const std::shared_ptr<RedisNonceStore>& nonce_store() const noexcept { return nonces_; }  ///< the nonces
  const std::shared_ptr<RedisDedupStore>& dedup_store() const noexcept { return dedup_; }   ///< the dedupe
  const std::shared_ptr<RedisPushQueue>& queue() const noexcept { return queue_; }          ///< the queue

 private:
  RedisFleet() = default;
  std::shared_ptr<RedisNonceStore> nonces_;
  std::shared_ptr<RedisDedupStore> dedup_;
  std::shared_ptr<RedisPushQueue> queue_;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook::redis

#endif  // PRIVACYCALL_WEBHOOK_REDIS_FLEET_HPP
