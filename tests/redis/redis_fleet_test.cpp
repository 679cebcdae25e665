// Receivers of one fleet (in-process dispatchers) sharing one Redis: nonces, dedupe and queue.

#include <privacycall/webhook/dispatcher.hpp>
#include <privacycall/webhook/redis/dedup_store.hpp>
#include <privacycall/webhook/redis/nonce_store.hpp>
#include <privacycall/webhook/redis/push_queue.hpp>

#include <privacycall/webhook/redis/fleet.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <vector>

#include "webhook_redis/client.hpp"

#include "support/catch.hpp"
#include "support/redis_server.hpp"
#include "support/webhook_test_support.hpp"

using namespace privacycall::webhook;
using namespace privacycall::webhook::redis;
using namespace std::chrono_literals;
using redis_test::RedisServer;
using webhook_test::platform;

namespace {

std::string event_body(const std::string& session) {
  return R"({"eventType":"disconnect","statusInfo":{"sessionId":")" + session +
         R"(","timestamp":"2019-01-24 07:03:28"}})";
}

// One replica: its own dispatcher, verifier and queue workers, the fleet's Redis.
struct Replica {
  Replica(const RedisServer& server, const std::string& name, WebhookHandlers handlers,
          const std::function<void(RedisFleetOptions&)>& adjust = {}) {
    RedisFleetOptions fleet_options;
    fleet_options.connection = redis_test::connection_to(server);
    fleet_options.queue.consumer = name;
    fleet_options.queue.poll_interval = 20ms;
    fleet_options.queue.initial_backoff = 1ms;
    fleet_options.queue.max_backoff = 5ms;
    if (adjust) adjust(fleet_options);
    fleet = std::make_unique<RedisFleet>(RedisFleet::open(fleet_options).value());
    VerifierOptions verifier_options;
    fleet->configure(verifier_options);
    auto verifier = std::make_shared<WebhookVerifier>(verifier_options);
    verifier->add_app(webhook_test::kAppKey, webhook_test::kAppSecret);
    DispatcherOptions options;
    fleet->configure(options);
    options.log = fleet_options.connection.log;
    dispatcher = std::make_unique<Dispatcher>(verifier, std::move(handlers), options);
    REQUIRE(fleet->attach(*dispatcher).ok());
  }
  std::unique_ptr<RedisFleet> fleet;
  std::unique_ptr<Dispatcher> dispatcher;
};

// Calls per command since the server started (INFO commandstats), script-internal ones
// included: Redis counts the commands a script runs under their own names.
std::map<std::string, long long> command_calls(const RedisServer& server) {
  auto endpoint = privacycall::webhook::redis::internal::make_endpoint(redis_test::connection_to(server)).value();
  privacycall::webhook::redis::internal::Connection connection(endpoint);
  const std::string info =
      connection.run(privacycall::webhook::redis::internal::Command{"INFO", "commandstats"}).value().text;
  std::map<std::string, long long> calls;
  std::size_t at = 0;
  while ((at = info.find("cmdstat_", at)) != std::string::npos) {
    const std::size_t colon = info.find(':', at);
    const std::size_t count = info.find("calls=", colon) + 6;
    calls[info.substr(at + 8, colon - at - 8)] = std::stoll(info.substr(count, info.find(',', count) - count));
    at = colon;
  }
  return calls;
}

// The calls per command since `before` (a command_calls() snapshot), those that did not
// change left out.
std::map<std::string, long long> calls_since(const RedisServer& server,
                                             const std::map<std::string, long long>& before) {
  auto after = command_calls(server);
  after["info"] -= 1;  // the INFO that took this snapshot
  std::map<std::string, long long> delta;
  for (const auto& [command, calls] : after) {
    const long long change = calls - (before.count(command) ? before.at(command) : 0);
    if (change != 0) delta[command] = change;
  }
  return delta;
}

}  // namespace

TEST_CASE("fleet: a header replayed to another replica is refused there") {
  RedisServer server;
  Replica a(server, "a", {});
  Replica b(server, "b", {});
  const auto signed_headers = platform().sign(webhook_test::unique_nonce(),
                                              privacycall::format_created(std::chrono::system_clock::now()));
  WebhookRequest push;
  push.method = "POST";
  push.path = "/status";
  push.headers.add("authorization", signed_headers.authorization);
  push.headers.add("x-aksk", signed_headers.token_value);
  push.body = event_body("fleet-1");
  CHECK(a.dispatcher->handle(push).status == 200);
  WebhookRequest forged = push;
  forged.body = event_body("forged");
  CHECK(b.dispatcher->handle(forged).status == 401);
  CHECK(b.dispatcher->stats().rejected.replayed == 1);
}

TEST_CASE("fleet: re-pushes spread over replicas are delivered once in total") {
  RedisServer server;
  std::atomic<int> deliveries{0};
  WebhookHandlers handlers;
  handlers.on_call_event = [&](const CallEvent&) { deliveries.fetch_add(1); };
  Replica a(server, "a", handlers);
  Replica b(server, "b", handlers);
  Replica c(server, "c", handlers);
  const std::string body = event_body("fleet-2");
  // The platform signs each re-push anew; each lands on another replica.
  for (Replica* replica : {&a, &b, &c, &a}) {
    CHECK(replica->dispatcher->handle(webhook_test::signed_request(platform(), body)).status == 200);
  }
  CHECK(a.dispatcher->wait_until_spool_drained(10s));
  CHECK(deliveries.load() == 1);
}

TEST_CASE("fleet: Redis down answers 503, never 200, and nothing answered 200 is lost") {
  RedisServer server;
  std::atomic<int> deliveries{0};
  WebhookHandlers handlers;
  handlers.on_call_event = [&](const CallEvent&) { deliveries.fetch_add(1); };
  Replica a(server, "a", handlers);
  a.dispatcher->stop();  // the queue keeps what is answered 200 until workers run again
  CHECK(a.dispatcher->handle(webhook_test::signed_request(platform(), event_body("before"))).status == 200);
  server.stop();
  CHECK(a.dispatcher->handle(webhook_test::signed_request(platform(), event_body("during"))).status == 503);
  server.start();
  CHECK(redis_test::eventually([&] {
    return a.dispatcher->handle(webhook_test::signed_request(platform(), event_body("after"))).status == 200;
  }));
  Replica b(server, "b", handlers);  // its workers deliver what is queued
  CHECK(b.dispatcher->wait_until_spool_drained(10s));
  CHECK(deliveries.load() == 2);  // "before" and "after"; "during" was never accepted
}

TEST_CASE("fleet: the 200 path of a Notify push is one round trip to Redis") {
  RedisServer server;
  Replica a(server, "a", {});
  a.dispatcher->stop();  // no worker polls meanwhile: every command counted is the 200 path's
  // The first push loads the script into Redis (EVALSHA answered NOSCRIPT, then EVAL).
  REQUIRE(a.dispatcher->handle(webhook_test::signed_request(platform(), event_body("warm"))).status == 200);
  const auto before = command_calls(server);
  constexpr long long kPushes = 20;
  for (long long i = 0; i < kPushes; ++i) {
    REQUIRE(a.dispatcher->handle(webhook_test::signed_request(platform(), event_body("p" + std::to_string(i))))
                .status == 200);
  }
  const std::map<std::string, long long> per_command = calls_since(server, before);
  // One script per push (its SET NX and XADD run inside it), and no other command.
  const std::map<std::string, long long> expected{{"evalsha", kPushes}, {"set", kPushes}, {"xadd", kPushes}};
  CHECK(per_command == expected);
}

TEST_CASE("fleet: delivering a batch costs its dedupe claims plus about two round trips") {
  RedisServer server;
  std::atomic<long long> deliveries{0};
  WebhookHandlers handlers;
  handlers.on_call_event = [&](const CallEvent&) { deliveries.fetch_add(1); };
  Replica producer(server, "producer", handlers);
  producer.dispatcher->stop();  // it only queues
  constexpr long long kPushes = 64;  // two full reads of 32
  for (long long i = 0; i < kPushes; ++i) {
    REQUIRE(producer.dispatcher->handle(webhook_test::signed_request(platform(), event_body("b" + std::to_string(i))))
                .status == 200);
  }
  const auto before = command_calls(server);
  Replica worker(server, "worker", handlers, [](RedisFleetOptions& options) {
    options.queue.workers = 1;
    options.queue.poll_interval = 500ms;  // few idle polls once drained
  });
  REQUIRE(worker.dispatcher->wait_until_spool_drained(30s));
  std::map<std::string, long long> calls = calls_since(server, before);
  CHECK(deliveries.load() == kPushes);
  // Per push: one dedupe claim script (its SET NX). The commit is written by the ack script
  // (PSETEX), not sent on its own; a fresh entry has no failure count to read.
  CHECK(calls["set"] == kPushes);
  CHECK(calls["psetex"] == kPushes);
  CHECK(calls["hget"] + calls["hmget"] == 0);
  // Per read of up to 32: one XREADGROUP, pipelined with the ack script of the batch before.
  CHECK(calls["xack"] <= 3);
  CHECK(calls["xreadgroup"] <= 5);
  CHECK(calls["xautoclaim"] <= 3);
  // Commands sent (pipelined ones counted apart, so more than the round trips): the claims,
  // and a few per batch. Per-push acknowledgements or reads would be twice this.
  const long long sent = calls["evalsha"] + calls["eval"] + calls["xreadgroup"] + calls["xautoclaim"] +
                          calls["xclaim"] + calls["hget"] + calls["hmget"];
  CHECK(sent <= kPushes + 14);
}

TEST_CASE("fleet: a replica that stops hands back what it read, and another delivers it at once") {
  RedisServer server;
  std::mutex mutex;
  std::condition_variable changed;
  bool a_delivering = false, a_stopping = false;
  std::vector<std::string> by_a, by_b;
  const auto record = [&](std::vector<std::string>& into, const CallEvent& event) {
    into.push_back(event.session_id.value_or(""));
    changed.notify_all();
  };
  // claim_idle 60 s: without the hand back, nothing would be taken over within the test.
  const auto slow_takeover = [](RedisFleetOptions& options) {
    options.queue.claim_idle = 60s;
    options.queue.workers = 1;
  };
  Replica producer(server, "producer", {}, slow_takeover);
  producer.dispatcher->stop();  // it only queues
  for (int i = 0; i < 5; ++i) {
    REQUIRE(producer.dispatcher->handle(webhook_test::signed_request(platform(), event_body("held-" + std::to_string(i))))
                .status == 200);
  }
  WebhookHandlers a_handlers;
  a_handlers.on_call_event = [&](const CallEvent& event) {
    std::unique_lock<std::mutex> lock(mutex);
    a_delivering = true;
    changed.notify_all();
    changed.wait(lock, [&] { return a_stopping; });  // still delivering when stop() is called
    record(by_a, event);
  };
  Replica a(server, "a", a_handlers, [&](RedisFleetOptions& options) {
    slow_takeover(options);
    options.connection.log = [&](privacycall::LogLevel, std::string_view message) {
      if (message.find("stopping the queue workers") == std::string_view::npos) return;
      std::lock_guard<std::mutex> lock(mutex);
      a_stopping = true;
      changed.notify_all();
    };
  });
  {
    std::unique_lock<std::mutex> lock(mutex);  // a read all five, and delivers the first
    REQUIRE(changed.wait_for(lock, 30s, [&] { return a_delivering; }));
  }
  WebhookHandlers b_handlers;
  b_handlers.on_call_event = [&](const CallEvent& event) {
    std::lock_guard<std::mutex> lock(mutex);
    record(by_b, event);
  };
  Replica b(server, "b", b_handlers, slow_takeover);
  std::thread stopping([&] { a.dispatcher->stop(); });
  {
    std::unique_lock<std::mutex> lock(mutex);
    CHECK(changed.wait_for(lock, 20s, [&] { return by_b.size() == 4; }));
  }
  stopping.join();
  CHECK(b.dispatcher->wait_until_spool_drained(10s));  // a acknowledged the one it delivered
  std::lock_guard<std::mutex> lock(mutex);
  CHECK(by_a.size() == 1);  // the delivery it was in was finished, not abandoned
  std::vector<std::string> all = by_b;
  all.insert(all.end(), by_a.begin(), by_a.end());
  std::sort(all.begin(), all.end());
  CHECK(all == std::vector<std::string>{"held-0", "held-1", "held-2", "held-3", "held-4"});
}

TEST_CASE("fleet: a handler that always throws ends in the dead-letter stream, and replays from it") {
  RedisServer server;
  std::atomic<int> attempts{0};
  std::atomic<bool> fixed{false};
  std::atomic<int> delivered{0};
  WebhookHandlers handlers;
  handlers.on_call_event = [&](const CallEvent&) {
    if (!fixed) {
      attempts.fetch_add(1);
      throw std::runtime_error("the handler's database is down");
    }
    delivered.fetch_add(1);
  };
  const auto three_failures = [](RedisFleetOptions& options) { options.queue.max_failures = 3; };
  Replica a(server, "a", handlers, three_failures);
  Replica b(server, "b", handlers, three_failures);
  REQUIRE(a.dispatcher->handle(webhook_test::signed_request(platform(), event_body("doomed"))).status == 200);
  std::vector<DeadLetter> letters;
  REQUIRE(redis_test::eventually([&] {
    letters = a.fleet->queue()->dead_letters().value();
    return !letters.empty();
  }));
  REQUIRE(letters.size() == 1);
  CHECK(letters[0].failures == 3);
  CHECK(letters[0].error == "the handler's database is down");
  CHECK(letters[0].push.body == event_body("doomed"));
  CHECK(attempts.load() == 3);
  CHECK(a.dispatcher->wait_until_spool_drained(10s));  // out of the queue: not retried forever
  CHECK(a.fleet->queue()->stats().dead_lettered == 1);

  fixed = true;
  REQUIRE(b.fleet->queue()->replay_dead_letter(letters[0].id).ok());
  CHECK(redis_test::eventually([&] { return delivered.load() == 1; }));
  CHECK(a.fleet->queue()->dead_letters().value().empty());
}

TEST_CASE("fleet: a Block push whose dedupe store is unreachable is answered 503, counted unavailable_503") {
  RedisServer server;
  DispatcherOptions options;
  options.dedup_store = RedisDedupStore::open(redis_test::connection_to(server)).value();
  options.log = [](privacycall::LogLevel, std::string_view) {};
  server.stop();
  auto verifier = std::make_shared<WebhookVerifier>(VerifierOptions{});  // nonces in memory: they answer
  verifier->add_app(webhook_test::kAppKey, webhook_test::kAppSecret);
  int calls = 0;
  WebhookHandlers handlers;
  handlers.on_x_mode_callin = [&](const CallEvent&) {
    ++calls;
    return XModeAnswer::close();
  };
  Dispatcher dispatcher(verifier, handlers, options);
  const std::string callin =
      R"({"eventType":"callin","statusInfo":{"sessionId":"block-1","timestamp":"2019-01-24 07:02:50","caller":"+8613800000022","called":"+8617000000001","notifyMode":"Block"}})";
  CHECK(dispatcher.handle(webhook_test::signed_request(platform(), callin)).status == 503);
  CHECK(calls == 0);  // whether it was answered before cannot be known: not answered again
  const DispatcherStats stats = dispatcher.stats();
  CHECK(stats.pushes(PushKind::kXModeCallin, PushOutcome::kUnavailable) == 1);
  CHECK(stats.pushes.total(PushOutcome::kFailed) == 0);
  CHECK(stats.rejected.store_unavailable == 1);
}

TEST_CASE("fleet: reachable() follows Redis") {
  RedisServer server;
  Replica a(server, "a", {});
  CHECK(a.fleet->reachable());
  server.stop();
  CHECK_FALSE(a.fleet->reachable());
  server.start();
  CHECK(redis_test::eventually([&] { return a.fleet->reachable(); }));
}
