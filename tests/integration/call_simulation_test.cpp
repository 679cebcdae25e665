// The simulator really calls: it routes a call through the bindings, pushes signed events and
// the CDR to a receiver built from the SDK, re-pushes failures on the (time-scaled) schedule,
// and authentic pushes reach the handlers exactly once while forged ones never do.

#include <privacycall/client.hpp>
#include <privacycall/testing/fake_platform.hpp>
#include <privacycall/webhook/dispatcher.hpp>
#include <privacycall/webhook/server.hpp>
#include <privacycall/webhook/verifier.hpp>

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
  std::vector<webhook::FeeRecord> cdrs;
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
      if (e.event_type == "disconnect" && fail_first_disconnects > 0) {
        --fail_first_disconnects;
        throw std::runtime_error("database down");  // the platform must push again
      }
      ++events[e.event_type];
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
    dispatcher = std::make_shared<webhook::Dispatcher>(verifier, handlers);
    server = std::make_unique<webhook::WebhookServer>(dispatcher);
    url = "http://127.0.0.1:" + std::to_string(server->start().value());
  }
};

FakePlatformOptions pushing_to(const Receiver& receiver) {
  FakePlatformOptions options;
  options.status_url = receiver.url + "/status";
  options.fee_url = receiver.url + "/fee";
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
  CHECK(cdr.record_flag == 1);
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
  CHECK(receiver.cdrs.front().notify_mode == "Block");
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
