#include <privacycall/webhook/redis/dedup_store.hpp>
#include <privacycall/webhook/redis/nonce_store.hpp>
#include <privacycall/webhook/server.hpp>
#include <privacycall/webhook/store_unavailable.hpp>

#include "support/catch.hpp"
#include "support/redis_server.hpp"
#include "webhook_redis/client.hpp"

using namespace privacycall::webhook;
using namespace privacycall::webhook::redis;
using namespace std::chrono_literals;
using redis_test::connection_to;
using redis_test::eventually;
using redis_test::RedisServer;

namespace {

NonceUse use(const std::string& key, const std::string& digest) {
  return NonceUse{key, digest, std::chrono::system_clock::now() + 5min};
}

}  // namespace

TEST_CASE("redis nonces: a nonce one store saw is known to every other") {
  RedisServer server;
  auto first = RedisNonceStore::open(connection_to(server)).value();
  auto second = RedisNonceStore::open(connection_to(server)).value();
  const auto now = std::chrono::system_clock::now();
  CHECK(first->remember(use("app\nn-1", "digest-a"), now).value() == NonceSighting::kNew);
  CHECK(second->remember(use("app\nn-1", "digest-a"), now).value() == NonceSighting::kSameBody);
  CHECK(second->remember(use("app\nn-1", "digest-b"), now).value() == NonceSighting::kOtherBody);
  // Without a body nothing can match, not even another use without a body.
  CHECK(first->remember(use("app\nn-2", ""), now).value() == NonceSighting::kNew);
  CHECK(second->remember(use("app\nn-2", ""), now).value() == NonceSighting::kOtherBody);
  // Nonces are per app.
  CHECK(second->remember(use("other-app\nn-1", "digest-b"), now).value() == NonceSighting::kNew);
}

TEST_CASE("redis nonces: a nonce is forgotten when its token expires") {
  RedisServer server;
  auto store = RedisNonceStore::open(connection_to(server)).value();
  const auto now = std::chrono::system_clock::now();
  CHECK(store->remember({"app\nshort", "d", now + 30ms}, now).value() == NonceSighting::kNew);
  CHECK(eventually([&] {
    const auto later = std::chrono::system_clock::now();
    return store->remember({"app\nshort", "other", later + 30ms}, later).value() == NonceSighting::kNew;
  }));
}

TEST_CASE("redis dedupe: claim, commit and release across stores") {
  RedisServer server;
  auto mine = RedisDedupStore::open(connection_to(server)).value();
  auto other = RedisDedupStore::open(connection_to(server)).value();

  CHECK(mine->claim("e|s-1").state == DedupClaim::State::kNew);
  CHECK(other->claim("e|s-1").state == DedupClaim::State::kInProgress);
  other->release("e|s-1");  // not its claim: nothing happens
  CHECK(other->claim("e|s-1").state == DedupClaim::State::kInProgress);
  mine->release("e|s-1");
  CHECK(other->claim("e|s-1").state == DedupClaim::State::kNew);
  other->commit("e|s-1", R"({"operation":"close"})");
  const DedupClaim seen = mine->claim("e|s-1");
  CHECK(seen.state == DedupClaim::State::kSeen);
  CHECK(seen.answer == R"({"operation":"close"})");
  mine->release("e|s-1");  // a handled key is not a claim: it stays
  CHECK(mine->claim("e|s-1").state == DedupClaim::State::kSeen);
  // An empty answer is an answer too.
  CHECK(mine->claim("f|s-2").state == DedupClaim::State::kNew);
  mine->commit("f|s-2");
  const DedupClaim empty = other->claim("f|s-2");
  CHECK(empty.state == DedupClaim::State::kSeen);
  CHECK(empty.answer.empty());
}

TEST_CASE("redis dedupe: a crashed owner's claim expires with its lease") {
  RedisServer server;
  RedisDedupOptions short_lease;
  // Long enough that the "in progress" check below runs within it on a loaded machine (50 ms
  // was not, under the sanitizers), short enough for the test to wait it out.
  short_lease.lease = 2s;
  auto crashed = RedisDedupStore::open(connection_to(server), short_lease).value();
  auto other = RedisDedupStore::open(connection_to(server)).value();
  CHECK(crashed->claim("e|lease").state == DedupClaim::State::kNew);
  crashed.reset();  // never commits nor releases
  CHECK(other->claim("e|lease").state == DedupClaim::State::kInProgress);
  CHECK(eventually([&] { return other->claim("e|lease").state == DedupClaim::State::kNew; }));
}

TEST_CASE("redis stores: Redis stopped is a typed error, and they work again when it is back") {
  RedisServer server;
  auto nonces = RedisNonceStore::open(connection_to(server)).value();
  auto dedupe = RedisDedupStore::open(connection_to(server)).value();
  const auto now = std::chrono::system_clock::now();
  CHECK(nonces->remember(use("app\nbefore", "d"), now).value() == NonceSighting::kNew);
  dedupe->commit("e|before");

  server.stop();
  const auto down = nonces->remember(use("app\nduring", "d"), now);
  REQUIRE_FALSE(down.ok());
  CHECK(down.error().retryable);
  CHECK((down.error().category == privacycall::ErrorCategory::kTransport ||
         down.error().category == privacycall::ErrorCategory::kTimeout));
  CHECK(down.error().message.find(server.url().substr(8)) != std::string::npos);
  CHECK_THROWS_AS(dedupe->claim("e|during"), StoreUnavailable);
  dedupe->release("e|during");  // only logs

  server.start();
  CHECK(eventually([&] { return nonces->remember(use("app\nafter", "d"), now).ok(); }));
  // What was acknowledged before the stop is still there (append-only file).
  CHECK(nonces->remember(use("app\nbefore", "d"), now).value() == NonceSighting::kSameBody);
  CHECK(eventually([&] {
    try {
      return dedupe->claim("e|before").state == DedupClaim::State::kSeen;
    } catch (const StoreUnavailable&) {
      return false;
    }
  }));
}

TEST_CASE("redis connection: every call is bounded by the command timeout, also right after a longer blocking read") {
  RedisServer server;
  RedisConnectionOptions options = connection_to(server);
  options.command_timeout = 100ms;
  options.connect_timeout = 3000ms;  // what the socket is bounded by while connecting
  auto endpoint = internal::make_endpoint(options).value();
  internal::Connection connection(endpoint);
  REQUIRE(connection.run(internal::Command{"PING"}).value().text == "PONG");
  // A blocking read gets the command timeout plus its own wait...
  const auto read = connection.run(internal::Command{"XREAD", "BLOCK", "20", "STREAMS", "no-stream", "$"}, 3000ms);
  REQUIRE(read.ok());
  CHECK(read->is_nil());

  // ...and the next call is bounded by the command timeout alone again.
  server.pause();
  const auto start = std::chrono::steady_clock::now();
  const auto frozen = connection.run(internal::Command{"PING"});
  const auto waited = std::chrono::steady_clock::now() - start;
  server.resume();
  REQUIRE_FALSE(frozen.ok());
  CHECK(frozen.error().category == privacycall::ErrorCategory::kTimeout);
  CHECK(waited >= 100ms);
  CHECK(waited < 1500ms);  // not the connection's 3000 ms nor the blocking read's 3100 ms

  // The connection with a late reply pending was dropped; the next call opens a fresh one.
  CHECK(eventually([&] {
    const auto pong = connection.run(internal::Command{"PING"});
    return pong.ok() && pong->text == "PONG";
  }));
}

TEST_CASE("redis connection: by default a store opens as many connections as a receiver has server threads") {
  // Each server thread makes one round trip per push before it answers; with fewer
  // connections, pushes queue for one (measured: a third of the fleet's throughput lost).
  CHECK(RedisConnectionOptions{}.max_connections >= WebhookServerOptions{}.threads);
}
