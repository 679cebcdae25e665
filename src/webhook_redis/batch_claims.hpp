#ifndef PRIVACYCALL_SRC_WEBHOOK_REDIS_BATCH_CLAIMS_HPP
#define PRIVACYCALL_SRC_WEBHOOK_REDIS_BATCH_CLAIMS_HPP

// The dedupe claims of a batch of queue entries, made in one round trip instead of one per
// delivery. A worker that read a batch lists here the keys each entry's delivery will claim
// (webhook::internal::queued_push_keys) and lends the list to its deliveries (ThreadScoped).
// The first claim a delivery makes on the RedisDedupStore of that keyspace claims the listed
// keys of that entry and of every entry after it, in one script; the later deliveries' claims
// of their own listed keys are answered from here. A key not listed (a guess that missed),
// or listed for another entry of the batch (the same notification twice in one read), is
// claimed on its own as before.
//
// What a claim ahead may answer without asking Redis again: "new, now held" while its lease
// has more than half left, and "handled before". "Claimed by someone else" is asked again at
// the delivery, as a claim made then would be: that owner may have finished meanwhile.
//
// The batch claims for an owner of its own, not the store's: the claims of keys that no
// delivery used (a kind without a handler, entries handed back on stop) are given back with
// the worker's next acknowledgement, deleted only while they still hold that owner's claim.

#include "webhook_redis/thread_scope.hpp"

#include <privacycall/webhook/dedup_store.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

namespace privacycall::webhook::redis::internal {

class BatchClaims : public ThreadScoped<BatchClaims> {
 public:
  using Clock = std::chrono::steady_clock;

  enum class Status {
    kListed,   // not asked yet
    kAsked,    // asked, no answer: perhaps held by this batch (the reply was lost)
    kAnswered, // `answer` holds what Redis said at `at`
    kHeld,     // claimed as new by its delivery, which commits or releases it
    kDone,     // answered to its delivery otherwise, or given back
  };
  struct Claim {
    std::size_t entry = 0;  // the entry of the batch whose delivery claims it
    Status status = Status::kListed;
    DedupClaim answer;
    Clock::time_point at;
  };

  using ThreadScoped::ThreadScoped;

  // Starts a batch: nothing listed, claims held for `owner` ("p:...").
  void start(std::string batch_owner) {
    claims_.clear();
    keys_of_.clear();
    owner_ = std::move(batch_owner);
    entry = 0;
  }

  // Lists the keys of the batch's next entry.
  void list(const std::vector<std::string>& keys) {
    std::vector<std::string> listed;
    for (const std::string& key : keys) {
      if (claims_.emplace(key, Claim{keys_of_.size(), Status::kListed, {}, {}}).second) listed.push_back(key);
    }
    keys_of_.push_back(std::move(listed));
  }

  std::size_t entries() const { return keys_of_.size(); }
  const std::string& owner() const { return owner_; }

  // The claim ahead of `key` for the entry being delivered; nullptr when there is none, or its
  // delivery claimed it already.
  Claim* ahead(const std::string& key) {
    Claim* claim = of_this_entry(key);
    return claim != nullptr && claim->status != Status::kHeld && claim->status != Status::kDone ? claim : nullptr;
  }

  // Whether the delivery being made holds `key` through this batch's claim, which its release
  // then gives back (as the batch's owner); forgotten here.
  bool release_held(const std::string& key) {
    Claim* claim = of_this_entry(key);
    if (claim == nullptr || claim->status != Status::kHeld) return false;
    claim->status = Status::kDone;
    return true;
  }

  // The keys to ask Redis about with the first claim of an entry's delivery: those of that
  // entry and the ones after it not answered yet. Marked asked.
  std::vector<std::string> to_ask() {
    std::vector<std::string> keys;
    for (std::size_t i = entry; i < keys_of_.size(); ++i) {
      for (const std::string& key : keys_of_[i]) {
        Claim& claim = claims_.at(key);
        if (claim.status != Status::kListed && claim.status != Status::kAsked) continue;
        claim.status = Status::kAsked;
        keys.push_back(key);
      }
    }
    return keys;
  }

  void answer(const std::string& key, DedupClaim claim, Clock::time_point at) {
    Claim& held = claims_.at(key);
    held.status = Status::kAnswered;
    held.answer = std::move(claim);
    held.at = at;
  }

  // The keys of entries from `first` to `last` (excluded) that this batch may hold unused:
  // answered "new" or asked without an answer, and not claimed by their delivery. Done with.
  std::vector<std::string> unused(std::size_t first, std::size_t last) {
    std::vector<std::string> keys;
    for (std::size_t i = first; i < last && i < keys_of_.size(); ++i) {
      for (const std::string& key : keys_of_[i]) {
        Claim& claim = claims_.at(key);
        const bool may_hold = claim.status == Status::kAsked ||
                            (claim.status == Status::kAnswered && claim.answer.state == DedupClaim::State::kNew);
        if (may_hold) keys.push_back(key);
        if (claim.status != Status::kHeld) claim.status = Status::kDone;
      }
    }
    return keys;
  }

  // The entry being delivered.
  std::size_t entry = 0;

 private:
  Claim* of_this_entry(const std::string& key) {
    const auto found = claims_.find(key);
    return found != claims_.end() && found->second.entry == entry ? &found->second : nullptr;
  }

  std::unordered_map<std::string, Claim> claims_;
  std::vector<std::vector<std::string>> keys_of_;  // by entry: the keys listed for it
  std::string owner_;
};

}  // namespace privacycall::webhook::redis::internal

#endif  // PRIVACYCALL_SRC_WEBHOOK_REDIS_BATCH_CLAIMS_HPP
