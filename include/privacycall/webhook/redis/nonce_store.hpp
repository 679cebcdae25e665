#ifndef PRIVACYCALL_WEBHOOK_REDIS_NONCE_STORE_HPP
#define PRIVACYCALL_WEBHOOK_REDIS_NONCE_STORE_HPP

/// @file
/// A NonceStore on Redis, shared by every receiver of a fleet: a nonce seen by any replica is
/// a replay for all. One round trip per push (a script: SET NX PX, then compare the body
/// digest when the nonce was known).

#include <privacycall/abi.hpp>
#include <privacycall/webhook/nonce_store.hpp>
#include <privacycall/webhook/redis/connection.hpp>

#include <memory>
#include <string>

namespace privacycall::webhook::redis {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// Remembers nonces as `<prefix>nonce:<app>\n<nonce>` keys that expire with the token.
class RedisNonceStore final : public NonceStore {
 public:
  /// Checks the connection string now (kValidation Error when it is wrong); connects lazily.
  static Result<std::unique_ptr<RedisNonceStore>> open(RedisConnectionOptions options);
  ~RedisNonceStore() override;
  RedisNonceStore(const RedisNonceStore&) = delete;
  RedisNonceStore& operator=(const RedisNonceStore&) = delete;

  /// An Error (kTransport or kTimeout, retryable) when Redis cannot be reached in time.
  Result<NonceSighting> remember(const NonceUse& use,
                                 std::chrono::system_clock::time_point now) override;

  /// "host:port/db prefix" (never the password): a RedisPushQueue with the same keyspace
  /// remembers this store's nonces itself, in the script that queues the push.
  std::string keyspace() const;
  /// Whether Redis answers PING now, within the command timeout (for a readiness check).
  bool reachable();

 private:
  struct Impl;
  explicit RedisNonceStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook::redis

#endif  // PRIVACYCALL_WEBHOOK_REDIS_NONCE_STORE_HPP
