#include <privacycall/webhook/dedup_store.hpp>

#include <list>
#include <mutex>
#include <unordered_map>

namespace privacycall::webhook {

struct MemoryDedupStore::Impl {
  struct Entry {
    bool committed = false;
    std::chrono::system_clock::time_point expires;
    std::string answer;
    std::list<std::string>::iterator order;  // position in `committed_order` when committed
  };

  MemoryDedupOptions options;
  mutable std::mutex mutex;
  std::unordered_map<std::string, Entry> entries;
  // Committed keys, oldest first. The TTL is the same for every key, so this is also
  // expiry order: pruning and eviction pop from the front.
  std::list<std::string> committed_order;

  explicit Impl(MemoryDedupOptions o) : options(std::move(o)) {
    if (!options.clock) options.clock = [] { return std::chrono::system_clock::now(); };
    if (options.max_entries == 0) options.max_entries = 1;
  }

  void prune(std::chrono::system_clock::time_point now) {
    while (!committed_order.empty()) {
      const auto it = entries.find(committed_order.front());
      if (it != entries.end() && it->second.expires > now &&
          committed_order.size() <= options.max_entries) {
        break;
      }
      if (it != entries.end()) entries.erase(it);
      committed_order.pop_front();
    }
  }
};

MemoryDedupStore::MemoryDedupStore(MemoryDedupOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

MemoryDedupStore::~MemoryDedupStore() = default;

DedupClaim MemoryDedupStore::claim(std::string_view key) {
  const auto now = impl_->options.clock();
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->prune(now);
  DedupClaim claim;
  const auto [it, inserted] = impl_->entries.try_emplace(std::string(key));
  if (inserted) {
    claim.state = DedupClaim::State::kNew;
  } else if (it->second.committed) {
    claim.state = DedupClaim::State::kSeen;
    claim.answer = it->second.answer;
  } else {
    claim.state = DedupClaim::State::kInProgress;
  }
  return claim;
}

void MemoryDedupStore::commit(std::string_view key, std::string_view answer) {
  const auto now = impl_->options.clock();
  std::lock_guard<std::mutex> lock(impl_->mutex);
  auto it = impl_->entries.find(std::string(key));
  if (it == impl_->entries.end()) {
    it = impl_->entries.try_emplace(std::string(key)).first;
  } else if (it->second.committed) {
    impl_->committed_order.erase(it->second.order);
  }
  Impl::Entry& entry = it->second;
  entry.committed = true;
  entry.expires = now + impl_->options.ttl;
  entry.answer = std::string(answer);
  entry.order = impl_->committed_order.insert(impl_->committed_order.end(), it->first);
  impl_->prune(now);
}

void MemoryDedupStore::release(std::string_view key) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  const auto it = impl_->entries.find(std::string(key));
  if (it != impl_->entries.end() && !it->second.committed) impl_->entries.erase(it);
}

std::size_t MemoryDedupStore::size() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->entries.size();
}

}  // namespace privacycall::webhook
