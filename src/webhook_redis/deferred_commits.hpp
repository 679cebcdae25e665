#ifndef PRIVACYCALL_SRC_WEBHOOK_REDIS_DEFERRED_COMMITS_HPP
#define PRIVACYCALL_SRC_WEBHOOK_REDIS_DEFERRED_COMMITS_HPP

// Dedupe commits that a queue worker's delivery defers to the entry's acknowledgement, so that
// one script writes both (one round trip instead of two). The Dispatcher commits through the
// DedupStore interface, which knows nothing of queues; the worker therefore opens a scope on
// its own thread around each delivery, and RedisDedupStore::commit() called inside it on the
// same keyspace records the commit here instead of sending it.
//
// Until the acknowledgement the key keeps the delivery's claim (a lease), so a re-push meeting
// it meanwhile is told "in progress", never "new": deferring adds no duplicate.

#include <chrono>
#include <string>
#include <vector>

namespace privacycall::webhook::redis::internal {

class DeferredCommits {
 public:
  struct Commit {
    std::string key;    // the dedupe key, prefixed
    std::string value;  // what the key holds once committed ("c:<answer>")
    std::chrono::milliseconds ttl{0};
  };

  explicit DeferredCommits(std::string keyspace) : keyspace_(std::move(keyspace)) {}

  // The deferral open on this thread for a store of `keyspace`; nullptr when there is none
  // (the store commits at once).
  static DeferredCommits* on_this_thread(const std::string& keyspace) {
    DeferredCommits* open = current();
    return open != nullptr && open->keyspace_ == keyspace ? open : nullptr;
  }

  // Defers the commits of this thread to `commits` while it lives.
  class Scope {
   public:
    explicit Scope(DeferredCommits& commits) : previous_(current()) { current() = &commits; }
    ~Scope() { current() = previous_; }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    DeferredCommits* previous_;
  };

  std::vector<Commit> commits;

 private:
  static DeferredCommits*& current() {
    thread_local DeferredCommits* open = nullptr;
    return open;
  }

  std::string keyspace_;
};

}  // namespace privacycall::webhook::redis::internal

#endif  // PRIVACYCALL_SRC_WEBHOOK_REDIS_DEFERRED_COMMITS_HPP
