#include <privacycall/webhook/nonce_store.hpp>

#include "webhook/hash_index.hpp"
#include "webhook/inline_text.hpp"
#include "webhook/sharded.hpp"

#include <deque>
#include <map>
#include <string>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN
namespace {

using TimePoint = std::chrono::system_clock::time_point;

// One shard of the memory; the caller holds its lock.
//
// Created has whole seconds, so nonces expire in a few hundred distinct instants: they are
// kept grouped by expiry instant (a small map), oldest inserted first within an instant, and
// found through a HashIndex pointing into those groups.
class NonceTable {
 public:
  explicit NonceTable(std::size_t capacity) : capacity_(capacity), index_(capacity) {}

  // Records the nonce with its body digest; says whether it was there already.
  // `hash`: std::hash of use.key.
  NonceSighting insert(const NonceUse& use, std::size_t hash, TimePoint now) {
    // Forget what can no longer be replayed anyway: its Created is outside the window now.
    while (!by_expiry_.empty() && by_expiry_.begin()->first < now) {
      for (const Nonce& nonce : by_expiry_.begin()->second) index_.erase(nonce.hash, &nonce);
      size_ -= by_expiry_.begin()->second.size();
      by_expiry_.erase(by_expiry_.begin());
    }
    const Nonce* seen = index_.find(hash, [&use](const Nonce& nonce) { return nonce.key.view() == use.key; });
    if (seen != nullptr) {
      const bool same = !use.body_digest.empty() && seen->body_digest.view() == use.body_digest;
      return same ? NonceSighting::kSameBody : NonceSighting::kOtherBody;
    }
    if (size_ >= capacity_) {  // full: drop the one closest to expiry
      auto& soonest = by_expiry_.begin()->second;
      index_.erase(soonest.front().hash, &soonest.front());
      soonest.pop_front();
      --size_;
      if (soonest.empty()) by_expiry_.erase(by_expiry_.begin());
    }
    // A deque keeps each nonce where it is while others are added and dropped at its ends.
    auto& group = by_expiry_[use.expires];
    group.push_back(Nonce{internal::InlineText<kInlineKey>(use.key), hash,
                           internal::InlineText<kInlineDigest>(use.body_digest)});
    index_.insert(hash, &group.back());
    ++size_;
    return NonceSighting::kNew;
  }

  std::size_t size() const { return size_; }

 private:
  // "<app key>\n<nonce>": the platform's nonces have 32 characters.
  static constexpr std::size_t kInlineKey = 80;
  // The verifier's digests have 16 bytes; others are kept too.
  static constexpr std::size_t kInlineDigest = 16;

  struct Nonce {
    internal::InlineText<kInlineKey> key;
    std::size_t hash;
    internal::InlineText<kInlineDigest> body_digest;
  };

  const std::size_t capacity_;
  std::map<TimePoint, std::deque<Nonce>> by_expiry_;
  std::size_t size_ = 0;
  internal::HashIndex<Nonce> index_;  // every nonce of by_expiry_
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
  return impl_->tables.with(use.key, [&](NonceTable& table, std::size_t hash) { return table.insert(use, hash, now); });
}

std::size_t MemoryNonceStore::size() const {
  std::size_t count = 0;
  impl_->tables.for_each([&count](const NonceTable& table) { count += table.size(); });
  return count;
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook
