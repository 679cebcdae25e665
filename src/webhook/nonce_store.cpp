#include <privacycall/webhook/nonce_store.hpp>

#include "webhook/sharded.hpp"

#include <deque>
#include <map>
#include <string>
#include <unordered_map>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN
namespace {

using TimePoint = std::chrono::system_clock::time_point;

// One shard of the memory; the caller holds its lock.
//
// Created has whole seconds, so nonces expire in a few hundred distinct instants: they are
// grouped by expiry instant (a small map) instead of one ordered-index node per nonce, which
// cost a tree walk and an allocation per push.
class NonceTable {
 public:
  explicit NonceTable(std::size_t capacity) : capacity_(capacity) {
    // Never rehashed (it holds at most capacity_ entries), so the iterators below stay valid.
    entries_.reserve(capacity_);
  }

  // Records the nonce with its body digest; says whether it was there already.
  NonceSighting insert(const NonceUse& use, TimePoint now) {
    // Forget what can no longer be replayed anyway: its Created is outside the window now.
    while (!by_expiry_.empty() && by_expiry_.begin()->first < now) {
      for (const Entry entry : by_expiry_.begin()->second) entries_.erase(entry);
      by_expiry_.erase(by_expiry_.begin());
    }
    std::string key(use.key);
    if (const auto found = entries_.find(key); found != entries_.end()) {
      const bool same = !use.body_digest.empty() && found->second == use.body_digest;
      return same ? NonceSighting::kSameBody : NonceSighting::kOtherBody;
    }
    if (entries_.size() >= capacity_) {  // full: drop the one closest to expiry
      auto& soonest = by_expiry_.begin()->second;
      entries_.erase(soonest.front());
      soonest.pop_front();
      if (soonest.empty()) by_expiry_.erase(by_expiry_.begin());
    }
    by_expiry_[use.expires].push_back(
        entries_.emplace(std::move(key), std::string(use.body_digest)).first);
    return NonceSighting::kNew;
  }

  std::size_t size() const { return entries_.size(); }

 private:
  using Entries = std::unordered_map<std::string, std::string>;  // key -> body digest
  using Entry = Entries::const_iterator;
  const std::size_t capacity_;
  Entries entries_;
  std::map<TimePoint, std::deque<Entry>> by_expiry_;  // oldest inserted first within an instant
};

}  // namespace

struct MemoryNonceStore::Impl {
  explicit Impl(std::size_t capacity) : tables(capacity) {}
  internal::Sharded<NonceTable> tables;
};

MemoryNonceStore::MemoryNonceStore(std::size_t max_nonces)
    : impl_(std::make_unique<Impl>(max_nonces)) {}

MemoryNonceStore::~MemoryNonceStore() = default;

Result<NonceSighting> MemoryNonceStore::remember(const NonceUse& use, TimePoint now) {
  return impl_->tables.with(use.key, [&](NonceTable& table) { return table.insert(use, now); });
}

std::size_t MemoryNonceStore::size() const {
  std::size_t count = 0;
  impl_->tables.for_each([&count](const NonceTable& table) { count += table.size(); });
  return count;
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook
