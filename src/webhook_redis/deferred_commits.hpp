#ifndef PRIVACYCALL_SRC_WEBHOOK_REDIS_DEFERRED_COMMITS_HPP
#define PRIVACYCALL_SRC_WEBHOOK_REDIS_DEFERRED_COMMITS_HPP

// Dedupe commits that a queue worker's delivery defers to the entry's acknowledgement, so that
// one script writes both (one round trip instead of two): RedisDedupStore::commit() called
// during the delivery, on a store of the worker's keyspace, records the commit here instead of
// sending it (see ThreadScoped). The same script gives back the claims the worker's batch made
// ahead for keys its deliveries did not use (BatchClaims).
//
// Until the acknowledgement the key keeps the delivery's claim (a lease), so a re-push meeting
// it meanwhile is told "in progress", never "new": deferring adds no duplicate.

#include "webhook_redis/thread_scope.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace privacycall::webhook::redis::internal {

class DeferredCommits : public ThreadScoped<DeferredCommits> {
 public:
  struct Commit {
    std::string key;    // the dedupe key, prefixed
    std::string value;  // what the key holds once committed ("c:<answer>")
    std::chrono::milliseconds ttl{0};
  };
  // A claim to delete while the key still holds it.
  struct GiveBack {
    std::string key;    // the dedupe key, prefixed
    std::string owner;  // what the key holds while claimed ("p:<owner>")
  };

  using ThreadScoped::ThreadScoped;

  bool empty() const { return commits.empty() && give_backs.empty(); }
  void clear() {
    commits.clear();
    give_backs.clear();
  }

  std::vector<Commit> commits;
  std::vector<GiveBack> give_backs;
};

}  // namespace privacycall::webhook::redis::internal

#endif  // PRIVACYCALL_SRC_WEBHOOK_REDIS_DEFERRED_COMMITS_HPP
