#include <privacycall/webhook/dedup_store.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "support/catch.hpp"

using namespace privacycall::webhook;
using State = DedupClaim::State;

namespace {

MemoryDedupOptions holding_at_most(std::size_t max_entries) {
  MemoryDedupOptions options;
  options.max_entries = max_entries;
  return options;
}

}  // namespace

TEST_CASE("claim, commit, release") {
  MemoryDedupStore store;
  CHECK(store.claim("a").state == State::kNew);
  CHECK(store.claim("a").state == State::kInProgress);
  store.release("a");
  CHECK(store.claim("a").state == State::kNew);
  store.commit("a", "answer-a");
  const DedupClaim seen = store.claim("a");
  CHECK(seen.state == State::kSeen);
  CHECK(seen.answer == "answer-a");
  // Releasing a committed key does not forget it.
  store.release("a");
  CHECK(store.claim("a").state == State::kSeen);
}

TEST_CASE("committed keys expire after the TTL (default covers the re-push schedule)") {
  CHECK(MemoryDedupOptions{}.ttl >= std::chrono::hours(10) + std::chrono::minutes(23));
  auto now = std::make_shared<std::chrono::system_clock::time_point>(std::chrono::system_clock::now());
  MemoryDedupOptions options;
  options.ttl = std::chrono::hours(12);
  options.clock = [now] { return *now; };
  MemoryDedupStore store(options);
  store.claim("k");
  store.commit("k");
  *now += std::chrono::hours(11);
  CHECK(store.claim("k").state == State::kSeen);
  *now += std::chrono::hours(2);
  CHECK(store.claim("k").state == State::kNew);
}

TEST_CASE("memory is bounded: the oldest committed keys go first, claims stay") {
  MemoryDedupStore store(holding_at_most(5));
  CHECK(store.claim("held").state == State::kNew);
  for (int i = 0; i < 20; ++i) {
    const std::string key = "k" + std::to_string(i);
    store.claim(key);
    store.commit(key);
  }
  CHECK(store.size() <= 6);  // 5 committed + the open claim
  CHECK(store.claim("k19").state == State::kSeen);
  CHECK(store.claim("k0").state == State::kNew);
  CHECK(store.claim("held").state == State::kInProgress);
}

TEST_CASE("committing a key again keeps its new answer and makes it the newest") {
  MemoryDedupStore store(holding_at_most(3));
  store.commit("a", "first");
  store.commit("b");
  store.commit("c");
  store.commit("a", "second");  // "b" is now the oldest
  CHECK(store.claim("a").answer == "second");
  store.commit("d");  // the bound drops "b", not "a"
  CHECK(store.claim("b").state == State::kNew);
  CHECK(store.claim("a").state == State::kSeen);
  CHECK(store.claim("c").state == State::kSeen);
  CHECK(store.claim("d").state == State::kSeen);
}

TEST_CASE("committing one key again and again keeps memory bounded") {
  MemoryDedupStore store(holding_at_most(10));
  for (int i = 0; i < 10; ++i) store.commit("k" + std::to_string(i));
  for (int i = 0; i < 100000; ++i) store.commit("k3", std::to_string(i));
  CHECK(store.size() == 10);
  CHECK(store.claim("k3").answer == "99999");
  for (int i = 0; i < 10; ++i) CHECK(store.claim("k" + std::to_string(i)).state == State::kSeen);
}

TEST_CASE("keys longer than the store keeps inline are compared whole") {
  MemoryDedupStore store;
  const std::string key = "f|" + std::string(300, 's') + "|" + std::string(100, 'i');
  std::string other = key;
  other.back() = 'j';  // differs only in its last byte
  CHECK(store.claim(key).state == State::kNew);
  store.commit(key, "long");
  CHECK(store.claim(other).state == State::kNew);
  const DedupClaim seen = store.claim(key);
  CHECK(seen.state == State::kSeen);
  CHECK(seen.answer == "long");
}

TEST_CASE("concurrent claims of one key: exactly one owner") {
  MemoryDedupStore store;
  std::atomic<int> owners{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        if (store.claim("key" + std::to_string(i)).state == State::kNew) owners.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(owners.load() == 500);
}

TEST_CASE("a large store is sharded and still bounded, oldest forgotten first within a shard") {
  MemoryDedupStore store(holding_at_most(16384));  // the sharding threshold: 16 shards of 1024
  for (int i = 0; i < 50000; ++i) {
    const std::string key = "cdr-" + std::to_string(i);
    REQUIRE(store.claim(key).state == State::kNew);
    store.commit(key);
  }
  CHECK(store.size() <= 16384);
  CHECK(store.size() > 16384 - 16 * 64);  // every shard is (nearly) full, none over its share
  for (int i = 49000; i < 50000; ++i) {
    CHECK(store.claim("cdr-" + std::to_string(i)).state == State::kSeen);
  }
  CHECK(store.claim("cdr-0").state == State::kNew);
}
