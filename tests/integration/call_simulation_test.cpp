// The simulator really calls: it routes a call through the bindings, pushes signed events and
// the CDR to a receiver built from the SDK, re-pushes failures on the (time-scaled) schedule,
// and authentic pushes reach the handlers exactly once while forged ones never do.

#include <privacycall/client.hpp>
#include <privacycall/testing/fake_platform.hpp>
#include <privacycall/webhook/dispatcher.hpp>
#include <privacycall/webhook/server.hpp>
#include <privacycall/webhook/verifier.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <mutex>

#include "support/catch.hpp"

using namespace std::chrono_literals;
using privacycall::PhoneNumber;
using privacycall::testing::FakeCall;
using privacycall::testing::FakePlatform;
using privacycall::testing::FakePlatformOptions;
namespace webhook = privacycall::webhook;

namespace {

const PhoneNumber kA("+8613800000021");
const PhoneNumber kB("+8613800000022");
const PhoneNumber kX("+8675500000001");

// A receiver on loopback that records what its handlers were given.
struct Receiver {
  std::mutex mutex;
  std::map<std::string, int> events;  // event type -> deliveries
  std::vector<webhook::CallEvent> event_log;  // every delivered event, in arrival order
  std::vector<webhook::FeeRecord> cdrs;
  std::vector<webhook::SmsNotification> sms_notifies;
  std::vector<webhook::SmsNotification> sms_blocks;
  // Answers SMS Block pushes; discards when empty.
  std::function<webhook::SmsBlockAnswer(const webhook::SmsNotification&)> sms_router;
  std::vector<std::string> x_callins;
  int fail_first_disconnects = 0;
  std::optional<PhoneNumber> route_to;
  std::shared_ptr<webhook::WebhookVerifier> verifier = std::make_shared<webhook::WebhookVerifier>();
  std::shared_ptr<webhook::Dispatcher> dispatcher;
  std::unique_ptr<webhook::WebhookServer> server;
  std::string url;

  Receiver() {
    verifier->add_app("fake-app-key", "fake-app-secret");
    webhook::WebhookHandlers handlers;
    handlers.on_call_event = [this](const webhook::CallEvent& e) {
      std::lock_guard<std::mutex> lock(mutex);
      if (e.event_type == webhook::CallEventType::kDisconnect && fail_first_disconnects > 0) {
        --fail_first_disconnects;
        throw std::runtime_error("database down");  // the platform must push again
      }
      ++events[e.event_type.raw()];
      event_log.push_back(e);
    };
    handlers.on_fee = [this](const webhook::FeeNotification& fee) {
      std::lock_guard<std::mutex> lock(mutex);
      for (const auto& record : fee.records) cdrs.push_back(record);
    };
    handlers.on_x_mode_callin = [this](const webhook::CallEvent& e) {
      std::lock_guard<std::mutex> lock(mutex);
      x_callins.push_back(e.session_id.value_or(""));
      return route_to ? webhook::XModeAnswer::connect(webhook::XModeConnect(*route_to)) : webhook::XModeAnswer::close();
    };
    handlers.on_sms = [this](const webhook::SmsNotification& sms) {
      std::lock_guard<std::mutex> lock(mutex);
      sms_notifies.push_back(sms);
    };
    handlers.on_sms_block = [this](const webhook::SmsNotification& sms) {
      std::lock_guard<std::mutex> lock(mutex);
      sms_blocks.push_back(sms);
      return sms_router ? sms_router(sms) : webhook::SmsBlockAnswer::discard();
    };
    dispatcher = std::make_shared<webhook::Dispatcher>(verifier, handlers);
    server = std::make_unique<webhook::WebhookServer>(dispatcher);
    url = "http://127.0.0.1:" + std::to_string(server->start().value());
  }
};

FakePlatformOptions pushing_to(const Receiver& receiver) {
  FakePlatformOptions options;
  options.status_url = receiver.url + "/status";
  options.fee_url = receiver.url + "/fee";
  options.sms_url = receiver.url + "/sms";
  options.time_scale = 60000;  // the 300-minute re-push schedule takes 0.3 s
  return options;
}

void bind_axb(const FakePlatform& platform, bool record) {
  privacycall::AxbBindRequest bind(kA, kB, kX);
  bind.settings.record_flag = record;
  REQUIRE(privacycall::Client(platform.client_options()).axb().bind(bind).ok());
}

}  // namespace

TEST_CASE("A simulated AXB call delivers each event and the CDR exactly once") {
  Receiver receiver;
  FakePlatform platform(pushing_to(receiver));
  bind_axb(platform, true);
  const auto session = platform.simulate_call(FakeCall{kA.str(), kX.str(), std::nullopt, 20s}).value();
  REQUIRE(platform.wait_for_pushes(10s));

  std::lock_guard<std::mutex> lock(receiver.mutex);
  for (const char* type : {"callin", "callout", "alerting", "answer", "disconnect"}) {
    INFO(type);
    CHECK(receiver.events[type] == 1);
  }
  REQUIRE(receiver.cdrs.size() == 1);
  const auto& cdr = receiver.cdrs.front();
  CHECK(cdr.session_id == session);
  CHECK(cdr.fwd_dst_num == kB.str());
  CHECK(cdr.talk_duration() == 20s);
  CHECK(cdr.record_flag == webhook::RecordingState::kRecorded);
  const auto url = privacycall::Client(platform.client_options())
                       .recordings()
                       .download_url(cdr.record_object_name.value(), cdr.record_domain.value());
  CHECK(url.ok());
}

TEST_CASE("A push the handler failed on is re-pushed and then delivered once") {
  Receiver receiver;
  {
    std::lock_guard<std::mutex> lock(receiver.mutex);
    receiver.fail_first_disconnects = 2;
  }
  FakePlatform platform(pushing_to(receiver));
  bind_axb(platform, false);
  REQUIRE(platform.simulate_call(FakeCall{kB.str(), kX.str(), std::nullopt, 5s}).ok());
  REQUIRE(platform.wait_for_pushes(10s));
  std::lock_guard<std::mutex> lock(receiver.mutex);
  CHECK(receiver.events["disconnect"] == 1);
  CHECK(receiver.fail_first_disconnects == 0);
  CHECK(platform.push_attempts() == 6 + 2);  // five events and a CDR, plus two re-pushes
  CHECK(receiver.dispatcher->stats().handler_failures == 2);
}

TEST_CASE("Pushes signed with another secret never reach the handlers") {
  Receiver receiver;
  auto options = pushing_to(receiver);
  options.app_secret = "forged-secret";
  FakePlatform forger(options);
  bind_axb(forger, false);
  REQUIRE(forger.simulate_call(FakeCall{kA.str(), kX.str(), std::nullopt, 5s}).ok());
  REQUIRE(forger.wait_for_pushes(20s));  // every push exhausts its six re-pushes
  std::lock_guard<std::mutex> lock(receiver.mutex);
  CHECK(receiver.events.empty());
  CHECK(receiver.cdrs.empty());
  CHECK(forger.push_attempts() == 6 * 7);
  CHECK(receiver.dispatcher->stats().rejected.unauthenticated == 6 * 7);
}

TEST_CASE("An X-mode call follows the receiver's Block answer") {
  Receiver receiver;
  {
    std::lock_guard<std::mutex> lock(receiver.mutex);  // the server already runs its handlers
    receiver.route_to = kB;
  }
  FakePlatform platform(pushing_to(receiver));
  const auto session = platform.simulate_call(FakeCall{kA.str(), "+8617000000001", std::nullopt, 10s}).value();
  REQUIRE(platform.wait_for_pushes(10s));
  std::lock_guard<std::mutex> lock(receiver.mutex);
  CHECK(receiver.x_callins == std::vector<std::string>{session});
  CHECK(receiver.events["callout"] == 1);
  CHECK(receiver.events["disconnect"] == 1);
  REQUIRE(receiver.cdrs.size() == 1);
  CHECK(receiver.cdrs.front().fwd_dst_num == kB.str());
  CHECK(receiver.cdrs.front().notify_mode == webhook::NotifyMode::kBlock);
}

TEST_CASE("An X-mode close answer releases the call without connecting it") {
  Receiver receiver;
  FakePlatform platform(pushing_to(receiver));
  REQUIRE(platform.simulate_call(FakeCall{kA.str(), "+8617000000001", std::nullopt, 10s}).ok());
  REQUIRE(platform.wait_for_pushes(10s));
  std::lock_guard<std::mutex> lock(receiver.mutex);
  CHECK(receiver.events.count("callout") == 0);
  CHECK(receiver.events["disconnect"] == 1);
  REQUIRE(receiver.cdrs.size() == 1);
  CHECK_FALSE(receiver.cdrs.front().fwd_answer_time.has_value());
}

TEST_CASE("simulate_call refuses malformed numbers and unroutable calls without a status URL") {
  FakePlatform platform;
  CHECK(platform.simulate_call(FakeCall{"13800000021", kX.str(), std::nullopt, 5s}).error().category ==
        privacycall::ErrorCategory::kValidation);
  CHECK_FALSE(platform.simulate_call(FakeCall{kA.str(), kX.str(), std::nullopt, 5s}).ok());
}

TEST_CASE("An AXE caller who types the extension after the prompt gets collectInfo and reaches that A") {
  Receiver receiver;
  FakePlatform platform(pushing_to(receiver));
  const privacycall::Client client(platform.client_options());
  const PhoneNumber a7("+8613800000031");
  const PhoneNumber a8("+8613800000032");
  for (const auto& [a, e] : {std::pair{a7, "0007"}, std::pair{a8, "0008"}}) {
    privacycall::AxeBindRequest bind(a, kX);
    bind.extend_num = e;
    REQUIRE(client.axe().bind(bind).ok());
  }

  // B dials X alone (no extension in the number) and types 0008 at the prompt.
  const auto session = platform.simulate_call(FakeCall{kB.str(), kX.str(), "0008", 15s}).value();
  REQUIRE(platform.wait_for_pushes(10s));
  std::lock_guard<std::mutex> lock(receiver.mutex);
  std::vector<std::string> order;
  for (const auto& e : receiver.event_log) {
    CHECK(e.session_id == session);
    order.push_back(e.event_type.raw());
  }
  CHECK(order == std::vector<std::string>{"callin", "collectInfo", "callout", "alerting", "answer", "disconnect"});
  const auto collect = std::find_if(receiver.event_log.begin(), receiver.event_log.end(),
                                    [](const webhook::CallEvent& e) { return e.event_type == webhook::CallEventType::kCollectInfo; });
  REQUIRE(collect != receiver.event_log.end());
  CHECK(collect->digit_info == "0008");
  CHECK_FALSE(collect->caller.has_value());  // collectInfo carries no caller or called (§4.2)
  CHECK_FALSE(collect->called.has_value());
  for (const auto& e : receiver.event_log) {
    if (e.event_type == webhook::CallEventType::kCallOut || e.event_type == webhook::CallEventType::kAnswer) CHECK(e.called == a8.str());
  }
  REQUIRE(receiver.cdrs.size() == 1);
  CHECK(receiver.cdrs.front().fwd_dst_num == a8.str());
  CHECK(receiver.cdrs.front().extend_num == "0008");
  CHECK(receiver.cdrs.front().talk_duration() == 15s);
}

TEST_CASE("An AXE caller who types no extension is released without collectInfo or a forwarded leg") {
  Receiver receiver;
  FakePlatform platform(pushing_to(receiver));
  privacycall::AxeBindRequest bind(kA, kX);
  bind.extend_num = "0007";
  REQUIRE(privacycall::Client(platform.client_options()).axe().bind(bind).ok());
  REQUIRE(platform.simulate_call(FakeCall{kB.str(), kX.str(), std::nullopt, 15s}).ok());
  REQUIRE(platform.wait_for_pushes(10s));
  std::lock_guard<std::mutex> lock(receiver.mutex);
  CHECK(receiver.events.count("collectInfo") == 0);
  CHECK(receiver.events.count("callout") == 0);
  REQUIRE(receiver.events["disconnect"] == 1);
  CHECK(receiver.event_log.back().state_code == webhook::HangupCause(8033));
  REQUIRE(receiver.cdrs.size() == 1);
  CHECK_FALSE(receiver.cdrs.front().fwd_dst_num.has_value());
}

TEST_CASE("An SMS Block answer routes the message to the number it names") {
  Receiver receiver;
  const PhoneNumber routed("+8613800000099");
  {
    std::lock_guard<std::mutex> lock(receiver.mutex);
    receiver.sms_router = [routed](const webhook::SmsNotification& sms) {
      return webhook::SmsBlockAnswer::route(routed, sms.calling.value().phone().value());
    };
  }
  FakePlatform platform(pushing_to(receiver));
  const auto sent = platform.simulate_sms({kA.str(), "+8617000000001", "hello", true}).value();
  REQUIRE(platform.wait_for_pushes(10s));
  CHECK(sent.delivered);
  CHECK(sent.delivered_to == routed.str());
  std::lock_guard<std::mutex> lock(receiver.mutex);
  REQUIRE(receiver.sms_blocks.size() == 1);
  CHECK(receiver.sms_blocks.front().sms_identifier == sent.sms_identifier);
  CHECK(receiver.sms_blocks.front().calling == kA.str());
  REQUIRE(receiver.sms_notifies.size() == 1);
  CHECK(receiver.sms_notifies.front().sms_identifier == sent.sms_identifier);
  CHECK(receiver.sms_notifies.front().called == routed.str());
  CHECK(receiver.sms_notifies.front().send_result == webhook::SmsSendResult::kSuccess);
}

TEST_CASE("An SMS Block DiscardMessage answer drops the message") {
  Receiver receiver;  // no router: the handler answers DiscardMessage
  FakePlatform platform(pushing_to(receiver));
  const auto sent = platform.simulate_sms({kA.str(), "+8617000000001", "spam", true}).value();
  REQUIRE(platform.wait_for_pushes(10s));
  CHECK_FALSE(sent.delivered);
  CHECK_FALSE(sent.delivered_to.has_value());
  std::lock_guard<std::mutex> lock(receiver.mutex);
  CHECK(receiver.sms_blocks.size() == 1);
  CHECK(receiver.sms_notifies.empty());
}

TEST_CASE("An SMS Block route naming another sender is not obeyed") {
  Receiver receiver;
  {
    std::lock_guard<std::mutex> lock(receiver.mutex);
    receiver.sms_router = [](const webhook::SmsNotification&) {
      return webhook::SmsBlockAnswer::route(PhoneNumber("+8613800000099"), kB);  // calling must be A
    };
  }
  FakePlatform platform(pushing_to(receiver));
  const auto sent = platform.simulate_sms({kA.str(), "+8617000000001", "hi", true}).value();
  REQUIRE(platform.wait_for_pushes(10s));
  CHECK_FALSE(sent.delivered);
  std::lock_guard<std::mutex> lock(receiver.mutex);
  CHECK(receiver.sms_notifies.empty());
}

TEST_CASE("An SMS without Block is delivered and notified once") {
  Receiver receiver;
  FakePlatform platform(pushing_to(receiver));
  const auto sent = platform.simulate_sms({kA.str(), kX.str(), "hello", false}).value();
  REQUIRE(platform.wait_for_pushes(10s));
  CHECK(sent.delivered);
  CHECK_FALSE(sent.delivered_to.has_value());
  std::lock_guard<std::mutex> lock(receiver.mutex);
  CHECK(receiver.sms_blocks.empty());
  REQUIRE(receiver.sms_notifies.size() == 1);
  CHECK(receiver.sms_notifies.front().sms_identifier == sent.sms_identifier);
}
