// AXYB end to end: AX then YB under one subscriptionId, app_key in every query string, YB-only
// unbinds, lifetimes on simulated time.

#include <privacycall/client.hpp>
#include <privacycall/testing/fake_platform.hpp>

#include <algorithm>
#include <set>

#include "support/catch.hpp"
#include "support/raw_http.hpp"
#include "support/pager_walk.hpp"
#include "support/recorded.hpp"

using namespace std::chrono_literals;
using nlohmann::json;
using privacycall::AreaCode;
using privacycall::AxybBindAxRequest;
using privacycall::AxybBindYbRequest;
using privacycall::AxybQueryResponse;
using privacycall::AxybRelationsOnNumber;
using privacycall::AxybUnbindYbByB;
using privacycall::AxybUnbindYbByY;
using privacycall::Client;
using privacycall::ErrorCategory;
using privacycall::PhoneNumber;
using privacycall::SubscriptionId;
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
const std::string kPath = "/rest/omp/xyrelationnumber/v1.0";

FakePlatformOptions pool() {
  FakePlatformOptions options;
  options.numbers = {{"+8675500000001", "0755"}, {"+8675500000002", "0755"}, {"+8610000000001", "010"},
                     {"+8610000000002", "010"},  {"+8610000000003", "010"},  {"+8610000000004", "010"},
                     {"+8610000000005", "010"}};
  return options;
}

}  // namespace

TEST_CASE("AXYB binds AX then YB under one subscriptionId with app_key in the query string") {
  FakePlatform platform(pool());
  Client client(platform.client_options());
  AxybBindAxRequest ax(kA, AreaCode("0755"));
  ax.settings.call_direction = privacycall::CallDirection::kBoth;
  ax.settings.duration = 3600s;
  ax.settings.yb_duration = 600s;
  ax.settings.record_flag = true;
  ax.settings.record_hint_tone = "hint.wav";
  ax.settings.pre_voice_x = "x.wav";
  ax.settings.user_data = "ride-9";
  const auto bound_ax = client.axyb().bind_ax(ax).value();
  CHECK(bound_ax.relation_num.raw().rfind("+86755", 0) == 0);
  auto sent = last_request(platform);
  CHECK(sent.method == "POST");
  CHECK(sent.path == kPath);
  CHECK(sent.query == "app_key=fake-app-key");
  CHECK(body_of(sent) == json{{"origNum", "+8613800000021"},
                              {"areaCode", "0755"},
                              {"callDirection", 0},
                              {"duration", 3600},
                              {"ybDuration", 600},
                              {"recordFlag", "true"},
                              {"recordHintTone", "hint.wav"},
                              {"preVoiceX", "x.wav"},
                              {"userData", "ride-9"}});

  AxybBindYbRequest yb(bound_ax.subscription_id, kB, AreaCode("010"));
  yb.settings.pre_voice_y = "y.wav";
  const auto bound_yb = client.axyb().bind_yb(yb).value();
  CHECK(bound_yb.subscription_id == bound_ax.subscription_id);
  CHECK(bound_yb.relation_num.raw().rfind("+8610", 0) == 0);
  CHECK(bound_yb.relation_num != bound_ax.relation_num);
  sent = last_request(platform);
  CHECK(sent.query == "app_key=fake-app-key");
  CHECK(body_of(sent) == json{{"origNum", "+8613800000022"},
                              {"subscriptionId", bound_ax.subscription_id.value},
                              {"areaCode", "010"},
                              {"preVoiceY", "y.wav"}});

  const auto relations = client.axyb().query(bound_ax.subscription_id).value().relations;
  CHECK(last_request(platform).query == "app_key=fake-app-key&subscriptionId=" + bound_ax.subscription_id.value);
  REQUIRE(relations.size() == 1);
  const auto& r = relations[0];
  CHECK(r.subscription_id == bound_ax.subscription_id);
  CHECK(r.num_a == kA.str());
  CHECK(r.num_x == bound_ax.relation_num);
  CHECK(r.num_y == bound_yb.relation_num);
  CHECK(r.num_b == kB.str());
  CHECK(r.record_flag == true);
  CHECK(r.duration == 3600s);
  CHECK(r.yb_duration == 600s);
  CHECK(r.pre_voice_x == "x.wav");
  CHECK(r.pre_voice_y == "y.wav");
  CHECK(r.user_data == "ride-9");
  CHECK(r.subscribe_time);

  const PhoneNumber x = bound_ax.relation_num.phone().value();
  CHECK(client.axyb().query(AxybRelationsOnNumber(x)).value().relations.size() == 1);
  CHECK(last_request(platform).query == "app_key=fake-app-key&relationNum=%2B" + x.str().substr(1));
}

TEST_CASE("AXYB unbinds one YB leg by Y or by B, or the whole relation") {
  FakePlatform platform(pool());
  Client client(platform.client_options());
  const auto id = client.axyb().bind_ax(AxybBindAxRequest(kA, AreaCode("0755"))).value().subscription_id;
  const auto y_b = client.axyb().bind_yb(AxybBindYbRequest(id, kB)).value().relation_num;
  const auto y_c = client.axyb().bind_yb(AxybBindYbRequest(id, kC)).value().relation_num;
  CHECK(y_b != y_c);
  CHECK(client.axyb().bind_yb(AxybBindYbRequest(id, kB)).error().result_code == "1016002");
  CHECK(client.axyb().bind_yb(AxybBindYbRequest(id, kA)).error().result_code == "1010002");
  CHECK(client.axyb().query(id).value().relations.size() == 2);

  REQUIRE(client.axyb().unbind(AxybUnbindYbByY(id, y_b.phone().value())).ok());
  auto sent = last_request(platform);
  CHECK(sent.method == "DELETE");
  CHECK(sent.query == "app_key=fake-app-key&subscriptionId=" + id.value + "&yNum=%2B" + y_b.raw().substr(1));
  auto left = client.axyb().query(id).value().relations;
  REQUIRE(left.size() == 1);
  CHECK(left[0].num_b == kC.str());

  REQUIRE(client.axyb().unbind(AxybUnbindYbByB(id, kC)).ok());
  CHECK(last_request(platform).query == "app_key=fake-app-key&subscriptionId=" + id.value + "&bNum=%2B8613800000023");
  left = client.axyb().query(id).value().relations;
  REQUIRE(left.size() == 1);  // AX remains, with no Y or B
  CHECK(left[0].num_y.empty());
  CHECK(client.axyb().unbind(AxybUnbindYbByB(id, kC)).error().result_code == "1016001");

  REQUIRE(client.axyb().unbind(id).ok());
  CHECK(last_request(platform).query == "app_key=fake-app-key&subscriptionId=" + id.value);
  CHECK(client.axyb().query(id).error().result_code == "1016001");
  CHECK(client.axyb().unbind(id).error().result_code == "1016001");
  CHECK(client.axyb().bind_yb(AxybBindYbRequest(id, kB)).error().result_code == "1016001");
}

TEST_CASE("AXYB limits: one X per A at a time, five X per A, no free number") {
  FakePlatform platform(pool());
  Client client(platform.client_options());
  std::vector<std::string> xs;
  for (int i = 0; i < 5; ++i) {
    xs.push_back(client.axyb().bind_ax(AxybBindAxRequest(kA, AreaCode("010", privacycall::AreaMatchMode::kLoose)))
                     .value()
                     .relation_num.raw());
  }
  CHECK(std::set<std::string>(xs.begin(), xs.end()).size() == 5);  // each X serves one A
  CHECK(client.axyb().bind_ax(AxybBindAxRequest(kA, AreaCode("010"))).error().result_code == "1011003");
  // Two numbers are left; a YB needs a number that is not an X.
  const auto id = client.axyb().bind_ax(AxybBindAxRequest(kB, AreaCode("0755"))).value().subscription_id;
  const auto y = client.axyb().bind_yb(AxybBindYbRequest(id, kC)).value().relation_num.raw();
  CHECK(std::find(xs.begin(), xs.end(), y) == xs.end());
  CHECK(client.axyb().bind_ax(AxybBindAxRequest(kC, AreaCode("0755", privacycall::AreaMatchMode::kLoose)))
            .error()
            .result_code == "1012008");
}

TEST_CASE("AXYB lists the relations on an X through a one-page pager, like every list query") {
  FakePlatform platform(pool());
  Client client(platform.client_options());
  const auto bound = client.axyb().bind_ax(AxybBindAxRequest(kA, AreaCode("0755"))).value();
  const PhoneNumber x(bound.relation_num.raw());

  platform.clear_requests();
  CHECK(walk_pages(client.axyb().query_pages(AxybRelationsOnNumber(x)), &AxybQueryResponse::relations) == Walk{"1"});
  CHECK(platform.requests().size() == 1);

  privacycall::CallOptions once;
  once.retry = privacycall::RetryPolicy::none();
  platform.inject(Fault::kServerError);
  CHECK(walk_pages(client.axyb().query_pages(AxybRelationsOnNumber(x), once), &AxybQueryResponse::relations) ==
        Walk{"error 1010001"});
}

TEST_CASE("AXYB lifetimes: default 7200 s, 0 never expires, YB ends with ybDuration") {
  FakePlatform platform(pool());
  Client client(platform.client_options());
  const auto by_default = client.axyb().bind_ax(AxybBindAxRequest(kA, AreaCode("0755"))).value().subscription_id;
  AxybBindAxRequest forever(kB, AreaCode("0755"));
  forever.settings.duration = 0s;
  const auto never = client.axyb().bind_ax(forever).value().subscription_id;
  AxybBindYbRequest yb(never, kC);
  yb.settings.yb_duration = 120s;
  REQUIRE(client.axyb().bind_yb(yb).ok());

  platform.advance_time(121s);
  auto relation = client.axyb().query(never).value().relations;
  REQUIRE(relation.size() == 1);
  CHECK(relation[0].num_y.empty());  // the YB leg ended, AX stays
  platform.advance_time(7080s);      // 7201 s after bind
  CHECK(client.axyb().query(by_default).error().result_code == "1016001");
  CHECK(client.axyb().query(never).ok());

  platform.clear_requests();
  AxybBindAxRequest bad(kC, AreaCode("0755"));
  bad.settings.duration = 59s;
  CHECK(client.axyb().bind_ax(bad).error().category == ErrorCategory::kValidation);
  bad.settings.duration = 7776001s;
  CHECK(client.axyb().bind_ax(bad).error().category == ErrorCategory::kValidation);
  bad.settings.duration.reset();
  bad.settings.yb_duration = 30s;
  CHECK(client.axyb().bind_ax(bad).error().category == ErrorCategory::kValidation);
  CHECK(platform.requests().empty());
}

TEST_CASE("AXYB requires and checks app_key in the query string") {
  FakePlatform platform(pool());
  const privacycall::Signer signer(platform.options().app_key, platform.options().app_secret);
  const auto headers = [&] {
    const auto s = signer.sign();
    return privacycall::HttpHeaders{{"Authorization", s.authorization}, {s.token_header, s.token_value},
                                    {"Content-Type", "application/json;charset=UTF-8"}};
  };
  const std::string body = R"({"origNum":"+8613800000021","areaCode":"0755"})";
  auto reply = test_support::raw_request(platform.port(), "POST", kPath, headers(), body);
  CHECK(reply.status == 403);
  CHECK(reply.result_code() == "1010002");
  reply = test_support::raw_request(platform.port(), "POST", kPath + "?app_key=another-app", headers(), body);
  CHECK(reply.result_code() == "1010003");
  reply = test_support::raw_request(platform.port(), "POST", kPath + "?app_key=fake-app-key", headers(), body);
  CHECK(reply.result_code() == "0");
  reply = test_support::raw_request(platform.port(), "GET", kPath + "?subscriptionId=x", headers(), "");
  CHECK(reply.result_code() == "1010002");
  reply = test_support::raw_request(platform.port(), "DELETE", kPath + "?subscriptionId=x", headers(), "");
  CHECK(reply.result_code() == "1010002");
}
