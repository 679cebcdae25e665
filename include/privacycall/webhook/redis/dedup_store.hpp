#ifndef PRIVACYCALL_WEBHOOK_REDIS_DEDUP_STORE_HPP
#define PRIVACYCALL_WEBHOOK_REDIS_DEDUP_STORE_HPP

/// @file
/// A DedupStore on Redis, shared by every receiver of a fleet, so that re-pushes spread over
/// replicas reach the handlers once in total, and a repeated Block push gets the stored answer
/// whichever replica it lands on.
///
/// A claim is a lease: `SET key p:<owner> NX PX lease`, so the claim of a replica that crashed
/// while handling expires and the next re-push is delivered. commit() stores `c:<answer>` for
/// the TTL (called during a delivery by a RedisPushQueue worker on the same keyspace, it is
/// written with that entry's acknowledgement, in the same script); release() deletes the key
/// only while it still holds this store's own claim (a compare-and-delete script), never
/// another replica's.

#include <privacycall/abi.hpp>
#include <privacycall/webhook/dedup_store.hpp>
#include <privacycall/webhook/redis/connection.hpp>

#include <chrono>
#include <memory>

namespace privacycall::webhook::redis {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// How long claims and handled keys live.
struct RedisDedupOptions {
  /// How long a handled key is remembered (as MemoryDedupOptions::ttl).
  std::chrono::seconds ttl{std::chrono::hours(12)};
  /// How long a claim holds without a commit or release. Longer than the slowest handler
  /// (else a re-push arriving meanwhile is delivered twice), shorter than the platform's first
  /// re-push delay (one minute), so a crashed replica's claim is gone by then.
  std::chrono::milliseconds lease{std::chrono::seconds(50)};
};

/// Throws StoreUnavailable from claim() and commit() when Redis cannot be reached in time
/// (the receiver answers 503); release() then only logs, and the lease expires by itself.
class RedisDedupStore final : public DedupStore {
 public:
  /// Checks the connection string now (kValidation Error when it is wrong); connects lazily.
  static Result<std::unique_ptr<RedisDedupStore>> open(RedisConnectionOptions connection,
                                                       RedisDedupOptions options = {});
  ~RedisDedupStore() override;
  RedisDedupStore(const RedisDedupStore&) = delete;
  RedisDedupStore& operator=(const RedisDedupStore&) = delete;

  DedupClaim claim(std::string_view key) override;
  void commit(std::string_view key, std::string_view answer = {}) override;
  void release(std::string_view key) override;

 private:
  struct Impl;
  explicit RedisDedupStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook::redis

#endif  // PRIVACYCALL_WEBHOOK_REDIS_DEDUP_STORE_HPP
