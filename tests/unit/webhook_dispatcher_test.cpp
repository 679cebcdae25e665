#include <privacycall/webhook/dispatcher.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <future>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include "support/catch.hpp"
#include "support/webhook_test_support.hpp"

using namespace privacycall::webhook;
using privacycall::PhoneNumber;
using privacycall::Signer;
using nlohmann::json;
using webhook_test::notification_example;
using webhook_test::platform;
using webhook_test::signed_request;
using namespace std::chrono_literals;

namespace {

std::string event_body(const std::string& type, const std::string& session,
                       const std::string& timestamp = "2019-01-24 07:03:28") {
  return R"({"eventType":")" + type + R"(","statusInfo":{"sessionId":")" + session +
         R"(","timestamp":")" + timestamp + R"(","caller":"+8613800000022"}})";
}

std::string fee_body(const std::vector<std::string>& sessions) {
  json body = {{"eventType", "fee"}, {"feeLst", json::array()}};
  for (const auto& s : sessions) {
    body["feeLst"].push_back({{"sessionId", s}, {"icid", "icid-" + s}, {"direction", 1}});
  }
  return body.dump();
}

std::string callin_block_body(const std::string& session) {
  return R"({"eventType":"callin","statusInfo":{"sessionId":")" + session +
         R"(","timestamp":"2019-01-24 07:02:50","caller":"+8613800000022","called":"+8617000000001","notifyMode":"Block"}})";
}

// Records what reached the handlers.
struct Recorder {
  std::mutex mutex;
  std::vector<CallEvent> events;
  std::vector<std::vector<std::string>> fee_batches;  // session ids per call
  std::vector<NumberStatusNotification> statuses;
  std::vector<SmsNotification> sms;
  std::vector<UnknownNotification> unknown;

  WebhookHandlers handlers() {
    WebhookHandlers h;
    h.on_call_event = [this](const CallEvent& e) {
      std::lock_guard<std::mutex> lock(mutex);
      events.push_back(e);
    };
    h.on_fee = [this](const FeeNotification& fee) {
      std::lock_guard<std::mutex> lock(mutex);
      std::vector<std::string> ids;
      for (const auto& r : fee.records) ids.push_back(r.session_id.value_or(""));
      fee_batches.push_back(ids);
    };
    h.on_number_status = [this](const NumberStatusNotification& n) {
      std::lock_guard<std::mutex> lock(mutex);
      statuses.push_back(n);
    };
    h.on_sms = [this](const SmsNotification& s) {
      std::lock_guard<std::mutex> lock(mutex);
      sms.push_back(s);
    };
    h.on_unknown = [this](const UnknownNotification& u) {
      std::lock_guard<std::mutex> lock(mutex);
      unknown.push_back(u);
    };
    return h;
  }
  std::size_t total() {
    std::lock_guard<std::mutex> lock(mutex);
    return events.size() + fee_batches.size() + statuses.size() + sms.size() + unknown.size();
  }
};

}  // namespace

TEST_CASE("a signed Notify push reaches its handler and gets an empty 200") {
  Recorder recorder;
  Dispatcher dispatcher(webhook_test::verifier(), recorder.handlers());
  const WebhookReply reply =
      dispatcher.handle(signed_request(platform(), notification_example("axe_event_disconnect.json")));
  CHECK(reply.status == 200);
  CHECK(reply.body.empty());
  REQUIRE(recorder.events.size() == 1);
  CHECK(recorder.events[0].event_type == CallEventType::kDisconnect);

  dispatcher.handle(signed_request(platform(), notification_example("sms_notify.json"), "/notify"));
  dispatcher.handle(signed_request(platform(), notification_example("xnum_status_illustrative.json")));
  dispatcher.handle(signed_request(platform(), R"({"eventType":"brandNew"})"));
  CHECK(recorder.sms.size() == 1);
  CHECK(recorder.statuses.size() == 1);
  CHECK(recorder.unknown.size() == 1);
  const DispatcherStats stats = dispatcher.stats();
  CHECK(stats.received == 4);
  CHECK(stats.delivered == 4);
  CHECK(stats.duplicates == 0);
}

TEST_CASE("a re-pushed event is acknowledged without calling the handler again") {
  Recorder recorder;
  Dispatcher dispatcher(webhook_test::verifier(), recorder.handlers());
  const std::string body = event_body("answer", "s-1");
  for (int i = 0; i < 3; ++i) {
    CHECK(dispatcher.handle(signed_request(platform(), body)).status == 200);
  }
  CHECK(recorder.events.size() == 1);
  CHECK(dispatcher.stats().duplicates == 2);
  // Same call, other event, or same event at another time: new.
  dispatcher.handle(signed_request(platform(), event_body("disconnect", "s-1")));
  dispatcher.handle(signed_request(platform(), event_body("answer", "s-1", "2019-01-24 07:03:29")));
  CHECK(recorder.events.size() == 3);
}

TEST_CASE("a throwing handler gets 500, the re-push is delivered once") {
  std::atomic<int> calls{0}, successes{0};
  WebhookHandlers handlers;
  handlers.on_call_event = [&](const CallEvent&) {
    if (calls.fetch_add(1) == 0) throw std::runtime_error("database down");
    successes.fetch_add(1);
  };
  Dispatcher dispatcher(webhook_test::verifier(), handlers);
  const std::string body = event_body("disconnect", "s-500");
  const WebhookReply first = dispatcher.handle(signed_request(platform(), body));
  CHECK(first.status == 500);
  CHECK(first.body.find("database down") == std::string::npos);  // internals stay inside
  CHECK(dispatcher.handle(signed_request(platform(), body)).status == 200);
  CHECK(dispatcher.handle(signed_request(platform(), body)).status == 200);
  CHECK(calls.load() == 2);
  CHECK(successes.load() == 1);
  const DispatcherStats stats = dispatcher.stats();
  CHECK(stats.handler_failures == 1);
  CHECK(stats.duplicates == 1);
}

TEST_CASE("a partly-seen CDR batch delivers only its new records") {
  Recorder recorder;
  Dispatcher dispatcher(webhook_test::verifier(), recorder.handlers());
  CHECK(dispatcher.handle(signed_request(platform(), fee_body({"c1", "c2"}), "/fee")).status == 200);
  CHECK(dispatcher.handle(signed_request(platform(), fee_body({"c2", "c3", "c1", "c4"}), "/fee")).status == 200);
  CHECK(dispatcher.handle(signed_request(platform(), fee_body({"c4", "c3"}), "/fee")).status == 200);
  REQUIRE(recorder.fee_batches.size() == 2);
  CHECK(recorder.fee_batches[0] == std::vector<std::string>{"c1", "c2"});
  CHECK(recorder.fee_batches[1] == std::vector<std::string>{"c3", "c4"});
  CHECK(dispatcher.stats().duplicates == 1);
}

TEST_CASE("a failed CDR batch marks none of its records seen") {
  std::vector<std::vector<std::string>> batches;
  bool fail = true;
  WebhookHandlers handlers;
  handlers.on_fee = [&](const FeeNotification& fee) {
    std::vector<std::string> ids;
    for (const auto& r : fee.records) ids.push_back(*r.session_id);
    batches.push_back(ids);
    if (fail) throw std::runtime_error("fail");
  };
  Dispatcher dispatcher(webhook_test::verifier(), handlers);
  CHECK(dispatcher.handle(signed_request(platform(), fee_body({"a", "b"}))).status == 500);
  fail = false;
  CHECK(dispatcher.handle(signed_request(platform(), fee_body({"a", "b"}))).status == 200);
  REQUIRE(batches.size() == 2);
  CHECK(batches[1] == std::vector<std::string>{"a", "b"});
}

TEST_CASE("number status pushes are never deduplicated: a number may return to an earlier state") {
  Recorder recorder;
  Dispatcher dispatcher(webhook_test::verifier(), recorder.handlers());
  const auto body = [](const std::string& status) {
    return R"({"eventType":"numStatus","numInfo":[{"number":"+8617000000001","status":")" + status +
           R"("},{"number":"+8617000000002","status":"5"}]})";
  };
  for (const char* status : {"5", "9", "5"}) {  // normal, paused, normal again
    CHECK(dispatcher.handle(signed_request(platform(), body(status))).status == 200);
  }
  REQUIRE(recorder.statuses.size() == 3);
  CHECK(recorder.statuses[1].entries[0].status == NumberStatus::kPaused);
  REQUIRE(recorder.statuses[2].entries.size() == 2);
  CHECK(recorder.statuses[2].entries[0].status == NumberStatus::kNormal);
  CHECK(dispatcher.stats().duplicates == 0);
}

TEST_CASE("SMS Notify is deduplicated by smsIdentifier and mode") {
  Recorder recorder;
  Dispatcher dispatcher(webhook_test::verifier(), recorder.handlers());
  const std::string body = notification_example("sms_notify_axb.json");
  dispatcher.handle(signed_request(platform(), body));
  dispatcher.handle(signed_request(platform(), body));
  CHECK(recorder.sms.size() == 1);
}

TEST_CASE("X-mode Block callin is answered with the handler's route, in object form") {
  std::atomic<int> calls{0}, not_block{0};  // Block handlers run on their own thread
  WebhookHandlers handlers;
  handlers.on_x_mode_callin = [&](const CallEvent& e) {
    calls.fetch_add(1);
    if (!e.is_block_callin()) not_block.fetch_add(1);
    XModeConnect connect(PhoneNumber("+8613400000001"));
    connect.max_duration = 30min;
    connect.record = false;
    connect.user_data = "order-42";
    return XModeAnswer::connect(connect);
  };
  Dispatcher dispatcher(webhook_test::verifier(), handlers);
  const WebhookReply reply = dispatcher.handle(signed_request(platform(), callin_block_body("x-1")));
  CHECK(reply.status == 200);
  CHECK(reply.headers.get("content-type") == std::string_view("application/json;charset=UTF-8"));
  const json body = json::parse(reply.body);
  CHECK(body == json::parse(R"({"operation":"connect","connectInfo":{"calleeNum":"+8613400000001",
      "maxDuration":30,"recordFlag":"false","userData":"order-42"}})"));

  // A re-push gets the same answer without asking again.
  const WebhookReply again = dispatcher.handle(signed_request(platform(), callin_block_body("x-1")));
  CHECK(again.body == reply.body);
  CHECK(calls.load() == 1);
  CHECK(not_block.load() == 0);

  // The documented illustrative callin is a Block callin too.
  CHECK(json::parse(dispatcher.handle(signed_request(platform(), notification_example(
                                          "x_mode_event_callin_illustrative.json")))
                        .body)["operation"] == "connect");
}

TEST_CASE("X-mode answers can use the Java-demo array form") {
  WebhookHandlers handlers;
  handlers.on_x_mode_callin = [](const CallEvent&) {
    XModeClose close;
    close.close_hint_tone = "bye.wav";
    return XModeAnswer::close(close);
  };
  DispatcherOptions options;
  options.x_mode_answer_form = XModeAnswerForm::kJavaDemoArray;
  Dispatcher dispatcher(webhook_test::verifier(), handlers, options);
  const json body = json::parse(dispatcher.handle(signed_request(platform(), callin_block_body("x-2"))).body);
  CHECK(body == json::parse(R"({"operation":"close","closeInfo":[{"closeHintTone":"bye.wav"}]})"));
}

TEST_CASE("a throwing or invalid Block handler gets the configured fallback") {
  int calls = 0;
  WebhookHandlers handlers;
  handlers.on_x_mode_callin = [&](const CallEvent&) -> XModeAnswer {
    if (++calls == 1) throw std::runtime_error("routing table unavailable");
    XModeConnect bad(PhoneNumber("+8613400000001"));
    bad.max_duration = 7200min;  // the platform would fail the call with 8014
    return XModeAnswer::connect(bad);
  };
  DispatcherOptions options;
  XModeClose fallback;
  fallback.close_hint_tone = "sorry.wav";
  options.x_mode_fallback = XModeAnswer::close(fallback);
  Dispatcher dispatcher(webhook_test::verifier(), handlers, options);
  for (int i = 0; i < 2; ++i) {
    const WebhookReply reply = dispatcher.handle(signed_request(platform(), callin_block_body("x-3")));
    CHECK(reply.status == 200);
    CHECK(json::parse(reply.body) ==
          json::parse(R"({"operation":"close","closeInfo":{"closeHintTone":"sorry.wav"}})"));
  }
  CHECK(calls == 2);  // a fallback is not remembered as the answer
  CHECK(dispatcher.stats().block_fallbacks == 2);
  CHECK(dispatcher.stats().handler_failures == 2);
}

TEST_CASE("a late Block handler: the fallback goes out at the deadline") {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> finished;
  WebhookHandlers handlers;
  handlers.on_x_mode_callin = [&, released](const CallEvent&) {
    released.wait();
    finished.set_value();
    return XModeAnswer::connect(XModeConnect(PhoneNumber("+8613400000001")));
  };
  DispatcherOptions options;
  options.block_deadline = 200ms;
  auto dispatcher = std::make_unique<Dispatcher>(webhook_test::verifier(), handlers, options);
  const auto started = std::chrono::steady_clock::now();
  const WebhookReply reply = dispatcher->handle(signed_request(platform(), callin_block_body("x-4")));
  CHECK(std::chrono::steady_clock::now() - started >= 200ms);
  CHECK(json::parse(reply.body)["operation"] == "close");
  CHECK(dispatcher->stats().block_fallbacks == 1);
  release.set_value();
  // The destructor waits for the late handler rather than abandoning it.
  dispatcher.reset();
  CHECK(finished.get_future().wait_for(0s) == std::future_status::ready);
}

TEST_CASE("SMS Block: route answer, or discard when no handler is registered") {
  std::atomic<int> seen_block{0};
  WebhookHandlers handlers;
  handlers.on_sms_block = [&](const SmsNotification& sms) {
    if (sms.is_block()) seen_block.fetch_add(1);
    return SmsBlockAnswer::route(PhoneNumber("+8613800007022"), PhoneNumber("+8613800007021"));
  };
  Dispatcher dispatcher(webhook_test::verifier(), handlers);
  const WebhookReply reply =
      dispatcher.handle(signed_request(platform(), notification_example("sms_block_request_demo.json"), "/block"));
  CHECK(json::parse(reply.body) == json::parse(R"({"actions":[{"operation":"vNumberRoute","message":{"called":"+8613800007022","calling":"+8613800007021"}}]})"));
  CHECK(seen_block.load() == 1);

  Dispatcher without(webhook_test::verifier(), WebhookHandlers{});
  const WebhookReply fallback =
      without.handle(signed_request(platform(), notification_example("sms_block_request_demo.json"), "/block"));
  CHECK(fallback.status == 200);
  CHECK(json::parse(fallback.body) == json::parse(R"({"actions":[{"operation":"DiscardMessage"}]})"));
  CHECK(without.stats().block_fallbacks == 1);
}

TEST_CASE("refused requests never reach user code") {
  Recorder recorder;
  DispatcherOptions options;
  options.paths = {"/status", "/fee"};
  options.max_body_bytes = 4096;
  Dispatcher dispatcher(webhook_test::verifier(), recorder.handlers(), options);
  const std::string body = event_body("answer", "r-1");

  WebhookRequest get = signed_request(platform(), body);
  get.method = "GET";
  const WebhookReply not_allowed = dispatcher.handle(get);
  CHECK(not_allowed.status == 405);
  CHECK(not_allowed.headers.get("Allow") == std::string_view("POST"));

  CHECK(dispatcher.handle(signed_request(platform(), body, "/elsewhere")).status == 404);
  CHECK(dispatcher.handle(signed_request(platform(), std::string(5000, ' '))).status == 413);

  WebhookRequest unsigned_request = signed_request(platform(), body);
  unsigned_request.headers = HeaderMap{{"Content-Type", "application/json"}};
  const WebhookReply missing = dispatcher.handle(unsigned_request);
  CHECK(missing.status == 400);
  CHECK(json::parse(missing.body)["resultcode"] == "1023006");

  const Signer forger(webhook_test::kAppKey, "wrong");
  const WebhookReply forged = dispatcher.handle(signed_request(forger, body));
  CHECK(forged.status == 401);
  // An unknown app key gets the very same answer: nothing tells which keys are served.
  const WebhookReply stranger = dispatcher.handle(signed_request(Signer("not-an-app-of-ours", "secret"), body));
  CHECK(stranger.status == 401);
  CHECK(stranger.body == forged.body);
  CHECK(json::parse(forged.body)["resultdesc"].get<std::string>().rfind("authentication failed", 0) == 0);

  WebhookRequest replay = signed_request(platform(), event_body("answer", "r-2"));
  CHECK(dispatcher.handle(replay).status == 200);
  replay.body = event_body("answer", "r-3");  // captured headers, new body
  CHECK(dispatcher.handle(replay).status == 401);

  CHECK(dispatcher.handle(signed_request(platform(), "{not json")).status == 400);
  CHECK(dispatcher.handle(signed_request(platform(), R"({"eventType":"fee","feeLst":{}})")).status == 400);
  CHECK(dispatcher.handle(signed_request(platform(), "[]")).status == 400);

  CHECK(recorder.total() == 1);  // only r-2
  const DispatcherStats stats = dispatcher.stats();
  CHECK(stats.rejected.method_not_allowed == 1);
  CHECK(stats.rejected.not_found == 1);
  CHECK(stats.rejected.too_large == 1);
  CHECK(stats.rejected.bad_auth_headers == 1);
  CHECK(stats.rejected.unauthenticated == 2);
  CHECK(stats.rejected.replayed == 1);
  CHECK(stats.rejected.malformed_body == 3);
  CHECK(stats.received == 11);
}

TEST_CASE("a duplicate arriving while the first is still handled gets 503, not a second call") {
  std::promise<void> entered, release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> calls{0};
  WebhookHandlers handlers;
  handlers.on_call_event = [&, released](const CallEvent&) {
    if (calls.fetch_add(1) == 0) {
      entered.set_value();
      released.wait();
    }
  };
  Dispatcher dispatcher(webhook_test::verifier(), handlers);
  const std::string body = event_body("answer", "busy-1");
  auto first = std::async(std::launch::async,
                          [&] { return dispatcher.handle(signed_request(platform(), body)).status; });
  entered.get_future().wait();
  CHECK(dispatcher.handle(signed_request(platform(), body)).status == 503);
  release.set_value();
  CHECK(first.get() == 200);
  CHECK(dispatcher.handle(signed_request(platform(), body)).status == 200);
  CHECK(calls.load() == 1);
  CHECK(dispatcher.stats().rejected.busy == 1);
}

TEST_CASE("a dispatcher needs a verifier") {
  CHECK_THROWS_AS(Dispatcher(nullptr, WebhookHandlers{}), std::invalid_argument);
}

TEST_CASE("with the spool, Notify pushes are stored first and delivered by the worker") {
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("pc-dispatch-spool-" + webhook_test::unique_nonce()))
          .string();
  std::atomic<int> calls{0};
  std::mutex mutex;
  std::vector<std::string> delivered;
  WebhookHandlers handlers;
  handlers.on_call_event = [&](const CallEvent& e) {
    if (calls.fetch_add(1) == 0) throw std::runtime_error("first attempt fails");
    std::lock_guard<std::mutex> lock(mutex);
    delivered.push_back(*e.session_id);
  };
  {
    Dispatcher dispatcher(webhook_test::verifier(), handlers);
    SpoolOptions spool;
    spool.directory = dir;
    spool.initial_backoff = 1ms;
    REQUIRE(dispatcher.enable_spool(spool).value() == 0);
    const std::string body = event_body("disconnect", "sp-1");
    CHECK(dispatcher.handle(signed_request(platform(), body)).status == 200);
    CHECK(dispatcher.handle(signed_request(platform(), body)).status == 200);  // re-push
    CHECK(dispatcher.wait_until_spool_drained(10s));
    CHECK(dispatcher.stats().spooled == 2);
    // Block pushes stay synchronous.
    CHECK(json::parse(dispatcher.handle(signed_request(platform(), callin_block_body("sp-2"))).body)["operation"] ==
          "close");
  }
  CHECK(calls.load() == 2);  // one failure, one success; the re-push was a duplicate
  CHECK(delivered == std::vector<std::string>{"sp-1"});
  std::filesystem::remove_all(dir);
}

TEST_CASE("hung Block handlers cannot pile up threads beyond max_block_threads") {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> calls{0};
  WebhookHandlers handlers;
  handlers.on_x_mode_callin = [&, released](const CallEvent&) {
    calls.fetch_add(1);
    released.wait();
    return XModeAnswer::close();
  };
  DispatcherOptions options;
  options.block_deadline = 200ms;
  options.max_block_threads = 2;
  {
    Dispatcher dispatcher(webhook_test::verifier(), handlers, options);
    for (int i = 0; i < 5; ++i) {
      const WebhookReply reply =
          dispatcher.handle(signed_request(platform(), callin_block_body("hung-" + std::to_string(i))));
      CHECK(reply.status == 200);
      CHECK(json::parse(reply.body)["operation"] == "close");
    }
    CHECK(calls.load() == 2);
    CHECK(dispatcher.stats().block_fallbacks == 5);
    release.set_value();
  }
}

TEST_CASE("a hung Block handler is abandoned after the grace period instead of hanging the destructor") {
  // Released at the very end, so that the abandoned handler returns and its thread ends.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> calls{0};
  std::promise<void> entered[2];  // by the first and second call
  WebhookHandlers handlers;
  handlers.on_x_mode_callin = [&calls, &entered, released](const CallEvent&) {
    const int call = calls.fetch_add(1);
    if (call < 2) entered[call].set_value();
    released.wait();
    return XModeAnswer::connect(XModeConnect(PhoneNumber("+8613400000001")));
  };
  std::mutex log_mutex;
  std::vector<std::string> errors;
  DispatcherOptions options;
  options.block_deadline = 300ms;
  options.block_handler_grace = 100ms;
  options.log = [&](privacycall::LogLevel level, std::string_view message) {
    std::lock_guard<std::mutex> lock(log_mutex);
    if (level == privacycall::LogLevel::kError) errors.emplace_back(message);
  };

  auto dispatcher = std::make_unique<Dispatcher>(webhook_test::verifier(), handlers, options);
  WebhookReply reply = dispatcher->handle(signed_request(platform(), callin_block_body("hung-1")));
  CHECK(json::parse(reply.body)["operation"] == "close");  // the fallback, at the deadline
  entered[0].get_future().wait();
  CHECK(dispatcher->stats().block_handlers_running == 1);
  CHECK(dispatcher->stats().block_handlers_abandoned == 0);

  auto started = std::chrono::steady_clock::now();
  dispatcher->close();
  auto waited = std::chrono::steady_clock::now() - started;
  CHECK(waited >= 100ms);
  CHECK(waited < 100ms + 5s);  // the grace period, not forever; slack for a loaded machine
  CHECK(dispatcher->stats().block_handlers_abandoned == 1);
  CHECK(dispatcher->stats().block_handlers_running == 1);  // abandoned, not stopped

  // Closed: a Block push gets the fallback without its handler being called.
  reply = dispatcher->handle(signed_request(platform(), callin_block_body("hung-2")));
  CHECK(json::parse(reply.body)["operation"] == "close");
  CHECK(calls.load() == 1);

  // The destructor of a dispatcher that was not closed abandons the same way.
  auto second = std::make_unique<Dispatcher>(webhook_test::verifier(), handlers, options);
  second->handle(signed_request(platform(), callin_block_body("hung-3")));
  entered[1].get_future().wait();
  started = std::chrono::steady_clock::now();
  second.reset();
  waited = std::chrono::steady_clock::now() - started;
  CHECK(waited >= 100ms);
  CHECK(waited < 100ms + 5s);
  dispatcher.reset();  // closed already: returns at once
  {
    std::lock_guard<std::mutex> lock(log_mutex);
    // Once by close(), once by the second dispatcher's destructor.
    CHECK(std::count_if(errors.begin(), errors.end(), [](const std::string& message) {
            return message.find("abandoned 1 Block handler") != std::string::npos;
          }) == 2);
  }
  release.set_value();
}

TEST_CASE("more slow Block pushes than pool threads are answered by the deadline with the fallback") {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> calls{0};
  WebhookHandlers handlers;
  handlers.on_sms_block = [&calls, released](const SmsNotification&) {
    calls.fetch_add(1);
    released.wait();
    return SmsBlockAnswer::route(PhoneNumber("+8613800007022"), PhoneNumber("+8613800007021"));
  };
  DispatcherOptions options;
  options.block_deadline = 200ms;
  options.max_block_threads = 2;
  Dispatcher dispatcher(webhook_test::verifier(), handlers, options);
  // The same SMS Block push with identifier `id`: each one a different message.
  const auto push = [](const std::string& id) {
    json body = json::parse(notification_example("sms_block_request_demo.json"));
    body["smsEvent"]["smsIdentifier"] = id;
    return signed_request(platform(), body.dump(), "/block");
  };

  // Two pushes take both threads and hang there; every further one, from many threads at
  // once, waits at most its deadline (queued, or refused at once when the queue is full).
  for (int i = 0; i < 2; ++i) {
    const json answer = json::parse(
        dispatcher.handle(push("busy-" + std::to_string(i))).body);
    CHECK(answer == json::parse(R"({"actions":[{"operation":"DiscardMessage"}]})"));
  }
  std::vector<std::thread> pushers;
  std::vector<WebhookReply> replies(6);
  std::vector<std::chrono::steady_clock::duration> took(6);
  for (std::size_t i = 0; i < replies.size(); ++i) {
    pushers.emplace_back([&, i] {
      const auto started = std::chrono::steady_clock::now();
      replies[i] = dispatcher.handle(push("queued-" + std::to_string(i)));
      took[i] = std::chrono::steady_clock::now() - started;
    });
  }
  for (auto& pusher : pushers) pusher.join();
  for (std::size_t i = 0; i < replies.size(); ++i) {
    CHECK(replies[i].status == 200);
    CHECK(json::parse(replies[i].body) == json::parse(R"({"actions":[{"operation":"DiscardMessage"}]})"));
    CHECK(took[i] < 200ms + 5s);  // about the deadline; slack for a loaded machine
  }
  const DispatcherStats stats = dispatcher.stats();
  CHECK(stats.block_fallbacks == 8);
  CHECK(stats.block_handlers_running == 2);

  release.set_value();
  dispatcher.close();  // within the grace period: the released handlers return
  CHECK(dispatcher.stats().block_handlers_abandoned == 0);
  CHECK(dispatcher.stats().block_handlers_running == 0);
  CHECK(calls.load() == 2);  // the queued pushes were answered, so their handler never ran
}

namespace {

// A MemoryDedupStore that remembers every key it was asked to claim, in order, and when
// armed throws once from the claim of one chosen key or from the next commit: a persistent
// store whose database hiccups.
class TestDedupStore final : public DedupStore {
 public:
  DedupClaim claim(std::string_view key) override {
    keys.emplace_back(key);
    if (!fail_claim_of.empty() && key == fail_claim_of) {
      fail_claim_of.clear();
      throw std::runtime_error("dedup database unreachable");
    }
    return memory.claim(key);
  }
  void commit(std::string_view key, std::string_view answer) override {
    if (fail_commit.exchange(false)) throw std::runtime_error("dedup database unreachable");
    memory.commit(key, answer);
  }
  void release(std::string_view key) override { memory.release(key); }
  std::vector<std::string> keys;
  std::string fail_claim_of;
  std::atomic<bool> fail_commit{false};
  MemoryDedupStore memory;
};

}  // namespace

TEST_CASE("dedup keys keep their documented spelling, which persistent stores rely on") {
  auto store = std::make_shared<TestDedupStore>();
  DispatcherOptions options;
  options.dedup_store = store;
  Recorder recorder;
  Dispatcher dispatcher(webhook_test::verifier(), recorder.handlers(), options);
  dispatcher.handle(signed_request(platform(), event_body("answer", "s-1")));
  dispatcher.handle(signed_request(platform(), fee_body({"s-2", "s-3"})));
  dispatcher.handle(signed_request(
      platform(), R"({"eventType":"numStatus","numInfo":[{"number":"+8617000000001","status":"9"}]})"));
  dispatcher.handle(signed_request(
      platform(), R"({"appKey":"k","smsEvent":{"smsIdentifier":"sms-4","notificationMode":"Notify"}})", "/notify"));
  // Number-status pushes have no id: they are deduplicated only on the push's own app key
  // and nonce ("n|app|nonce"), so that a re-push with the original header is not delivered
  // twice while the same status pushed anew is.
  REQUIRE(store->keys.size() == 5);
  CHECK(store->keys[3].rfind(std::string("n|") + webhook_test::kAppKey + "|", 0) == 0);
  store->keys.erase(store->keys.begin() + 3);
  CHECK(store->keys == std::vector<std::string>{"e|s-1|answer|2019-01-24 07:03:28", "f|s-2|icid-s-2",
                                                "f|s-3|icid-s-3", "s|sms-4|Notify"});
  CHECK(recorder.total() == 4);
}

TEST_CASE("a claim is given back when anything throws before its commit") {
  auto store = std::make_shared<TestDedupStore>();
  DispatcherOptions options;
  options.dedup_store = store;
  options.log = [](privacycall::LogLevel, std::string_view) {};
  Recorder recorder;
  WebhookHandlers handlers = recorder.handlers();
  std::atomic<int> block_calls{0};
  handlers.on_x_mode_callin = [&](const CallEvent&) {
    block_calls.fetch_add(1);
    return XModeAnswer::connect(XModeConnect(PhoneNumber("+8613400000001")));
  };
  Dispatcher dispatcher(webhook_test::verifier(), handlers, options);

  SECTION("a Notify commit") {
    store->fail_commit = true;
    const std::string body = event_body("answer", "c-1");
    CHECK(dispatcher.handle(signed_request(platform(), body)).status == 500);
    CHECK(dispatcher.handle(signed_request(platform(), body)).status == 200);  // not 503
    CHECK(recorder.events.size() == 2);
  }
  SECTION("the claim of a later record in a CDR batch") {
    store->fail_claim_of = "f|c-3|icid-c-3";
    const std::string body = fee_body({"c-2", "c-3"});
    CHECK(dispatcher.handle(signed_request(platform(), body)).status == 500);
    CHECK(dispatcher.handle(signed_request(platform(), body)).status == 200);
    // c-2 was claimed before c-3's claim threw: the re-push delivers both, not just c-3.
    CHECK(recorder.fee_batches == std::vector<std::vector<std::string>>{{"c-2", "c-3"}});
  }
  SECTION("a Block commit") {
    store->fail_commit = true;
    const std::string body = callin_block_body("c-4");
    CHECK(dispatcher.handle(signed_request(platform(), body)).status == 500);
    const WebhookReply again = dispatcher.handle(signed_request(platform(), body));
    CHECK(again.status == 200);
    CHECK(json::parse(again.body)["operation"] == "connect");
    CHECK(block_calls.load() == 2);
  }
}

namespace {

// A Block handler whose copy fails while armed, as starting its thread can (std::system_error
// when no thread can be created, or bad_alloc).
struct UnstartableHandler {
  std::shared_ptr<std::atomic<bool>> armed = std::make_shared<std::atomic<bool>>(false);
  std::shared_ptr<std::atomic<int>> calls = std::make_shared<std::atomic<int>>(0);
  UnstartableHandler() = default;
  UnstartableHandler(const UnstartableHandler& other) : armed(other.armed), calls(other.calls) {
    if (armed->load()) {
      throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again),
                              "cannot create a thread");
    }
  }
  XModeAnswer operator()(const CallEvent&) const {
    calls->fetch_add(1);
    return XModeAnswer::connect(XModeConnect(PhoneNumber("+8613400000001")));
  }
};

}  // namespace

TEST_CASE("a Block handler that cannot be run gets the fallback and gives its claim back") {
  UnstartableHandler handler;
  WebhookHandlers handlers;
  handlers.on_x_mode_callin = handler;
  DispatcherOptions options;
  options.log = [](privacycall::LogLevel, std::string_view) {};
  Dispatcher dispatcher(webhook_test::verifier(), handlers, options);
  const std::string body = callin_block_body("u-1");
  *handler.armed = true;
  const WebhookReply fallback = dispatcher.handle(signed_request(platform(), body));
  CHECK(fallback.status == 200);
  CHECK(json::parse(fallback.body)["operation"] == "close");
  CHECK(dispatcher.stats().block_fallbacks == 1);
  CHECK(dispatcher.stats().handler_failures == 1);
  *handler.armed = false;
  const WebhookReply answered = dispatcher.handle(signed_request(platform(), body));
  CHECK(json::parse(answered.body)["operation"] == "connect");
  CHECK(handler.calls->load() == 1);
}

TEST_CASE("a refused request's path cannot forge or flood log lines") {
  std::vector<std::string> lines;
  DispatcherOptions options;
  options.log = [&](privacycall::LogLevel, std::string_view message) { lines.emplace_back(message); };
  Dispatcher dispatcher(webhook_test::verifier(), WebhookHandlers{}, options);
  // cpp-httplib hands over the path URL-decoded: "%0D%0A" arrives as CR LF.
  const std::string forged = "/status\r\n2024-01-01 00:00:00 [info] push delivered\\";
  const Signer forger(webhook_test::kAppKey, "wrong");
  CHECK(dispatcher.handle(signed_request(forger, event_body("answer", "l-1"), forged)).status == 401);
  CHECK(dispatcher.handle(signed_request(platform(), "{not json", forged)).status == 400);
  CHECK(dispatcher.handle(signed_request(platform(), "{not json", std::string(100000, 'a'))).status ==
        400);
  REQUIRE(lines.size() == 3);
  for (const std::string& line : {lines[0], lines[1]}) {
    CHECK(line.find_first_of("\r\n") == std::string::npos);
    CHECK(line.find(R"(/status\x0d\x0a2024-01-01 00:00:00 [info] push delivered\x5c)") !=
          std::string::npos);
  }
  CHECK(lines[2].size() < 1000);
}

namespace {

// A POST of `body` whose header was signed at `created` with `nonce`: a push as first sent,
// so that the very same request can be sent again as a re-push with the original header.
WebhookRequest push_signed_at(std::chrono::system_clock::time_point created, const std::string& nonce,
                              std::string body, std::string path = "/status") {
  const auto h = platform().sign(nonce, privacycall::format_created(created));
  WebhookRequest request;
  request.method = "POST";
  request.path = std::move(path);
  request.headers.add("authorization", h.authorization);
  request.headers.add("x-aksk", h.token_value);
  request.body = std::move(body);
  return request;
}

std::shared_ptr<WebhookVerifier> verifier_with(bool repush_grace, bool wsse = false) {
  VerifierOptions options;
  options.repush_grace = repush_grace;
  options.accept_legacy_wsse = wsse;
  auto verifier = std::make_shared<WebhookVerifier>(options);
  verifier->add_app(webhook_test::kAppKey, webhook_test::kAppSecret);
  return verifier;
}

}  // namespace

TEST_CASE("a re-push with the original header is answered like a duplicate, delivered once") {
  Recorder recorder;
  auto verifier = webhook_test::verifier();
  Dispatcher dispatcher(verifier, recorder.handlers());
  const auto now = std::chrono::system_clock::now();
  const WebhookRequest event = push_signed_at(now, webhook_test::unique_nonce(), event_body("answer", "rp-1"));
  const WebhookRequest status = push_signed_at(
      now, webhook_test::unique_nonce(),
      R"({"eventType":"numStatus","numInfo":[{"number":"+8617000000001","status":"9"}]})");
  for (int attempt = 0; attempt < 3; ++attempt) {
    CHECK(dispatcher.handle(event).status == 200);
    CHECK(dispatcher.handle(status).status == 200);
  }
  CHECK(recorder.events.size() == 1);
  CHECK(recorder.statuses.size() == 1);  // number status has no id: recognised by its nonce
  CHECK(dispatcher.stats().duplicates == 4);
  CHECK(verifier->stats().repushes == 4);
  // The same status pushed anew (a new nonce) is delivered again: it may be a real change back.
  CHECK(dispatcher.handle(signed_request(platform(), status.body)).status == 200);
  CHECK(recorder.statuses.size() == 2);
}

TEST_CASE("a push that failed is delivered when re-pushed with the original header") {
  std::atomic<int> calls{0};
  WebhookHandlers handlers;
  handlers.on_fee = [&](const FeeNotification&) {
    if (calls.fetch_add(1) == 0) throw std::runtime_error("database down");
  };
  Dispatcher dispatcher(webhook_test::verifier(), handlers);
  const WebhookRequest cdr =
      push_signed_at(std::chrono::system_clock::now(), webhook_test::unique_nonce(), fee_body({"rp-2"}), "/fee");
  CHECK(dispatcher.handle(cdr).status == 500);
  CHECK(dispatcher.handle(cdr).status == 200);
  CHECK(calls == 2);
  CHECK(dispatcher.handle(cdr).status == 200);
  CHECK(calls == 2);
}

TEST_CASE("a re-pushed SMS Block push with the original header gets the stored answer") {
  std::atomic<int> calls{0};
  WebhookHandlers handlers;
  handlers.on_sms_block = [&](const SmsNotification&) {
    calls.fetch_add(1);
    return SmsBlockAnswer::route_by_binding();
  };
  Dispatcher dispatcher(webhook_test::verifier(), handlers);
  const WebhookRequest block = push_signed_at(std::chrono::system_clock::now(), webhook_test::unique_nonce(),
                                              notification_example("sms_block_request_demo.json"), "/block");
  const WebhookReply first = dispatcher.handle(block);
  const WebhookReply again = dispatcher.handle(block);
  CHECK(first.status == 200);
  CHECK(again.status == 200);
  CHECK(again.body == first.body);
  CHECK(calls == 1);
  // The captured header with another body is refused.
  WebhookRequest forged = block;
  forged.body = notification_example("sms_notify.json");
  CHECK(dispatcher.handle(forged).status == 401);
}

TEST_CASE("repush_grace lets a late CDR in, never a late Block push") {
  Recorder recorder;
  WebhookHandlers handlers = recorder.handlers();
  handlers.on_x_mode_callin = [](const CallEvent&) { return XModeAnswer::close(); };
  const auto two_hours_ago = std::chrono::system_clock::now() - 106min;
  {
    Dispatcher strict(verifier_with(false), recorder.handlers());
    CHECK(strict.handle(push_signed_at(two_hours_ago, webhook_test::unique_nonce(), fee_body({"g-0"}), "/fee"))
              .status == 401);
  }
  Dispatcher dispatcher(verifier_with(true), handlers);
  CHECK(dispatcher.handle(push_signed_at(two_hours_ago, webhook_test::unique_nonce(), fee_body({"g-1"}), "/fee"))
            .status == 200);
  REQUIRE(recorder.fee_batches.size() == 1);
  const WebhookReply block =
      dispatcher.handle(push_signed_at(two_hours_ago, webhook_test::unique_nonce(), callin_block_body("g-2")));
  CHECK(block.status == 401);
  CHECK(json::parse(block.body)["resultdesc"].get<std::string>().find("Notify pushes only") != std::string::npos);
}

TEST_CASE("refusal bodies and logs say why") {
  std::mutex mutex;
  std::vector<std::string> lines;
  DispatcherOptions options;
  options.log = [&](privacycall::LogLevel, std::string_view message) {
    std::lock_guard<std::mutex> lock(mutex);
    lines.emplace_back(message);
  };
  Dispatcher dispatcher(webhook_test::verifier(), WebhookHandlers{}, options);
  // Local time in China with a literal Z (two seconds more, so that the whole-second Created
  // stays past 8 h however far into its second the test runs).
  const WebhookReply stale = dispatcher.handle(push_signed_at(std::chrono::system_clock::now() + 8h + 2s,
                                                              webhook_test::unique_nonce(), event_body("answer", "w-1")));
  CHECK(stale.status == 401);
  const std::string stale_desc = json::parse(stale.body)["resultdesc"];
  CHECK(stale_desc.rfind("stale: Created ", 0) == 0);
  CHECK(stale_desc.find("8 h 0 min") != std::string::npos);
  CHECK(stale_desc.find("looks like local time written as UTC") != std::string::npos);

  const Signer wsse(webhook_test::kAppKey, webhook_test::kAppSecret, privacycall::SignatureScheme::kWsse);
  const WebhookReply legacy = dispatcher.handle(signed_request(wsse, event_body("answer", "w-2")));
  CHECK(legacy.status == 400);
  const std::string legacy_desc = json::parse(legacy.body)["resultdesc"];
  CHECK(legacy_desc.rfind("scheme_not_accepted: received the legacy WSSE scheme", 0) == 0);

  std::lock_guard<std::mutex> lock(mutex);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].find("signature check failed (stale): Created") != std::string::npos);
  CHECK(lines[1].find("signature check failed (scheme_not_accepted)") != std::string::npos);
  for (const auto& line : lines) CHECK(line.find("PasswordDigest=") == std::string::npos);
}
