#include <privacycall/webhook/dedup_store.hpp>

#include <list>
#include <mutex>
#include <unordered_map>

#include "common/internal_export.hpp"
#include "webhook/sharded.hpp"

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

namespace {

// One shard of the store; the caller holds its lock.
struct DedupTable {
  struct Entry {
    bool committed = false;
    std::chrono::system_clock::time_point expires;
    std::string answer;
    std::list<const std::string*>::iterator order;  // position in `committed_order` when committed
  };

  explicit DedupTable(std::size_t capacity) : max_entries(capacity) {
    // Sized once for its capacity: rehashing a grown table holds the shard's lock for
    // milliseconds, which every push waiting on it would see as latency.
    entries.reserve(capacity);
  }

  void prune(std::chrono::system_clock::time_point now) {
    while (!committed_order.empty()) {
      const auto it = entries.find(*committed_order.front());
      if (it != entries.end() && it->second.expires > now && committed_order.size() <= max_entries) {
        break;
      }
      committed_order.pop_front();  // before the erase: it points to the entry's key
      if (it != entries.end()) entries.erase(it);
    }
  }

  std::size_t max_entries;
  std::unordered_map<std::string, Entry> entries;
  // The keys of the committed entries, oldest first. The TTL is the same for every key, so
  // this is also expiry order: pruning and eviction pop from the front. They point to the
  // keys in `entries`, which stay where they are until their entry is erased (rehashing
  // moves no element), and a committed entry is only erased here, by prune().
  std::list<const std::string*> committed_order;
};

// `key` as the std::string a lookup in a DedupTable needs (C++17's unordered_map has no
// heterogeneous lookup), in a buffer of the calling thread that keeps its capacity: the key
// of every push is looked up again at its commit.
const std::string& lookup_key(std::string_view key) {
  thread_local std::string buffer;
  buffer.assign(key);
  return buffer;
}

}  // namespace

struct PRIVACYCALL_HIDDEN MemoryDedupStore::Impl {
  explicit Impl(MemoryDedupOptions o) : options(std::move(o)), tables(options.max_entries) {
    if (!options.clock) options.clock = [] { return std::chrono::system_clock::now(); };
  }

  MemoryDedupOptions options;
  internal::Sharded<DedupTable> tables;
};

MemoryDedupStore::MemoryDedupStore(MemoryDedupOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

MemoryDedupStore::~MemoryDedupStore() = default;

DedupClaim MemoryDedupStore::claim(std::string_view key) {
  const auto now = impl_->options.clock();
  std::string owned(key);  // allocated before taking the lock
  return impl_->tables.with(key, [&](DedupTable& table) {
    table.prune(now);
    DedupClaim claim;
    const auto [it, inserted] = table.entries.try_emplace(std::move(owned));
    if (inserted) {
      claim.state = DedupClaim::State::kNew;
    } else if (it->second.committed) {
      claim.state = DedupClaim::State::kSeen;
      claim.answer = it->second.answer;
    } else {
      claim.state = DedupClaim::State::kInProgress;
    }
    return claim;
  });
}

void MemoryDedupStore::commit(std::string_view key, std::string_view answer) {
  const auto now = impl_->options.clock();
  const std::string& lookup = lookup_key(key);
  impl_->tables.with(key, [&](DedupTable& table) {
    auto it = table.entries.find(lookup);
    if (it == table.entries.end()) {
      it = table.entries.try_emplace(lookup).first;
    } else if (it->second.committed) {
      table.committed_order.erase(it->second.order);
    }
    DedupTable::Entry& entry = it->second;
    entry.committed = true;
    entry.expires = now + impl_->options.ttl;
    entry.answer = std::string(answer);
    entry.order = table.committed_order.insert(table.committed_order.end(), &it->first);
    table.prune(now);
  });
}

void MemoryDedupStore::release(std::string_view key) {
  const std::string& lookup = lookup_key(key);
  impl_->tables.with(key, [&](DedupTable& table) {
    const auto it = table.entries.find(lookup);
    if (it != table.entries.end() && !it->second.committed) table.entries.erase(it);
  });
}

std::size_t MemoryDedupStore::size() const {
  std::size_t count = 0;
  impl_->tables.for_each([&count](const DedupTable& table) { count += table.entries.size(); });
  return count;
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook
