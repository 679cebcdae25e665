// AXB end to end: the Client against a FakePlatform over real HTTP on loopback.

#include <privacycall/client.hpp>
#include <privacycall/testing/fake_platform.hpp>

#include <atomic>

#include "support/catch.hpp"
#include "support/raw_http.hpp"
#include "support/pager_walk.hpp"
#include "support/recorded.hpp"

using namespace std::chrono_literals;
using privacycall::AreaCode;
using privacycall::AreaMatchMode;
using privacycall::AxbAllBindingsOnNumber;
using privacycall::AxbBindingsOnNumber;
using privacycall::AxbBindRequest;
using privacycall::AxbModifyRequest;
using privacycall::AxbQueryResponse;
using privacycall::Client;
using privacycall::ErrorCategory;
using privacycall::PhoneNumber;
using privacycall::SubscriptionId;
using privacycall::testing::FakeNumber;
using privacycall::testing::FakePlatform;
using privacycall::testing::FakePlatformOptions;
using privacycall::testing::Fault;
using test_support::walk_pages;
using Walk = std::vector<std::string>;

namespace {

const PhoneNumber kA("+8613800000021");
const PhoneNumber kB("+8613800000022");
const PhoneNumber kC("+8613800000023");
const PhoneNumber kD("+8613800000024");
const PhoneNumber kX1("+8675500000001");

FakePlatformOptions small_pool() {
  FakePlatformOptions options;
  options.numbers = {{"+8675500000001", "0755"}, {"+8675500000002", "0755"}, {"+8610000000001", "010"}};
  return options;
}

}  // namespace

TEST_CASE("AXB bind, query, modify and unbind round-trip") {
  FakePlatform platform(small_pool());
  Client client(platform.client_options());

  AxbBindRequest bind{kA, kB};
  bind.relation = kX1;
  bind.settings.call_direction = privacycall::CallDirection::kBoth;
  bind.settings.duration = 3600s;
  bind.settings.record_flag = true;
  bind.settings.record_hint_tone = "record_hint.wav";
  bind.settings.max_duration = 30min;
  bind.settings.last_min_voice = "last_minute.wav";
  bind.settings.private_sms = false;
  bind.settings.pre_voice = privacycall::PreVoice{"caller.wav", "callee.wav"};
  bind.settings.user_data = "order-42";
  const auto bound = client.axb().bind(bind).value();
  CHECK(bound.result_code == "0");
  CHECK(bound.relation_num == kX1.str());
  CHECK_FALSE(bound.subscription_id.value.empty());
  CHECK(bound.duration == 3600s);
  CHECK(bound.raw_json.find("subscriptionId") != std::string::npos);

  auto queried = client.axb().query(bound.subscription_id).value();
  REQUIRE(queried.bindings.size() == 1);
  const auto& binding = queried.bindings.front();
  CHECK(binding.caller_num == kA.str());
  CHECK(binding.callee_num == kB.str());
  CHECK(binding.relation_num == kX1.str());
  CHECK(binding.record_flag == true);
  CHECK(binding.private_sms == false);
  CHECK(binding.max_duration == 30min);
  CHECK(binding.user_data == "order-42");
  REQUIRE(binding.pre_voice);
  CHECK(binding.pre_voice->callee_hint_tone == "callee.wav");

  AxbModifyRequest modify{bound.subscription_id};
  modify.callee_num = kC;
  modify.settings.user_data = "order-43";
  CHECK(client.axb().modify(modify).value().result_code == "0");
  queried = client.axb().query(AxbBindingsOnNumber{kX1, kA}).value();
  REQUIRE(queried.bindings.size() == 1);
  CHECK(queried.bindings.front().callee_num == kC.str());
  CHECK(queried.bindings.front().user_data == "order-43");

  CHECK(client.axb().unbind(bound.subscription_id).ok());
  const auto gone = client.axb().query(bound.subscription_id);
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().result_code == "1016001");
}

TEST_CASE("AXB refuses a user number twice on one X and full numbers") {
  auto options = small_pool();
  options.max_axb_pairs_per_number = 2;
  FakePlatform platform(options);
  Client client(platform.client_options());
  AxbBindRequest first{kA, kB};
  first.relation = kX1;
  REQUIRE(client.axb().bind(first).ok());

  AxbBindRequest repeat{kA, kC};  // A again on the same X
  repeat.relation = kX1;
  auto refused = client.axb().bind(repeat);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().category == ErrorCategory::kApi);
  CHECK(refused.error().http_status == 403);
  CHECK(refused.error().result_code == "1012010");
  CHECK(refused.error().result_desc.find("13800000021") == std::string::npos);  // masked

  AxbBindRequest second{kC, kD};  // a disjoint pair is fine: AXB + CXD
  second.relation = kX1;
  REQUIRE(client.axb().bind(second).ok());
  AxbBindRequest third{PhoneNumber("+8613800000031"), PhoneNumber("+8613800000032")};
  third.relation = kX1;
  auto full = client.axb().bind(third);
  REQUIRE_FALSE(full.ok());
  CHECK(full.error().result_code == "1011005");
}

TEST_CASE("AXB picks X by area code, strictly or loosely") {
  FakePlatform platform(small_pool());
  Client client(platform.client_options());
  AxbBindRequest in_beijing{kA, kB};
  in_beijing.relation = AreaCode{"010", AreaMatchMode::kStrict};
  CHECK(client.axb().bind(in_beijing).value().relation_num == "+8610000000001");

  AxbBindRequest again{kA, kC};  // Beijing's only X already carries A
  again.relation = AreaCode{"010", AreaMatchMode::kStrict};
  auto none = client.axb().bind(again);
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().result_code == "1012008");

  again.relation = AreaCode{"010", AreaMatchMode::kLoose};
  CHECK(client.axb().bind(again).value().relation_num.raw().rfind("+86755", 0) == 0);

  AxbBindRequest near_caller{kC, kD};
  CHECK(client.axb().bind(near_caller).ok());
}

TEST_CASE("AXB refuses an X the app does not own and unknown bindings") {
  FakePlatform platform(small_pool());
  Client client(platform.client_options());
  AxbBindRequest foreign{kA, kB};
  foreign.relation = PhoneNumber("+8617099999999");
  auto refused = client.axb().bind(foreign);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().result_code == "1012001");
  CHECK(refused.error().http_status == 403);

  CHECK(client.axb().unbind(SubscriptionId{"no-such-binding"}).error().result_code == "1016001");
  AxbModifyRequest modify{SubscriptionId{"no-such-binding"}};
  CHECK(client.axb().modify(modify).error().result_code == "1016001");
  CHECK(client.axb().unbind(AxbAllBindingsOnNumber{PhoneNumber("+8617099999999")}).error().result_code == "1012001");
}

TEST_CASE("AXB unbind by number removes every binding on X") {
  FakePlatform platform(small_pool());
  Client client(platform.client_options());
  for (const auto& [a, b] : {std::pair{kA, kB}, std::pair{kC, kD}}) {
    AxbBindRequest bind{a, b};
    bind.relation = kX1;
    REQUIRE(client.axb().bind(bind).ok());
  }
  CHECK(client.axb().query(AxbBindingsOnNumber{kX1}).value().bindings.size() == 2);
  CHECK(client.axb().unbind(AxbAllBindingsOnNumber{kX1}).ok());
  CHECK(client.axb().query(AxbBindingsOnNumber{kX1}).value().bindings.empty());
}

TEST_CASE("AXB query pages through the bindings on X") {
  auto options = small_pool();
  FakePlatform platform(options);
  Client client(platform.client_options());
  for (int i = 0; i < 12; ++i) {
    AxbBindRequest bind{PhoneNumber("+86139000001" + std::to_string(10 + 2 * i)),
                        PhoneNumber("+86139000001" + std::to_string(11 + 2 * i))};
    bind.relation = kX1;
    REQUIRE(client.axb().bind(bind).ok());
  }
  AxbBindingsOnNumber page{kX1};
  page.page_size = 10;
  page.page_index = 1;
  CHECK(client.axb().query(page).value().bindings.size() == 10);
  page.page_index = 2;
  CHECK(client.axb().query(page).value().bindings.size() == 2);

  SECTION("the pager walks every page, sending pageIndex, until a short page") {
    platform.clear_requests();
    AxbBindingsOnNumber on{kX1};
    on.page_size = 10;
    CHECK(walk_pages(client.axb().query_pages(on), &AxbQueryResponse::bindings) == Walk{"10", "2"});
    const auto requests = platform.requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[0].query == "relationNum=%2B8675500000001&pageIndex=1&pageSize=10");
    CHECK(requests[1].query == "relationNum=%2B8675500000001&pageIndex=2&pageSize=10");
  }
  SECTION("a page as long as the page size is followed by an empty last page") {
    AxbBindingsOnNumber on{kX1};
    on.page_size = 12;
    CHECK(walk_pages(client.axb().query_pages(on), &AxbQueryResponse::bindings) == Walk{"12", "0"});
  }
  SECTION("the platform's default page size of 50 holds every binding in one page") {
    CHECK(walk_pages(client.axb().query_pages(AxbBindingsOnNumber{kX1}), &AxbQueryResponse::bindings) == Walk{"12"});
  }
  SECTION("a page that fails ends the walk as its last element") {
    AxbBindingsOnNumber on{kX1};
    on.page_size = 10;
    privacycall::CallOptions once;
    once.retry = privacycall::RetryPolicy::none();
    const auto fail_second = [&](std::size_t) { platform.inject(Fault::kServerError); };
    CHECK(walk_pages(client.axb().query_pages(on, once), &AxbQueryResponse::bindings, fail_second) ==
          Walk{"10", "error 1010001"});
  }
}

TEST_CASE("AXB bindings expire after their duration and modify restarts the timer") {
  FakePlatform platform(small_pool());
  Client client(platform.client_options());
  AxbBindRequest bind{kA, kB};
  bind.relation = kX1;
  bind.settings.duration = 600s;
  const auto id = client.axb().bind(bind).value().subscription_id;

  platform.advance_time(500s);
  AxbModifyRequest extend{id};
  extend.settings.duration = 600s;
  REQUIRE(client.axb().modify(extend).ok());
  platform.advance_time(500s);  // 1000 s after bind, 500 s after modify
  CHECK(client.axb().query(id).ok());
  platform.advance_time(101s);
  CHECK(client.axb().query(id).error().result_code == "1016001");
}

TEST_CASE("Malformed numbers and out-of-range values are refused before anything is sent") {
  FakePlatform platform(small_pool());
  Client client(platform.client_options());
  CHECK_THROWS_AS(AxbBindRequest({PhoneNumber("13800000021"), kB}), privacycall::Exception);

  AxbBindRequest bad{kA, kB};
  bad.settings.duration = std::chrono::seconds(7776001);
  auto refused = client.axb().bind(bad);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().category == ErrorCategory::kValidation);
  bad.settings.duration.reset();
  bad.settings.max_duration = std::chrono::minutes(1441);
  CHECK(client.axb().bind(bad).error().category == ErrorCategory::kValidation);
  bad.settings.max_duration.reset();
  bad.settings.user_data = "{not allowed}";
  CHECK(client.axb().bind(bad).error().category == ErrorCategory::kValidation);
  AxbBindRequest same{kA, kA};
  CHECK(client.axb().bind(same).error().category == ErrorCategory::kValidation);
  CHECK(platform.requests().empty());
}

TEST_CASE("Tones the spec types String(0-128) may be sent empty, to clear them; the others may not") {
  FakePlatform platform(small_pool());
  Client client(platform.client_options());
  AxbBindRequest bind{kA, kB};
  bind.settings.max_duration = std::chrono::minutes(30);
  bind.settings.last_min_voice = "";
  bind.settings.pre_voice = privacycall::PreVoice{std::string(), std::string()};
  REQUIRE(client.axb().bind(bind).ok());
  const nlohmann::json sent = test_support::body_of(test_support::last_request(platform));
  CHECK(sent.at("lastMinVoice") == "");
  CHECK(sent.at("preVoice").at("callerHintTone") == "");

  AxbBindRequest empty_record_tone{kA, kB};
  empty_record_tone.settings.record_hint_tone = "";  // String(1-128)
  CHECK(client.axb().bind(empty_record_tone).error().category == ErrorCategory::kValidation);
}

TEST_CASE("Text that is not UTF-8 is refused as a validation error before anything is sent") {
  FakePlatform platform(small_pool());
  Client client(platform.client_options());
  const std::string gbk = "\xC4\xE3\xBA\xC3";  // "你好" in GBK, not UTF-8
  const auto refused = [](const auto& result) {
    return !result.ok() && result.error().category == ErrorCategory::kValidation;
  };

  AxbBindRequest bind{kA, kB};
  bind.settings.user_data = gbk;
  CHECK(refused(client.axb().bind(bind)));
  AxbModifyRequest modify(SubscriptionId{gbk});
  CHECK(refused(client.axb().modify(modify)));
  privacycall::AxTemporaryCalleeRequest callee(SubscriptionId{"id"}, kB);
  callee.user_data = "ok " + gbk;
  CHECK(refused(client.ax().set_temporary_callee(callee)));
  privacycall::AxeBindRequest axe(kA, kX1);
  axe.settings.user_data = gbk;
  CHECK(refused(client.axe().bind(axe)));
  privacycall::AxybBindAxRequest axyb(kA, AreaCode("0755"));
  axyb.settings.user_data = gbk;
  CHECK(refused(client.axyb().bind_ax(axyb)));
  CHECK(refused(client.axyb().bind_yb(privacycall::AxybBindYbRequest(SubscriptionId{gbk}, kB))));
  CHECK(refused(client.calls().stop_call(privacycall::StopCallRequest(gbk))));
  // A truncated sequence and an encoded surrogate are not UTF-8 either.
  bind.settings.user_data = "\xE4\xBD";
  CHECK(refused(client.axb().bind(bind)));
  bind.settings.user_data = "\xED\xA0\x80";
  CHECK(refused(client.axb().bind(bind)));
  CHECK(platform.requests().empty());

  bind.settings.user_data = "\xE4\xBD\xA0\xE5\xA5\xBD";  // "你好" in UTF-8
  bind.relation = kX1;
  CHECK(client.axb().bind(bind).ok());
}

TEST_CASE("userData is limited to 256 characters, not 256 bytes") {
  FakePlatform platform(small_pool());
  Client client(platform.client_options());
  std::string chinese;
  for (int i = 0; i < 256; ++i) chinese += "\xE4\xBD\xA0";  // 256 times "你", 768 bytes
  AxbBindRequest bind{kA, kB};
  bind.relation = kX1;
  bind.settings.user_data = chinese + "a";
  const auto too_long = client.axb().bind(bind);
  REQUIRE_FALSE(too_long.ok());
  CHECK(too_long.error().category == ErrorCategory::kValidation);
  CHECK(platform.requests().empty());
  bind.settings.user_data = chinese;
  const auto bound = client.axb().bind(bind);
  REQUIRE(bound.ok());
  CHECK(client.axb().query(bound->subscription_id).value().bindings.at(0).user_data == chinese);
}

TEST_CASE("The platform's auth errors reach the caller as auth errors") {
  FakePlatform platform(small_pool());

  auto wrong_secret = platform.client_options();
  wrong_secret.app_secret = "not-the-secret";
  auto refused = Client(wrong_secret).axb().query(SubscriptionId{"x"});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().category == ErrorCategory::kAuth);
  CHECK(refused.error().http_status == 401);
  CHECK(refused.error().result_code == "1010010");
  CHECK_FALSE(refused.error().retryable);

  auto skewed = platform.client_options();
  skewed.clock = [] { return std::chrono::system_clock::now() - 6min; };
  refused = Client(skewed).axb().query(SubscriptionId{"x"});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().result_code == "1010013");
  CHECK(refused.error().message.find("clock") != std::string::npos);

  auto unknown_app = platform.client_options();
  unknown_app.app_key = "someone-else";
  CHECK(Client(unknown_app).axb().query(SubscriptionId{"x"}).error().result_code == "1010003");
}

TEST_CASE("The simulator answers raw requests with the documented codes") {
  FakePlatform platform(small_pool());
  const std::string path = "/rest/caas/relationnumber/partners/v1.0";
  const privacycall::Signer signer(platform.options().app_key, platform.options().app_secret);
  const auto signed_headers = [&] {
    const auto s = signer.sign();
    return privacycall::HttpHeaders{{"Authorization", s.authorization}, {s.token_header, s.token_value},
                                    {"Content-Type", "application/json;charset=UTF-8"}};
  };

  auto reply = test_support::raw_request(platform.port(), "GET", path + "?subscriptionId=x", {}, "");
  CHECK(reply.status == 400);
  CHECK(reply.result_code() == "1023006");

  const auto s = signer.sign();
  reply = test_support::raw_request(platform.port(), "GET", path + "?subscriptionId=x",
                                    {{"Authorization", s.authorization}}, "");
  CHECK(reply.status == 400);
  CHECK(reply.result_code() == "1023033");

  reply = test_support::raw_request(platform.port(), "GET", path + "?subscriptionId=x",
                                    {{"Authorization", s.authorization}, {"X-AKSK", "UsernameToken Username=\"fake-app-key\""}}, "");
  CHECK(reply.result_code() == "1023035");

  // A raw '+' in the query decodes to a space: the number is malformed (1010002, 403).
  reply = test_support::raw_request(platform.port(), "GET", path + "?relationNum=+8675500000001",
                                    signed_headers(), "");
  CHECK(reply.status == 403);
  CHECK(reply.result_code() == "1010002");
  reply = test_support::raw_request(platform.port(), "GET", path + "?relationNum=%2B8675500000001",
                                    signed_headers(), "");
  CHECK(reply.result_code() == "0");

  reply = test_support::raw_request(platform.port(), "POST", path, signed_headers(),
                                    R"({"callerNum":"13800000021","calleeNum":"+8613800000022"})");
  CHECK(reply.status == 403);
  CHECK(reply.result_code() == "1010002");
  reply = test_support::raw_request(platform.port(), "POST", path, signed_headers(),
                                    R"({"calleeNum":"+8613800000022"})");
  CHECK(reply.result_code() == "1010002");
  reply = test_support::raw_request(platform.port(), "POST", path, signed_headers(), "[1,2]");
  CHECK(reply.result_code() == "1010002");

  // subscriptionId wins over relationNum.
  reply = test_support::raw_request(platform.port(), "POST", path, signed_headers(),
                                    R"({"callerNum":"+8613800000021","calleeNum":"+8613800000022","relationNum":"+8675500000001"})");
  REQUIRE(reply.result_code() == "0");
  const std::string id = reply.json()["subscriptionId"];
  reply = test_support::raw_request(platform.port(), "GET",
                                    path + "?subscriptionId=" + id + "&relationNum=%2B8610000000001",
                                    signed_headers(), "");
  REQUIRE(reply.result_code() == "0");
  CHECK(reply.json()["relationNumList"][0]["relationNum"] == "+8675500000001");
}

TEST_CASE("One Client is safe to share between threads") {
  FakePlatform platform(small_pool());
  const Client client(platform.client_options());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        AxbBindRequest bind{PhoneNumber("+861390" + std::to_string(100000 + t * 100 + i) + "0"),
                            PhoneNumber("+861390" + std::to_string(100000 + t * 100 + i) + "1")};
        auto bound = client.axb().bind(bind);
        if (!bound || !client.axb().unbind(bound->subscription_id)) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(failures == 0);
}
