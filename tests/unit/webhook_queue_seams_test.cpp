// The seams a fleet of receivers fills with shared stores: NonceStore, DedupStore failures
// (StoreUnavailable) and PushQueue, each with the single-process default beside it.

#include <privacycall/webhook/dispatcher.hpp>
#include <privacycall/webhook/metrics.hpp>
#include <privacycall/webhook/store_unavailable.hpp>

#include <deque>
#include <mutex>
#include <stdexcept>

#include "support/catch.hpp"
#include "support/webhook_test_support.hpp"
#include "webhook/spool_push_queue.hpp"

using namespace privacycall::webhook;
using webhook_test::platform;
using privacycall::Error;
using privacycall::ErrorCategory;
using privacycall::Result;

namespace {

std::shared_ptr<WebhookVerifier> verifier_on(std::shared_ptr<NonceStore> store) {
  VerifierOptions options;
  options.nonce_store = std::move(store);
  auto verifier = std::make_shared<WebhookVerifier>(options);
  verifier->add_app(webhook_test::kAppKey, webhook_test::kAppSecret);
  return verifier;
}

Error unreachable() {
  Error error;
  error.category = ErrorCategory::kTransport;
  error.message = "store unreachable (test)";
  error.retryable = true;
  return error;
}

struct UnreachableNonceStore final : NonceStore {
  Result<NonceSighting> remember(const NonceUse&, std::chrono::system_clock::time_point) override {
    return unreachable();
  }
};

struct UnreachableDedupStore final : DedupStore {
  DedupClaim claim(std::string_view) override { throw StoreUnavailable(unreachable()); }
  void commit(std::string_view, std::string_view) override { throw StoreUnavailable(unreachable()); }
  void release(std::string_view) override {}
};

// A queue the test drains by hand: what was enqueued, and the dispatcher's delivery function.
struct ManualQueue final : PushQueue {
  std::mutex mutex;
  std::deque<QueuedPush> entries;
  Deliver deliver;
  bool refuse = false;

  Result<std::string> enqueue(const QueuedPush& push) override {
    std::lock_guard<std::mutex> lock(mutex);
    if (refuse) return unreachable();
    entries.push_back(push);
    return std::to_string(entries.size());
  }
  void start(Deliver d) override { deliver = std::move(d); }
  void stop() override {}
  bool wait_until_drained(std::chrono::milliseconds) override { return entries.empty(); }
  PushQueueStats stats() const override {
    PushQueueStats s;
    s.depth = entries.size();
    return s;
  }
  void drain() {
    for (; !entries.empty(); entries.pop_front()) deliver(entries.front());
  }
};

WebhookRequest push_with_nonce(const std::string& nonce, std::string body) {
  const auto h = platform().sign(nonce, privacycall::format_created(std::chrono::system_clock::now()));
  WebhookRequest request;
  request.method = "POST";
  request.path = "/status";
  request.headers.add("authorization", h.authorization);
  request.headers.add("x-aksk", h.token_value);
  request.body = std::move(body);
  return request;
}

constexpr const char* kStatusBody =
    R"({"eventType":"numStatus","numInfo":[{"number":"+8617000000001","status":"9"}]})";

std::string event_body(const std::string& session) {
  return R"({"eventType":"answer","statusInfo":{"sessionId":")" + session +
         R"(","timestamp":"2019-01-24 07:03:28"}})";
}

}  // namespace

TEST_CASE("verifiers sharing one NonceStore refuse a header replayed to the other") {
  auto shared = std::make_shared<MemoryNonceStore>(100);
  auto first = verifier_on(shared);
  auto second = verifier_on(shared);
  const std::string nonce = webhook_test::unique_nonce();
  const WebhookRequest push = push_with_nonce(nonce, event_body("ns-1"));
  CHECK(first->verify(push.headers, push.body).ok);
  const Verification repush = second->verify(push.headers, push.body);
  CHECK(repush.ok);
  CHECK(repush.repush);
  const Verification replay = second->verify(push.headers, event_body("ns-other"));
  CHECK_FALSE(replay.ok);
  CHECK(replay.failure == privacycall::VerifyFailure::kReplayed);
  CHECK(shared->size() == 1);
  CHECK(first->remembered_nonces() == 0);  // the memory is the store's, not the verifier's
}

TEST_CASE("an unreachable NonceStore gets 503, never a refusal or a 200") {
  auto verifier = verifier_on(std::make_shared<UnreachableNonceStore>());
  const WebhookRequest push = push_with_nonce(webhook_test::unique_nonce(), event_body("ns-2"));
  const Verification verification = verifier->verify(push.headers, push.body);
  CHECK_FALSE(verification.ok);
  CHECK(verification.nonce_store_unavailable);
  CHECK(verification.http_status == 503);
  CHECK(verifier->stats().nonce_store_failures == 1);
  CHECK(verifier->stats().refused.replayed == 0);

  int calls = 0;
  WebhookHandlers handlers;
  handlers.on_call_event = [&](const CallEvent&) { ++calls; };
  Dispatcher dispatcher(verifier, handlers);
  CHECK(dispatcher.handle(push).status == 503);
  CHECK(calls == 0);
  CHECK(dispatcher.stats().rejected.store_unavailable == 1);
}

TEST_CASE("a DedupStore throwing StoreUnavailable gets 503 for Notify and Block pushes") {
  DispatcherOptions options;
  options.dedup_store = std::make_shared<UnreachableDedupStore>();
  options.log = [](privacycall::LogLevel, std::string_view) {};
  int calls = 0;
  WebhookHandlers handlers;
  handlers.on_call_event = [&](const CallEvent&) { ++calls; };
  handlers.on_x_mode_callin = [&](const CallEvent&) {
    ++calls;
    return XModeAnswer::close();
  };
  Dispatcher dispatcher(verifier_on(nullptr), handlers, options);
  CHECK(dispatcher.handle(webhook_test::signed_request(platform(), event_body("du-1"))).status == 503);
  const std::string block =
      R"({"eventType":"callin","statusInfo":{"sessionId":"du-2","timestamp":"2019-01-24 07:02:50","caller":"+8613800000022","called":"+8617000000001","notifyMode":"Block"}})";
  CHECK(dispatcher.handle(webhook_test::signed_request(platform(), block)).status == 503);
  CHECK(calls == 0);
  CHECK(dispatcher.stats().rejected.store_unavailable == 2);
}

TEST_CASE("a Block push whose DedupStore is unreachable counts as unavailable_503, not failed") {
  DispatcherOptions options;
  options.dedup_store = std::make_shared<UnreachableDedupStore>();
  options.log = [](privacycall::LogLevel, std::string_view) {};
  WebhookHandlers handlers;
  handlers.on_x_mode_callin = [](const CallEvent&) { return XModeAnswer::close(); };
  handlers.on_sms_block = [](const SmsNotification&) { return SmsBlockAnswer::discard(); };
  Dispatcher dispatcher(verifier_on(nullptr), handlers, options);
  const std::string callin =
      R"({"eventType":"callin","statusInfo":{"sessionId":"du-3","timestamp":"2019-01-24 07:02:50","caller":"+8613800000022","called":"+8617000000001","notifyMode":"Block"}})";
  const std::string sms = R"({"appKey":"k","smsEvent":{"smsIdentifier":"du-4","notificationMode":"Block"}})";
  CHECK(dispatcher.handle(webhook_test::signed_request(platform(), callin)).status == 503);
  CHECK(dispatcher.handle(webhook_test::signed_request(platform(), sms)).status == 503);
  const DispatcherStats stats = dispatcher.stats();
  CHECK(stats.pushes(PushKind::kXModeCallin, PushOutcome::kUnavailable) == 1);
  CHECK(stats.pushes(PushKind::kSmsBlock, PushOutcome::kUnavailable) == 1);
  CHECK(stats.pushes.total(PushOutcome::kFailed) == 0);
  CHECK(stats.rejected.store_unavailable == 2);
  const std::string text = metrics_text(stats);
  CHECK(text.find(R"(privacycall_webhook_pushes_total{kind="x_mode_callin",outcome="unavailable_503"} 1)") !=
        std::string::npos);
  CHECK(text.find(R"(privacycall_webhook_pushes_total{kind="x_mode_callin",outcome="failed"} 0)") !=
        std::string::npos);
}

TEST_CASE("with use_queue, a Notify push is queued before the 200 and delivered by the queue") {
  auto queue = std::make_shared<ManualQueue>();
  int statuses = 0;
  WebhookHandlers handlers;
  handlers.on_number_status = [&](const NumberStatusNotification&) { ++statuses; };
  Dispatcher dispatcher(verifier_on(nullptr), handlers);
  REQUIRE(dispatcher.use_queue(queue).value() == 0);
  CHECK(dispatcher.queue() == queue);
  CHECK_FALSE(dispatcher.use_queue(queue));  // one queue per dispatcher

  // The re-push with the original header is queued too; the push key it carries lets the
  // delivery recognise it (a number-status push has no id of its own).
  const WebhookRequest push = push_with_nonce(webhook_test::unique_nonce(), kStatusBody);
  CHECK(dispatcher.handle(push).status == 200);
  CHECK(dispatcher.handle(push).status == 200);
  REQUIRE(queue->entries.size() == 2);
  CHECK(queue->entries.front().push_key.rfind(std::string("n|") + webhook_test::kAppKey + "|", 0) == 0);
  CHECK(statuses == 0);  // nothing delivered before the queue's worker runs
  queue->drain();
  CHECK(statuses == 1);
  CHECK(dispatcher.stats().spooled == 2);

  queue->refuse = true;
  CHECK(dispatcher.handle(push_with_nonce(webhook_test::unique_nonce(), kStatusBody)).status == 503);
  CHECK(dispatcher.stats().rejected.busy == 1);
}

TEST_CASE("spool records carry the push key, and a bare body of an older journal still reads") {
  const QueuedPush push{R"({"eventType":"numStatus"})", "n|app|nonce-1"};
  const QueuedPush read = internal::decode_queued_push(internal::encode_queued_push(push));
  CHECK(read.body == push.body);
  CHECK(read.push_key == push.push_key);
  const QueuedPush old = internal::decode_queued_push(R"({"eventType":"fee"})");
  CHECK(old.body == R"({"eventType":"fee"})");
  CHECK(old.push_key.empty());
  const QueuedPush keyless = internal::decode_queued_push(internal::encode_queued_push({"{}", ""}));
  CHECK(keyless.body == "{}");
  CHECK(keyless.push_key.empty());
}
