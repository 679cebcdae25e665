#include <privacycall/webhook/redis/push_queue.hpp>
#include <privacycall/webhook/store_unavailable.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <vector>

#include "support/catch.hpp"
#include "support/redis_server.hpp"

using namespace privacycall::webhook;
using namespace privacycall::webhook::redis;
using namespace std::chrono_literals;
using redis_test::connection_to;
using redis_test::eventually;
using redis_test::RedisServer;

namespace {

RedisQueueOptions queue_options(const std::string& consumer) {
  RedisQueueOptions options;
  options.consumer = consumer;
  options.claim_idle = 1s;  // short for the takeover test, long enough that a loaded
                            // machine never sees a live worker's entry as abandoned
  options.initial_backoff = 1ms;
  options.max_backoff = 10ms;
  options.max_failures = 3;
  options.poll_interval = 20ms;
  return options;
}

std::unique_ptr<RedisPushQueue> open_queue(const RedisServer& server, const std::string& consumer) {
  return RedisPushQueue::open(connection_to(server), queue_options(consumer)).value();
}

}  // namespace

TEST_CASE("redis queue: enqueue, take, acknowledge") {
  RedisServer server;
  auto queue = open_queue(server, "a");
  const std::string id = queue->enqueue({R"({"eventType":"answer"})", "n|app|1"}).value();
  CHECK(queue->stats().depth == 1);
  const auto taken = queue->take(10ms).value();
  REQUIRE(taken);
  CHECK(taken->id == id);
  CHECK(taken->push.body == R"({"eventType":"answer"})");
  CHECK(taken->push.push_key == "n|app|1");
  CHECK(taken->failures == 0);
  CHECK(queue->stats().pending == 1);
  CHECK_FALSE(queue->take(1ms).value());  // nothing else, and it is held
  CHECK(queue->ack(id).value());
  const PushQueueStats stats = queue->stats();
  CHECK(stats.depth == 0);
  CHECK(stats.pending == 0);
  CHECK(queue->wait_until_drained(1s));
}

TEST_CASE("redis queue: failures are counted, then the entry is a dead letter that can be replayed") {
  RedisServer server;
  auto queue = open_queue(server, "a");
  const std::string id = queue->enqueue({"{}", "k"}).value();
  REQUIRE(queue->take(10ms).value());
  CHECK(queue->fail(id, "boom 1").value().failures == 1);
  CHECK(queue->fail(id, "boom 2").value().failures == 2);
  const FailureOutcome last = queue->fail(id, "boom 3").value();
  CHECK(last.failures == 3);
  CHECK(last.dead_lettered);
  const PushQueueStats stats = queue->stats();
  CHECK(stats.depth == 0);
  CHECK(stats.pending == 0);
  CHECK(stats.dead_lettered == 1);

  const auto letters = queue->dead_letters().value();
  REQUIRE(letters.size() == 1);
  CHECK(letters[0].original_id == id);
  CHECK(letters[0].push.body == "{}");
  CHECK(letters[0].push.push_key == "k");
  CHECK(letters[0].error == "boom 3");
  CHECK(letters[0].failures == 3);

  const std::string replayed = queue->replay_dead_letter(letters[0].id).value();
  CHECK(queue->stats().dead_lettered == 0);
  const auto again = queue->take(10ms).value();
  REQUIRE(again);
  CHECK(again->id == replayed);
  CHECK(again->failures == 0);
  const auto missing = queue->replay_dead_letter(letters[0].id);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().category == privacycall::ErrorCategory::kValidation);
}

TEST_CASE("redis queue: a silent consumer's pending entries are taken over") {
  RedisServer server;
  auto dead = open_queue(server, "dead");
  const std::string id = dead->enqueue({"{}", ""}).value();
  REQUIRE(dead->take(10ms).value());
  dead.reset();  // killed before its acknowledgement
  auto alive = open_queue(server, "alive");
  std::optional<TakenPush> taken;
  CHECK(eventually([&] {
    taken = alive->take(5ms).value();
    return taken.has_value();
  }));
  REQUIRE(taken);
  CHECK(taken->id == id);
  CHECK(alive->ack(id).value());
  CHECK(alive->stats().pending == 0);
}

TEST_CASE("redis queue: workers deliver, retry a failed delivery, and dead-letter one that always fails") {
  RedisServer server;
  auto queue = open_queue(server, "w");
  std::mutex mutex;
  std::vector<std::string> delivered;
  std::atomic<int> flaky_calls{0};
  queue->start([&](const QueuedPush& push) {
    if (push.body == "always") throw std::runtime_error("handler always throws");
    if (push.body == "flaky" && flaky_calls.fetch_add(1) == 0) throw std::runtime_error("first attempt");
    std::lock_guard<std::mutex> lock(mutex);
    delivered.push_back(push.body);
  });
  for (const char* body : {"one", "flaky", "always", "two"}) REQUIRE(queue->enqueue({body, ""}).ok());
  CHECK(queue->wait_until_drained(10s));
  queue->stop();
  std::sort(delivered.begin(), delivered.end());
  CHECK(delivered == std::vector<std::string>{"flaky", "one", "two"});
  CHECK(flaky_calls.load() == 2);
  const auto letters = queue->dead_letters().value();
  REQUIRE(letters.size() == 1);
  CHECK(letters[0].push.body == "always");
  CHECK(letters[0].error == "handler always throws");
  CHECK(letters[0].failures == 3);
}

TEST_CASE("redis queue: a store unavailable during delivery is retried without counting a failure") {
  RedisServer server;
  auto queue = open_queue(server, "s");
  std::atomic<int> calls{0};
  queue->start([&](const QueuedPush&) {
    if (calls.fetch_add(1) < 5) {
      privacycall::Error error;
      error.message = "dedupe store down (test)";
      throw StoreUnavailable(error);
    }
  });
  REQUIRE(queue->enqueue({"{}", ""}).ok());
  CHECK(queue->wait_until_drained(10s));
  queue->stop();
  CHECK(calls.load() == 6);
  CHECK(queue->stats().dead_lettered == 0);  // max_failures is 3: the five were not counted
}

TEST_CASE("redis queue: Redis stopped refuses enqueue, and what was acknowledged survives the restart") {
  RedisServer server;
  auto queue = open_queue(server, "r");
  REQUIRE(queue->enqueue({"kept", ""}).ok());
  server.stop();
  const auto refused = queue->enqueue({"refused", ""});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().retryable);
  server.start();
  CHECK(eventually([&] { return queue->enqueue({"after", ""}).ok(); }));
  std::vector<std::string> bodies;
  while (auto taken = queue->take(5ms).value()) {
    bodies.push_back(taken->push.body);
    REQUIRE(queue->ack(taken->id).value());
  }
  CHECK(bodies == std::vector<std::string>{"kept", "after"});
}

TEST_CASE("redis queue: nonce and enqueue in one round trip") {
  RedisServer server;
  auto queue = open_queue(server, "n");
  const auto now = std::chrono::system_clock::now();
  const NonceUse use{"app\nn-1", "digest", now + 5min};
  const RememberedPush first = queue->remember_and_enqueue(use, now, {"body", "n|app|n-1"}).value();
  CHECK(first.sighting == NonceSighting::kNew);
  CHECK_FALSE(first.id.empty());
  const RememberedPush repush = queue->remember_and_enqueue(use, now, {"body", "n|app|n-1"}).value();
  CHECK(repush.sighting == NonceSighting::kSameBody);
  CHECK(repush.id.empty());
  const NonceUse replay{"app\nn-1", "other digest", now + 5min};
  CHECK(queue->remember_and_enqueue(replay, now, {"forged", ""}).value().sighting ==
        NonceSighting::kOtherBody);
  CHECK(queue->stats().depth == 1);  // only the first was queued
}
