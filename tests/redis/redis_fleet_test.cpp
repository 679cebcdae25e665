// Receivers of one fleet (in-process dispatchers) sharing one Redis: nonces, dedupe and queue.

#include <privacycall/webhook/dispatcher.hpp>
#include <privacycall/webhook/redis/dedup_store.hpp>
#include <privacycall/webhook/redis/nonce_store.hpp>
#include <privacycall/webhook/redis/push_queue.hpp>

#include <atomic>
#include <memory>

#include "support/catch.hpp"
#include "support/redis_server.hpp"
#include "support/webhook_test_support.hpp"

using namespace privacycall::webhook;
using namespace privacycall::webhook::redis;
using namespace std::chrono_literals;
using redis_test::RedisServer;

namespace {

const privacycall::Signer& platform() {
  static const privacycall::Signer signer(webhook_test::kAppKey, webhook_test::kAppSecret);
  return signer;
}

std::string event_body(const std::string& session) {
  return R"({"eventType":"disconnect","statusInfo":{"sessionId":")" + session +
         R"(","timestamp":"2019-01-24 07:03:28"}})";
}

// One replica: its own dispatcher, verifier and queue workers, the fleet's Redis.
struct Replica {
  Replica(const RedisServer& server, const std::string& name, WebhookHandlers handlers) {
    const RedisConnectionOptions connection = redis_test::connection_to(server);
    VerifierOptions verifier_options;
    verifier_options.nonce_store = RedisNonceStore::open(connection).value();
    auto verifier = std::make_shared<WebhookVerifier>(verifier_options);
    verifier->add_app(webhook_test::kAppKey, webhook_test::kAppSecret);
    DispatcherOptions options;
    options.dedup_store = RedisDedupStore::open(connection).value();
    options.log = connection.log;
    dispatcher = std::make_unique<Dispatcher>(verifier, std::move(handlers), options);
    RedisQueueOptions queue;
    queue.consumer = name;
    queue.poll_interval = 20ms;
    queue.initial_backoff = 1ms;
    REQUIRE(dispatcher->use_queue(RedisPushQueue::open(connection, queue).value()).ok());
  }
  std::unique_ptr<Dispatcher> dispatcher;
};

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
