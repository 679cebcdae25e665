#ifndef PRIVACYCALL_WEBHOOK_DEDUP_STORE_HPP
#define PRIVACYCALL_WEBHOOK_DEDUP_STORE_HPP

/// @file
/// Remembers which notifications were already handled, so that the platform's re-pushes
/// (up to 6, at 1, 4, 9, 106, 203 and 300 minutes) reach user code once.

#include <privacycall/abi.hpp>
#include <privacycall/signature.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// Outcome of DedupStore::claim.
struct DedupClaim {
  /// What claim() found for the key.
  enum class State {
    kNew,         ///< not seen: the caller now owns the key and must commit() or release() it
    kSeen,        ///< handled before; `answer` holds what was stored with it
    kInProgress,  ///< another request is handling it right now
  };
  State state = State::kNew;  ///< Whether the key is new, done before, or being handled now
  /// What commit() stored (e.g. the JSON of a Block answer); empty otherwise.
  std::string answer;
};

/// A store of handled keys. Implement it over a shared database to deduplicate across several
/// receiver instances; MemoryDedupStore serves a single process. Implementations must be
/// thread-safe.
class DedupStore {
 public:
  virtual ~DedupStore() = default;
  /// Claims `key` for handling (see DedupClaim).
  virtual DedupClaim claim(std::string_view key) = 0;
  /// Marks a claimed key handled, remembering `answer` with it.
  virtual void commit(std::string_view key, std::string_view answer = {}) = 0;
  /// Gives a claimed key back unhandled, so the next re-push is delivered.
  virtual void release(std::string_view key) = 0;
};

/// Settings of MemoryDedupStore.
struct MemoryDedupOptions {
  /// How long a handled key is remembered. The re-push offsets add up to 623 minutes if they
  /// are gaps rather than offsets, so the default, 12 hours, covers either reading.
  std::chrono::seconds ttl{std::chrono::hours(12)};
  /// Most keys remembered; the oldest are forgotten first when full (bounded memory). From
  /// 16384 up, the store is split into 16 independently locked shards, each holding its share
  /// and forgetting its own oldest first, so that concurrent pushes rarely wait for one another.
  std::size_t max_entries = 200000;
  /// Time source; the system clock when empty.
  Clock clock;
};

/// In-process DedupStore: a hash map with insertion-ordered expiry. Claims in progress never
/// expire or get evicted (they are released or committed by their owner).
class MemoryDedupStore final : public DedupStore {
 public:
  /// An empty store limited by @p options (entry lifetime and count).
  explicit MemoryDedupStore(MemoryDedupOptions options = {});
  ~MemoryDedupStore() override;
  MemoryDedupStore(const MemoryDedupStore&) = delete;
  MemoryDedupStore& operator=(const MemoryDedupStore&) = delete;

  DedupClaim claim(std::string_view key) override;
  void commit(std::string_view key, std::string_view answer = {}) override;
  void release(std::string_view key) override;

  /// Keys remembered or claimed now.
  std::size_t size() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook

#endif  // PRIVACYCALL_WEBHOOK_DEDUP_STORE_HPP
