#ifndef PRIVACYCALL_SRC_WEBHOOK_SHARDED_HPP
#define PRIVACYCALL_SRC_WEBHOOK_SHARDED_HPP

// A keyed table split into independently locked shards. The receiver serves each keep-alive
// connection on its own thread, so dozens of threads share two cores; behind one lock, a thread
// preempted while holding it (or rehashing a 100k-entry table) stalls every other request, which
// shows up as tail latency. Small capacities keep a single shard, so their bound and their
// oldest-first eviction stay exact.

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

namespace privacycall::webhook::internal {

/// `Table` must be constructible from its share of the capacity (a std::size_t).
template <typename Table>
class Sharded {
 public:
  /// Capacities from this size up are split into kMaxShards shards.
  static constexpr std::size_t kShardingThreshold = 16 * 1024;
  static constexpr std::size_t kMaxShards = 16;  ///< Shards of a large table

  /// Tables sharing `capacity` (at least 1 each).
  explicit Sharded(std::size_t capacity) {
    const std::size_t count = capacity >= kShardingThreshold ? kMaxShards : 1;
    const std::size_t each = capacity / count == 0 ? 1 : capacity / count;
    shards_.reserve(count);
    for (std::size_t i = 0; i < count; ++i) shards_.push_back(std::make_unique<Shard>(each));
  }

  /// Runs `fn(table, hash)` under the lock of the shard that owns `key`, `hash` being the key's
  /// std::hash (hashed once here, for the shard and for the table's own index); returns what
  /// `fn` returns.
  template <typename Fn>
  decltype(auto) with(std::string_view key, Fn&& fn) {
    const std::size_t hash = std::hash<std::string_view>{}(key);
    Shard& shard = *shards_[hash % shards_.size()];
    std::lock_guard<std::mutex> lock(shard.mutex);
    return fn(shard.table, hash);
  }

  /// Runs `fn(table)` for every shard in turn, each under its own lock.
  template <typename Fn>
  void for_each(Fn&& fn) const {
    for (const auto& shard : shards_) {
      std::lock_guard<std::mutex> lock(shard->mutex);
      fn(static_cast<const Table&>(shard->table));
    }
  }

 private:
  struct Shard {
    explicit Shard(std::size_t capacity) : table(capacity) {}
    mutable std::mutex mutex;
    Table table;
  };
  std::vector<std::unique_ptr<Shard>> shards_;  // unique_ptr: a mutex does not move
};

}  // namespace privacycall::webhook::internal

#endif  // PRIVACYCALL_SRC_WEBHOOK_SHARDED_HPP
