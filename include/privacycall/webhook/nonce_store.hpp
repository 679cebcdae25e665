#ifndef PRIVACYCALL_WEBHOOK_NONCE_STORE_HPP
#define PRIVACYCALL_WEBHOOK_NONCE_STORE_HPP

/// @file
/// Where a WebhookVerifier remembers the nonces it accepted, so that a captured header pair
/// cannot be replayed with another body. MemoryNonceStore serves one process; several
/// receivers behind a load balancer share one store (privacycall::webhook_redis), or a header
/// replayed to another replica would pass there.

#include <privacycall/abi.hpp>
#include <privacycall/result.hpp>
#include <privacycall/signature.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string_view>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// What a NonceStore knew of a nonce before this use.
enum class NonceSighting {
  kNew,        ///< never seen: remembered now
  kSameBody,   ///< seen before with the same body: a re-push with the original header
  kOtherBody,  ///< seen before with another body, or without one: a replay
};

/// One accepted nonce, as the verifier hands it to the store.
struct NonceUse {
  /// "<app key>\n<nonce>": nonces are unique per app only.
  std::string_view key;
  /// A digest of the push's body; empty when the body is unknown, and then no later use can
  /// match it (every reuse is a replay).
  std::string_view body_digest;
  /// When the token can no longer pass the freshness check: the store may forget it then.
  std::chrono::system_clock::time_point expires;
};

/// A store of used nonces. Implementations must be thread-safe and must answer atomically: of
/// two uses of one new nonce at the same time, only one is kNew.
class NonceStore {
 public:
  virtual ~NonceStore() = default;
  /// Remembers `use` unless its key is known; says what was known. An Error when the store
  /// cannot be reached (the receiver answers 503, so the platform pushes again later).
  virtual Result<NonceSighting> remember(const NonceUse& use,
                                         std::chrono::system_clock::time_point now) = 0;
};

/// In-process NonceStore, bounded: when full, the nonce closest to expiry is dropped (only a
/// flood of this many valid pushes within one window could reopen a replay).
class MemoryNonceStore final : public NonceStore {
 public:
  /// At most `max_nonces` remembered at once. From 16384 up, the memory is split into 16
  /// independently locked shards, each bounded to its share.
  explicit MemoryNonceStore(std::size_t max_nonces = 100000);
  ~MemoryNonceStore() override;
  MemoryNonceStore(const MemoryNonceStore&) = delete;
  MemoryNonceStore& operator=(const MemoryNonceStore&) = delete;

  Result<NonceSighting> remember(const NonceUse& use,
                                 std::chrono::system_clock::time_point now) override;

  /// Nonces remembered now.
  std::size_t size() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook

#endif  // PRIVACYCALL_WEBHOOK_NONCE_STORE_HPP
