// AX end to end: the Client against a FakePlatform over loopback, and the exact wire form.

#include <privacycall/client.hpp>
#include <privacycall/testing/fake_platform.hpp>

#include "support/catch.hpp"
#include "support/pager_walk.hpp"
#include "support/recorded.hpp"

using namespace std::chrono_literals;
using nlohmann::json;
using privacycall::AreaCode;
using privacycall::AreaMatchMode;
using privacycall::AxBindingOnNumber;
using privacycall::AxBindingsOfUser;
using privacycall::AxBindRequest;
using privacycall::AxModifyRequest;
using privacycall::AxQueryResponse;
using privacycall::AxTemporaryCalleeRequest;
using privacycall::AxUnbindRequest;
using privacycall::Client;
using privacycall::DisplayNumber;
using privacycall::ErrorCategory;
using privacycall::PhoneNumber;
using privacycall::SubscriptionId;
using privacycall::testing::FakeMode;
using privacycall::testing::FakePlatform;
using privacycall::testing::FakePlatformOptions;
using privacycall::testing::Fault;
using test_support::walk_pages;
using Walk = std::vector<std::string>;
using test_support::body_of;
using test_support::last_request;

namespace {

const PhoneNumber kA("+8613800000021");
const PhoneNumber kB("+8613800000022");
const PhoneNumber kC("+8613800000023");
const PhoneNumber kX1("+8675500000001");
const PhoneNumber kX2("+8675500000002");

FakePlatformOptions pool() {
  FakePlatformOptions options;
  options.numbers = {{"+8675500000001", "0755"}, {"+8675500000002", "0755"}, {"+8610000000001", "010"},
                     {"+8610000000002", "010"},  {"+8610000000003", "010"},  {"+8610000000004", "010"}};
  return options;
}

}  // namespace

TEST_CASE("AX bind sends every setting on the wire and query returns them") {
  FakePlatform platform(pool());
  Client client(platform.client_options());
  AxBindRequest bind(kA, kX1);
  auto& s = bind.settings;
  s.callee_num_display = DisplayNumber::kRealCaller;
  s.record_flag = true;
  s.record_hint_tone = "record_hint.wav";
  s.private_sms = false;
  s.pre_voice = privacycall::PreVoice{"caller.wav", "callee.wav"};
  s.max_duration = 30min;
  s.last_min_voice = "last_minute.wav";
  s.user_data = "order-7";
  s.turn_flag = true;
  s.call_direction = privacycall::CallDirection::kBoth;
  const auto bound = client.ax().bind(bind).value();
  CHECK(bound.private_num == kX1.str());
  CHECK(bound.orig_num == kA.str());
  CHECK_FALSE(bound.subscription_id.value.empty());

  const auto sent = last_request(platform);
  CHECK(sent.method == "POST");
  CHECK(sent.path == "/rest/provision/caas/privatenumber/v1.0");
  CHECK(sent.query.empty());
  CHECK(body_of(sent) == json{{"origNum", "+8613800000021"},
                              {"privateNum", "+8675500000001"},
                              {"calleeNumDisplay", "1"},
                              {"recordFlag", "true"},
                              {"recordHintTone", "record_hint.wav"},
                              {"privateSms", "false"},
                              {"preVoice", {{"callerHintTone", "caller.wav"}, {"calleeHintTone", "callee.wav"}}},
                              {"maxDuration", 30},
                              {"lastMinVoice", "last_minute.wav"},
                              {"userData", "order-7"},
                              {"turnFlag", "on"},
                              {"callDirection", 0}});

  for (const privacycall::AxQueryRequest& by :
       {privacycall::AxQueryRequest(bound.subscription_id), privacycall::AxQueryRequest(AxBindingsOfUser(kA)),
        privacycall::AxQueryRequest(AxBindingOnNumber(kX1))}) {
    const auto queried = client.ax().query(by).value();
    REQUIRE(queried.bindings.size() == 1);
    const auto& b = queried.bindings.front();
    CHECK(b.subscription_id == bound.subscription_id);
    CHECK(b.orig_num == kA.str());
    CHECK(b.private_num == kX1.str());
    CHECK(b.private_num_type == privacycall::PrivateNumType::kMobileVirtual);
    CHECK(b.turn_flag == true);
    CHECK(b.call_direction == privacycall::CallDirection::kBoth);
    CHECK(b.callee_num_display == privacycall::DisplayNumber::kRealCaller);
    CHECK(b.record_flag == true);
    CHECK(b.private_sms == false);
    CHECK(b.max_duration == 30min);
    CHECK(b.user_data == "order-7");
    REQUIRE(b.pre_voice);
    CHECK(b.pre_voice->callee_hint_tone == "callee.wav");
    CHECK(b.subscribe_time);
  }
  const auto by_user = last_request(platform);
  CHECK(by_user.method == "GET");
  CHECK(by_user.query == "privateNum=%2B8675500000001");
  client.ax().query(AxBindingsOfUser(kA)).value();
  CHECK(last_request(platform).query == "origNum=%2B8613800000021");
}

TEST_CASE("AX bind by area sends areaCode with privateNumType and picks a free X there") {
  FakePlatform platform(pool());
  Client client(platform.client_options());
  const auto first = client.ax().bind(AxBindRequest(kA, AreaCode("010"))).value();
  CHECK(first.private_num == "+8610000000001");
  CHECK(body_of(last_request(platform)) ==
        json{{"origNum", "+8613800000021"}, {"areaCode", "010"}, {"privateNumType", "mobile-virtual"}});
  const auto second = client.ax().bind(AxBindRequest(kB, AreaCode("010", AreaMatchMode::kStrict))).value();
  CHECK(second.private_num == "+8610000000002");
  CHECK(body_of(last_request(platform))["areaMatchMode"] == "0");
}

TEST_CASE("AX refuses an X of another A, a sixth X, a foreign X and an exhausted area") {
  FakePlatform platform(pool());
  Client client(platform.client_options());
  REQUIRE(client.ax().bind(AxBindRequest(kA, kX1)).ok());

  auto taken = client.ax().bind(AxBindRequest(kB, kX1));
  REQUIRE_FALSE(taken.ok());
  CHECK(taken.error().category == ErrorCategory::kApi);
  CHECK(taken.error().result_code == "1011005");

  for (const char* x : {"+8675500000002", "+8610000000001", "+8610000000002", "+8610000000003"}) {
    REQUIRE(client.ax().bind(AxBindRequest(kA, PhoneNumber(x))).ok());
  }
  auto sixth = client.ax().bind(AxBindRequest(kA, PhoneNumber("+8610000000004")));
  REQUIRE_FALSE(sixth.ok());
  CHECK(sixth.error().result_code == "1011003");

  auto foreign = client.ax().bind(AxBindRequest(kB, PhoneNumber("+8617099999999")));
  CHECK(foreign.error().result_code == "1012001");
  CHECK(foreign.error().http_status == 403);

  auto none_left = client.ax().bind(AxBindRequest(kB, AreaCode("0755", AreaMatchMode::kStrict)));
  CHECK(none_left.error().result_code == "1012008");
  // Loose matching goes on to other areas.
  CHECK(client.ax().bind(AxBindRequest(kB, AreaCode("0755", AreaMatchMode::kLoose))).value().private_num ==
        "+8610000000004");
}

TEST_CASE("AX lists an A's bindings through a one-page pager, like every list query") {
  FakePlatform platform(pool());
  Client client(platform.client_options());
  REQUIRE(client.ax().bind(AxBindRequest(kA, kX1)).ok());
  REQUIRE(client.ax().bind(AxBindRequest(kA, kX2)).ok());

  platform.clear_requests();
  CHECK(walk_pages(client.ax().query_pages(AxBindingsOfUser(kA)), &AxQueryResponse::bindings) == Walk{"2"});
  CHECK(platform.requests().size() == 1);
  CHECK(last_request(platform).query == "origNum=%2B8613800000021");

  privacycall::CallOptions once;
  once.retry = privacycall::RetryPolicy::none();
  platform.inject(Fault::kServerError);
  CHECK(walk_pages(client.ax().query_pages(AxBindingsOfUser(kA), once), &AxQueryResponse::bindings) ==
        Walk{"error 1010001"});
}

TEST_CASE("AX modify by X changes A and settings") {
  FakePlatform platform(pool());
  Client client(platform.client_options());
  const auto bound = client.ax().bind(AxBindRequest(kA, kX1)).value();
  AxModifyRequest modify{AxBindingOnNumber(kX1)};
  modify.orig_num = kB;
  modify.settings.turn_flag = false;
  modify.settings.private_sms = true;
  modify.settings.call_direction = privacycall::CallDirection::kCallerToCallee;
  REQUIRE(client.ax().modify(modify).ok());
  const auto sent = last_request(platform);
  CHECK(sent.method == "PUT");
  CHECK(sent.path == "/rest/provision/caas/privatenumber/v1.0");
  CHECK(body_of(sent) == json{{"privateNum", "+8675500000001"},
                              {"origNum", "+8613800000022"},
                              {"privateSms", "true"},
                              {"turnFlag", "off"},
                              {"callDirection", 1}});
  const auto b = client.ax().query(bound.subscription_id).value().bindings.at(0);
  CHECK(b.orig_num == kB.str());
  CHECK(b.turn_flag == false);
  CHECK(b.call_direction == privacycall::CallDirection::kCallerToCallee);

  AxModifyRequest by_id{bound.subscription_id};
  by_id.settings.user_data = "changed";
  REQUIRE(client.ax().modify(by_id).ok());
  CHECK(body_of(last_request(platform)) == json{{"subscriptionId", bound.subscription_id.value}, {"userData", "changed"}});
  CHECK(client.ax().modify(AxModifyRequest(SubscriptionId{"nope"})).error().result_code == "1016001");
}

TEST_CASE("AX unbind by X sends origNum and privateNum escaped - unknown bindings are refused") {
  FakePlatform platform(pool());
  Client client(platform.client_options());
  const auto bound = client.ax().bind(AxBindRequest(kA, kX1)).value();
  REQUIRE(client.ax().unbind(AxUnbindRequest(AxBindingOnNumber(kX1), kA)).ok());
  const auto sent = last_request(platform);
  CHECK(sent.method == "DELETE");
  CHECK(sent.query == "origNum=%2B8613800000021&privateNum=%2B8675500000001");
  CHECK(sent.body.empty());

  auto again = client.ax().unbind(AxUnbindRequest(AxBindingOnNumber(kX1)));
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().result_code == "1011004");
  CHECK(client.ax().unbind(AxUnbindRequest(bound.subscription_id)).error().result_code == "1016001");
  CHECK(client.ax().unbind(AxUnbindRequest(AxBindingOnNumber(PhoneNumber("+8617099999999")))).error().result_code ==
        "1012001");
  CHECK(client.ax().query(AxBindingsOfUser(kA)).value().bindings.empty());

  const auto rebound = client.ax().bind(AxBindRequest(kA, kX1)).value();
  REQUIRE(client.ax().unbind(AxUnbindRequest(rebound.subscription_id)).ok());
  CHECK(last_request(platform).query == "subscriptionId=" + rebound.subscription_id.value);
}

TEST_CASE("AX temporary callee: wire form, platform checks and client-side validation") {
  FakePlatform platform(pool());
  Client client(platform.client_options());
  const auto bound = client.ax().bind(AxBindRequest(kA, kX1)).value();

  AxTemporaryCalleeRequest callee(bound.subscription_id, kC);
  callee.orig_num = kA;
  callee.duration = 300s;
  callee.user_data = "call-1";
  REQUIRE(client.ax().set_temporary_callee(callee).ok());
  const auto sent = last_request(platform);
  CHECK(sent.method == "PUT");
  CHECK(sent.path == "/rest/caas/privatenumber/calleenumber/v1.0");
  CHECK(body_of(sent) == json{{"subscriptionId", bound.subscription_id.value},
                              {"origNum", "+8613800000021"},
                              {"calleeNum", "+8613800000023"},
                              {"duration", 300},
                              {"userData", "call-1"}});

  REQUIRE(client.ax().set_temporary_callee(AxTemporaryCalleeRequest(AxBindingOnNumber(kX1), kB)).ok());
  CHECK(body_of(last_request(platform)) == json{{"privateNum", "+8675500000001"}, {"calleeNum", "+8613800000022"}});

  AxTemporaryCalleeRequest wrong_a(bound.subscription_id, kC);
  wrong_a.orig_num = kB;
  CHECK(client.ax().set_temporary_callee(wrong_a).error().result_code == "1016001");
  CHECK(client.ax().set_temporary_callee(AxTemporaryCalleeRequest(SubscriptionId{"nope"}, kC)).error().result_code ==
        "1016001");

  platform.clear_requests();
  AxTemporaryCalleeRequest bad(bound.subscription_id, kC);
  bad.duration = 0s;
  CHECK(client.ax().set_temporary_callee(bad).error().category == ErrorCategory::kValidation);
  bad.duration = 259201s;
  CHECK(client.ax().set_temporary_callee(bad).error().category == ErrorCategory::kValidation);
  bad.duration = 259200s;
  bad.orig_num = kC;  // A calling itself
  CHECK(client.ax().set_temporary_callee(bad).error().category == ErrorCategory::kValidation);
  bad.orig_num.reset();
  bad.user_data = "{x}";
  CHECK(client.ax().set_temporary_callee(bad).error().category == ErrorCategory::kValidation);
  AxBindRequest bad_bind(kA, kX2);
  bad_bind.settings.max_duration = 1441min;
  CHECK(client.ax().bind(bad_bind).error().category == ErrorCategory::kValidation);
  bad_bind.settings.max_duration.reset();
  bad_bind.settings.record_hint_tone = "bad tone.wav";
  CHECK(client.ax().bind(bad_bind).error().category == ErrorCategory::kValidation);
  CHECK(platform.requests().empty());
}

TEST_CASE("A strict-mode app refuses other modes' APIs with 1010040") {
  auto options = pool();
  options.strict_mode = FakeMode::kAx;
  FakePlatform platform(options);
  Client client(platform.client_options());
  CHECK(client.ax().bind(AxBindRequest(kA, kX1)).ok());
  auto refused = client.axb().bind(privacycall::AxbBindRequest(kA, kB));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().result_code == "1010040");
  CHECK(refused.error().http_status == 403);
  CHECK(client.axe().query(SubscriptionId{"x"}).error().result_code == "1010040");
  CHECK(client.axyb().query(SubscriptionId{"x"}).error().result_code == "1010040");
  // Stop call belongs to every mode: refused for the session, not for the mode.
  CHECK(client.calls().stop_call(privacycall::StopCallRequest("s")).error().result_code == "1020152");

  FakePlatform open_app(pool());
  Client any(open_app.client_options());
  CHECK(any.ax().bind(AxBindRequest(kA, kX1)).ok());
  CHECK(any.axb().bind(privacycall::AxbBindRequest(kA, kB, kX2)).ok());
}
