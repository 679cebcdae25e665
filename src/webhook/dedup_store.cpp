#include <privacycall/webhook/dedup_store.hpp>

#include <deque>
#include <mutex>
#include <string>
#include <unordered_set>

#include "common/internal_export.hpp"
#include "webhook/hash_index.hpp"
#include "webhook/inline_text.hpp"
#include "webhook/sharded.hpp"

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

namespace {

using TimePoint = std::chrono::system_clock::time_point;

// One shard of the store; the caller holds its lock.
class DedupTable {
 public:
  explicit DedupTable(std::size_t capacity) : max_entries_(capacity), index_(capacity + 1) {}

  // `hash`, here and below: std::hash of `key`.
  DedupClaim claim(std::string key, std::size_t hash, TimePoint now) {
    prune(now);
    DedupClaim claim;
    if (const Committed* committed = find(key, hash)) {
      claim.state = DedupClaim::State::kSeen;
      claim.answer = committed->answer;
    } else if (in_progress_.insert(std::move(key)).second) {
      claim.state = DedupClaim::State::kNew;
    } else {
      claim.state = DedupClaim::State::kInProgress;
    }
    return claim;
  }

  // Committing a key again moves it to the end, with its new answer and expiry.
  void commit(std::string_view key, std::size_t hash, std::string answer, TimePoint expires, TimePoint now) {
    in_progress_.erase(lookup_key(key));
    if (Committed* earlier = find(key, hash)) forget(*earlier);
    committed_.push_back(Committed{internal::InlineText<kInlineKey>(key), hash, expires, std::move(answer), true});
    index_.insert(hash, &committed_.back());
    ++live_;
    prune(now);
  }

  // A committed key stays: releasing it does not forget it.
  void release(std::string_view key) { in_progress_.erase(lookup_key(key)); }

  std::size_t size() const { return live_ + in_progress_.size(); }

 private:
  // A CDR's key holds its sessionId and icid: about 90 bytes as the platform sends them.
  static constexpr std::size_t kInlineKey = 112;

  struct Committed {
    internal::InlineText<kInlineKey> key;
    std::size_t hash;
    TimePoint expires;
    std::string answer;
    bool live;  // false once committed again: the later entry holds the key
  };

  // `key` as the std::string a lookup in `in_progress_` needs (C++17's unordered_set has no
  // heterogeneous lookup), in a buffer of the calling thread that keeps its capacity.
  static const std::string& lookup_key(std::string_view key) {
    thread_local std::string buffer;
    buffer.assign(key);
    return buffer;
  }

  Committed* find(std::string_view key, std::size_t hash) const {
    return index_.find(hash, [key](const Committed& entry) { return entry.live && entry.key.view() == key; });
  }

  void forget(Committed& entry) {
    index_.erase(entry.hash, &entry);
    entry.live = false;
    --live_;
    ++dead_;
    // Entries committed again leave their earlier place behind until it reaches the front;
    // past as many as are live, they are dropped at once so that memory stays bounded.
    if (dead_ > live_ + 64) compact();
  }

  // The TTL is the same for every key, so commit order is also expiry order: expired entries,
  // and the oldest beyond the bound, are at the front.
  void prune(TimePoint now) {
    while (!committed_.empty()) {
      Committed& oldest = committed_.front();
      if (oldest.live) {
        if (oldest.expires > now && live_ <= max_entries_) break;
        index_.erase(oldest.hash, &oldest);
        --live_;
      } else {
        --dead_;
      }
      committed_.pop_front();
    }
  }

  void compact() {
    std::deque<Committed> live;
    for (Committed& entry : committed_) {
      if (!entry.live) continue;
      index_.erase(entry.hash, &entry);
      live.push_back(std::move(entry));
    }
    committed_.swap(live);
    for (Committed& entry : committed_) index_.insert(entry.hash, &entry);
    dead_ = 0;
  }

  std::size_t max_entries_;
  // Committed keys, oldest first. A deque keeps each entry where it is while entries are added
  // at the back and dropped at the front, so the index can point to them.
  std::deque<Committed> committed_;
  std::size_t live_ = 0;  // entries of committed_ that hold their key
  std::size_t dead_ = 0;  // entries of committed_ committed again since
  internal::HashIndex<Committed> index_;  // the live entries of committed_
  // Keys claimed and neither committed nor released: at most one per push in flight.
  std::unordered_set<std::string> in_progress_;
};

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

// The strings a table keeps on the heap are made before taking its lock, which other pushes wait on.

DedupClaim MemoryDedupStore::claim(std::string_view key) {
  const auto now = impl_->options.clock();
  std::string owned(key);
  return impl_->tables.with(key, [&](DedupTable& table, std::size_t hash) { return table.claim(std::move(owned), hash, now); });
}

void MemoryDedupStore::commit(std::string_view key, std::string_view answer) {
  const auto now = impl_->options.clock();
  std::string owned_answer(answer);
  impl_->tables.with(key, [&](DedupTable& table, std::size_t hash) {
    table.commit(key, hash, std::move(owned_answer), now + impl_->options.ttl, now);
  });
}

void MemoryDedupStore::release(std::string_view key) {
  impl_->tables.with(key, [&](DedupTable& table, std::size_t) { table.release(key); });
}

std::size_t MemoryDedupStore::size() const {
  std::size_t count = 0;
  impl_->tables.for_each([&count](const DedupTable& table) { count += table.size(); });
  return count;
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook
