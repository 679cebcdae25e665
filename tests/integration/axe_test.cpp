// AXE end to end: extensions, expiries on simulated time, v1/v2 queries with the cursor pager,
// binding counts, and the exact wire form.

#include <privacycall/client.hpp>
#include <privacycall/testing/fake_platform.hpp>

#include <atomic>
#include <future>
#include <set>

#include "support/catch.hpp"
#include "support/pager_walk.hpp"
#include "support/recorded.hpp"
#include "support/scripted_transport.hpp"

using namespace std::chrono_literals;
using nlohmann::json;
using privacycall::AreaCode;
using privacycall::AxeBindingCountResponse;
using privacycall::AxeBindingKey;
using privacycall::AxeBindingsOnNumber;
using privacycall::AxeBindRequest;
using privacycall::AxeCountPage;
using privacycall::AxeExtension;
using privacycall::AxeModifyRequest;
using privacycall::AxeQueryV2Request;
using privacycall::AxeQueryV2Response;
using privacycall::AxeTimeUnit;
using privacycall::Client;
using privacycall::ErrorCategory;
using privacycall::PhoneNumber;
using privacycall::SubscriptionId;
using privacycall::testing::FakePlatform;
using privacycall::testing::FakePlatformOptions;
using privacycall::testing::Fault;
using privacycall_test::scripted;
using privacycall_test::ScriptedTransport;
using test_support::body_of;
using test_support::last_request;
using test_support::walk_pages;
using Walk = std::vector<std::string>;

namespace {

const PhoneNumber kA("+8613800000021");
const PhoneNumber kB("+8613800000022");
const PhoneNumber kC("+8613800000023");
const PhoneNumber kX1("+8675500000001");

FakePlatformOptions pool(int max_extensions = 9999) {
  FakePlatformOptions options;
  options.numbers = {{"+8675500000001", "0755"}, {"+8610000000001", "010"}};
  options.max_axe_extensions_per_number = max_extensions;
  return options;
}

PhoneNumber user(int i) { return PhoneNumber("+86139000" + std::to_string(10000 + i)); }

}  // namespace

TEST_CASE("AXE bind assigns free extensions, honours chosen ones and refuses taken ones") {
  FakePlatform platform(pool(3));
  Client client(platform.client_options());
  const auto first = client.axe().bind(AxeBindRequest(kA, kX1)).value();
  CHECK(first.extend_num == "0001");
  CHECK(first.virtual_num == kX1.str());
  CHECK(first.bind_num == kA.str());
  const auto sent = last_request(platform);
  CHECK(sent.method == "POST");
  CHECK(sent.path == "/rest/caas/extendnumber/v1.0");
  CHECK(body_of(sent) == json{{"bindNum", "+8613800000021"}, {"virtualNum", "+8675500000001"}});

  AxeBindRequest chosen(kB, kX1);
  chosen.extend_num = "0002";
  CHECK(client.axe().bind(chosen).value().extend_num == "0002");

  AxeBindRequest taken(kC, kX1);
  taken.extend_num = "0001";
  auto refused = client.axe().bind(taken);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().result_code == "1012010");
  CHECK(client.axe().bind(AxeBindRequest(kA, kX1)).error().result_code == "1016002");  // A twice on X

  CHECK(client.axe().bind(AxeBindRequest(kC, kX1)).value().extend_num == "0003");
  auto full = client.axe().bind(AxeBindRequest(user(1), kX1));
  REQUIRE_FALSE(full.ok());
  CHECK(full.error().result_code == "1020167");
  // Freeing an extension makes room again, and the freed one is handed out.
  REQUIRE(client.axe().unbind(AxeExtension(kX1, "0002")).ok());
  CHECK(client.axe().bind(AxeBindRequest(user(1), kX1)).value().extend_num == "0002");

  CHECK(client.axe().bind(AxeBindRequest(kA, PhoneNumber("+8617099999999"))).error().result_code == "1012001");
  CHECK(client.axe().bind(AxeBindRequest(kA, AreaCode("021"))).error().result_code == "1012008");
}

TEST_CASE("AXE bind by area sends areaCode and settings with a derived timeUnit") {
  FakePlatform platform(pool());
  Client client(platform.client_options());
  AxeBindRequest bind(kA, AreaCode("010", privacycall::AreaMatchMode::kLoose));
  bind.extend_num = "12";
  auto& s = bind.settings;
  s.display_num_mode = privacycall::DisplayNumber::kRealCaller;
  s.record_flag = false;
  s.record_hint_tone = "hint.wav";
  s.callback_tone = "nobody.wav";
  s.callback_num = kC;
  s.bind_expired_time = 48h;
  s.callback_expired_time = 2h;
  s.user_data = "shop-1";
  const auto bound = client.axe().bind(bind).value();
  CHECK(bound.virtual_num == "+8610000000001");
  CHECK(body_of(last_request(platform)) == json{{"bindNum", "+8613800000021"},
                                                {"areaCode", "010"},
                                                {"areaMatchMode", "1"},
                                                {"extendNum", "12"},
                                                {"displayNumMode", "1"},
                                                {"recordFlag", "false"},
                                                {"recordHintTone", "hint.wav"},
                                                {"callbackTone", "nobody.wav"},
                                                {"callbackNum", "+8613800000023"},
                                                {"timeUnit", "0"},
                                                {"bindExpiredTime", 48},
                                                {"callbackExpiredTime", 2},
                                                {"userData", "shop-1"}});

  const auto b = client.axe().query(bound.subscription_id).value().binding;
  CHECK(b.extend_num == "12");
  CHECK(b.display_num_mode == privacycall::DisplayNumber::kRealCaller);
  CHECK(b.callback_num == kC.str());
  CHECK(b.time_unit == AxeTimeUnit::kHours);
  CHECK(b.bind_expired_time == 48h);
  CHECK(b.callback_expired_time == 2h);
  CHECK(b.user_data == "shop-1");

  // Not whole hours: sent in minutes.
  AxeBindRequest minutes(kB, kX1);
  minutes.settings.bind_expired_time = 90min;
  REQUIRE(client.axe().bind(minutes).ok());
  CHECK(body_of(last_request(platform)) ==
        json{{"bindNum", "+8613800000022"}, {"virtualNum", "+8675500000001"}, {"timeUnit", "1"}, {"bindExpiredTime", 90}});

  platform.clear_requests();
  AxeBindRequest bad(kC, kX1);
  bad.settings.time_unit = AxeTimeUnit::kHours;
  bad.settings.bind_expired_time = 90min;
  CHECK(client.axe().bind(bad).error().category == ErrorCategory::kValidation);
  bad.settings = {};
  bad.extend_num = "12345";
  CHECK(client.axe().bind(bad).error().category == ErrorCategory::kValidation);
  bad.extend_num = "1a";
  CHECK(client.axe().bind(bad).error().category == ErrorCategory::kValidation);
  CHECK(platform.requests().empty());
}

TEST_CASE("AXE bindings expire by timeUnit on simulated time") {
  FakePlatform platform(pool());
  Client client(platform.client_options());
  AxeBindRequest hours(kA, kX1);
  hours.settings.bind_expired_time = 2h;
  const auto by_hours = client.axe().bind(hours).value().subscription_id;
  AxeBindRequest minutes(kB, kX1);
  minutes.settings.time_unit = AxeTimeUnit::kMinutes;
  minutes.settings.bind_expired_time = 30min;
  const auto by_minutes = client.axe().bind(minutes).value().subscription_id;
  CHECK(body_of(last_request(platform))["timeUnit"] == "1");

  platform.advance_time(29min);
  CHECK(client.axe().query(by_minutes).ok());
  platform.advance_time(2min);
  CHECK(client.axe().query(by_minutes).error().result_code == "1016001");
  CHECK(client.axe().query(by_hours).ok());
  platform.advance_time(90min);  // 2 h 1 min after bind
  CHECK(client.axe().query(by_hours).error().result_code == "1016001");
}

TEST_CASE("AXE modify changes settings - query keeps showing the bind's expiry as documented") {
  FakePlatform platform(pool());
  Client client(platform.client_options());
  AxeBindRequest bind(kA, kX1);
  bind.settings.bind_expired_time = 1h;
  const auto bound = client.axe().bind(bind).value();

  AxeModifyRequest modify{AxeExtension(kX1, bound.extend_num)};
  modify.settings.display_num_mode = privacycall::DisplayNumber::kPrivacyNumber;
  modify.settings.callback_tone = "later.wav";
  modify.settings.bind_expired_time = 3h;
  REQUIRE(client.axe().modify(modify).ok());
  const auto sent = last_request(platform);
  CHECK(sent.method == "PUT");
  CHECK(body_of(sent) == json{{"virtualNum", "+8675500000001"},
                              {"extendNum", bound.extend_num},
                              {"displayNumMode", "0"},
                              {"callbackTone", "later.wav"},
                              {"timeUnit", "0"},
                              {"bindExpiredTime", 3}});
  const auto b = client.axe().query(AxeExtension(kX1, bound.extend_num)).value().binding;
  CHECK(last_request(platform).query == "virtualNum=%2B8675500000001&extendNum=" + bound.extend_num);
  CHECK(b.display_num_mode == privacycall::DisplayNumber::kPrivacyNumber);
  CHECK(b.callback_tone == "later.wav");
  CHECK(b.bind_expired_time == 1h);  // the bind's value
  platform.advance_time(2h);          // past the bind's hour, within the modified three
  CHECK(client.axe().query(bound.subscription_id).ok());
  CHECK(client.axe().modify(AxeModifyRequest(SubscriptionId{"nope"})).error().result_code == "1016001");
}

namespace {

// Binds seven users on kX1; returns their subscription IDs.
std::set<std::string> bind_seven_on_x1(const Client& client) {
  std::set<std::string> bound;
  for (int i = 0; i < 7; ++i) bound.insert(client.axe().bind(AxeBindRequest(user(i), kX1)).value().subscription_id.value);
  return bound;
}

}  // namespace

TEST_CASE("AXE v2.0 query pages through every binding on X with the cursor pager") {
  FakePlatform platform(pool());
  Client client(platform.client_options());
  const std::set<std::string> bound = bind_seven_on_x1(client);

  platform.clear_requests();
  auto pager = client.axe().query_pages(AxeBindingsOnNumber(kX1), 3);
  std::vector<std::size_t> sizes;
  std::set<std::string> seen;
  while (!pager.done()) {
    const auto page = pager.next().value();
    sizes.push_back(page.bindings.size());
    for (const auto& b : page.bindings) seen.insert(b.subscription_id.value);
  }
  CHECK(sizes == std::vector<std::size_t>{3, 3, 1});
  CHECK(seen == bound);
  const auto requests = platform.requests();
  REQUIRE(requests.size() == 3);
  CHECK(requests[0].path == "/rest/caas/extendnumber/v2.0");
  CHECK(requests[0].query == "virtualNum=%2B8675500000001&limit=3");
  CHECK(requests[1].query.rfind("virtualNum=%2B8675500000001&cursor=", 0) == 0);
  CHECK(pager.next().error().category == ErrorCategory::kValidation);  // nothing after the last page

  const auto all = client.axe().query_all(AxeBindingsOnNumber(kX1), 2).value();
  CHECK(all.size() == 7);

  // The same pager as a range-for; a page that fails is the walk's last element.
  CHECK(walk_pages(client.axe().query_pages(AxeBindingsOnNumber(kX1), 3), &AxeQueryV2Response::bindings) ==
        Walk{"3", "3", "1"});
  privacycall::CallOptions once;
  once.retry = privacycall::RetryPolicy::none();
  const auto fail_second = [&](std::size_t) { platform.inject(Fault::kServerError); };
  CHECK(walk_pages(client.axe().query_pages(AxeBindingsOnNumber(kX1), 3, once), &AxeQueryV2Response::bindings,
                   fail_second) == Walk{"3", "error 1010001"});

  // Single-binding v2.0 queries.
  AxeQueryV2Request one{SubscriptionId{*bound.begin()}};
  const auto single = client.axe().query_v2(one).value();
  REQUIRE(single.bindings.size() == 1);
  CHECK(single.bindings[0].subscription_id.value == *bound.begin());
  CHECK_FALSE(single.next_cursor);
  const auto by_extension = client.axe().query_v2(AxeQueryV2Request(AxeExtension(kX1, "0003"))).value();
  REQUIRE(by_extension.bindings.size() == 1);
  CHECK(by_extension.bindings[0].extend_num == "0003");

  AxeQueryV2Request bad_cursor{AxeBindingsOnNumber(kX1)};
  bad_cursor.cursor = "123_4";
  CHECK(client.axe().query_v2(bad_cursor).error().category == ErrorCategory::kValidation);
}

TEST_CASE("AXE async query_all walks every v2.0 page from the loop thread, as future and as callback") {
  FakePlatform platform(pool());
  Client client(platform.client_options());
  const std::set<std::string> bound = bind_seven_on_x1(client);

  platform.clear_requests();
  const auto all = client.async().axe().query_all(AxeBindingsOnNumber(kX1), 2).get().value();
  std::set<std::string> seen;
  for (const auto& b : all) seen.insert(b.subscription_id.value);
  CHECK(all.size() == 7);
  CHECK(seen == bound);
  const auto requests = platform.requests();
  REQUIRE(requests.size() == 4);  // pages of 2, 2, 2, 1
  CHECK(requests[0].query == "virtualNum=%2B8675500000001&limit=2");
  for (std::size_t i = 1; i < requests.size(); ++i) {
    CHECK(requests[i].query.rfind("virtualNum=%2B8675500000001&cursor=", 0) == 0);
  }

  std::promise<privacycall::Result<std::vector<privacycall::AxeBinding>>> delivered;
  std::atomic<int> calls{0};
  client.async().axe().query_all(
      AxeBindingsOnNumber(kX1),
      [&](privacycall::Result<std::vector<privacycall::AxeBinding>> result) {
        calls.fetch_add(1);
        delivered.set_value(std::move(result));
      },
      3);
  const auto by_callback = delivered.get_future().get();
  REQUIRE(by_callback.ok());
  CHECK(by_callback->size() == 7);
  CHECK(calls.load() == 1);

  // A failed page ends the walk with its Error.
  privacycall::CallOptions once;
  once.retry = privacycall::RetryPolicy::none();
  platform.clear_requests();
  platform.inject(privacycall::testing::Fault::kServerError, 1);
  const auto failed = client.async().axe().query_all(AxeBindingsOnNumber(kX1), 2, once).get();
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().http_status == 503);
  CHECK(platform.requests().size() == 1);
}

// v2.0 pages from a script check decoding of either cursor spelling and the pager's loop guard
// without a platform.
TEST_CASE("AXE v2.0 decoding accepts nextCusor and nextCursor and guards against a repeated cursor") {
  auto transport = std::make_shared<ScriptedTransport>(std::vector<std::string>{
      R"({"resultcode":"0","resultdesc":"ok","items":[{"subscriptionId":"a","extendNum":"1"}],"nextCusor":"0000000000001_1"})",
      R"({"resultcode":"0","resultdesc":"ok","list":[{"subscriptionId":"b"}],"nextCursor":"0000000000002_2"})",
      R"({"resultcode":"0","resultdesc":"ok","list":[{"subscriptionId":"c"}]})"});
  Client client(scripted(transport));
  const auto all = client.axe().query_all(AxeBindingsOnNumber(kX1)).value();
  REQUIRE(all.size() == 3);
  CHECK(all[0].extend_num == "1");
  CHECK(all[2].subscription_id.value == "c");
  REQUIRE(transport->urls.size() == 3);
  CHECK(transport->urls[1].find("cursor=0000000000001_1") != std::string::npos);
  CHECK(transport->urls[2].find("cursor=0000000000002_2") != std::string::npos);

  auto looping = std::make_shared<ScriptedTransport>(std::vector<std::string>{
      R"({"resultcode":"0","bindList":[{"subscriptionId":"a"}],"nextCusor":"0000000000001_1"})"});
  auto loop = Client(scripted(looping)).axe().query_all(AxeBindingsOnNumber(kX1));
  REQUIRE_FALSE(loop.ok());
  CHECK(loop.error().category == ErrorCategory::kDecode);

  auto async_loop = Client(scripted(looping)).async().axe().query_all(AxeBindingsOnNumber(kX1)).get();
  REQUIRE_FALSE(async_loop.ok());
  CHECK(async_loop.error().category == ErrorCategory::kDecode);

  auto async_transport = std::make_shared<ScriptedTransport>(std::vector<std::string>{
      R"({"resultcode":"0","items":[{"subscriptionId":"a"}],"nextCusor":"0000000000001_1"})",
      R"({"resultcode":"0","list":[{"subscriptionId":"b"}]})"});
  const auto async_all = Client(scripted(async_transport)).async().axe().query_all(AxeBindingsOnNumber(kX1)).get();
  REQUIRE(async_all.ok());
  REQUIRE(async_all->size() == 2);
  CHECK((*async_all)[1].subscription_id.value == "b");
}

TEST_CASE("AXE expiries out of any usable range read as absent instead of overflowing") {
  auto transport = std::make_shared<ScriptedTransport>(std::vector<privacycall_test::ScriptedAnswer>{
      {200, R"({"resultcode":"0","subscriptionId":"a","bindExpiredTime":1e300,)"
            R"("callbackExpiredTime":"999999999999999999","timeUnit":"0"})"}});
  const auto answer = Client(scripted(transport)).axe().query(SubscriptionId{"a"});
  REQUIRE(answer.ok());
  CHECK(answer->binding.subscription_id.value == "a");
  CHECK_FALSE(answer->binding.bind_expired_time);      // a double beyond long long
  CHECK_FALSE(answer->binding.callback_expired_time);  // hours whose minutes overflow
}

TEST_CASE("AXE binding counts: one number, and the app's numbers page by page") {
  FakePlatformOptions options;
  for (int i = 0; i < 10; ++i) options.numbers.push_back({"+867550000001" + std::to_string(i), "0755"});
  FakePlatform platform(options);
  Client client(platform.client_options());
  const PhoneNumber x("+8675500000013");
  for (int i = 0; i < 3; ++i) REQUIRE(client.axe().bind(AxeBindRequest(user(i), x)).ok());

  const auto one = client.axe().count(x).value();
  const auto sent = last_request(platform);
  CHECK(sent.method == "GET");
  CHECK(sent.path == "/rest/caas/virtualnumber/v1.0");
  CHECK(sent.query == "number=%2B8675500000013");
  REQUIRE(one.numbers.size() == 1);
  CHECK(one.numbers[0].number == x.str());
  CHECK(one.numbers[0].count == 3);
  CHECK_FALSE(one.next_cursor);

  AxeCountPage first;
  first.limit = 4;
  const auto page = client.axe().count(first).value();
  CHECK(last_request(platform).query == "limit=4");
  CHECK(page.numbers.size() == 4);
  CHECK(page.next_cursor == "4");

  auto pager = client.axe().count_pages(4);
  std::size_t numbers = 0;
  long long total = 0;
  int pages = 0;
  while (!pager.done()) {
    const auto counts = pager.next().value();
    ++pages;
    numbers += counts.numbers.size();
    for (const auto& n : counts.numbers) total += n.count.value_or(0);
  }
  CHECK(pages == 3);
  CHECK(numbers == 10);
  CHECK(total == 3);
  CHECK(last_request(platform).query == "cursor=8&limit=4");
  CHECK(walk_pages(client.axe().count_pages(4), &AxeBindingCountResponse::numbers) == Walk{"4", "4", "2"});

  for (const auto& counts : {client.axe().count_all(4), client.async().axe().count_all(4).get()}) {
    REQUIRE(counts.ok());
    CHECK(counts->size() == 10);
    long long sum = 0;
    for (const auto& n : *counts) sum += n.count.value_or(0);
    CHECK(sum == 3);
  }
  CHECK(last_request(platform).query == "cursor=8&limit=4");

  AxeCountPage bad;
  bad.limit = 101;
  CHECK(client.axe().count(bad).error().category == ErrorCategory::kValidation);
  bad.limit.reset();
  bad.cursor = "-1";
  CHECK(client.axe().count(bad).error().category == ErrorCategory::kValidation);
  CHECK(client.axe().count(PhoneNumber("+8617099999999")).error().result_code == "1012001");
}

TEST_CASE("AXE unbind by X+E or by ID - unknown bindings are refused") {
  FakePlatform platform(pool());
  Client client(platform.client_options());
  const auto first = client.axe().bind(AxeBindRequest(kA, kX1)).value();
  const auto second = client.axe().bind(AxeBindRequest(kB, kX1)).value();
  REQUIRE(client.axe().unbind(AxeExtension(kX1, first.extend_num)).ok());
  const auto sent = last_request(platform);
  CHECK(sent.method == "DELETE");
  CHECK(sent.path == "/rest/caas/extendnumber/v1.0");
  CHECK(sent.query == "virtualNum=%2B8675500000001&extendNum=0001");
  CHECK(client.axe().unbind(AxeExtension(kX1, first.extend_num)).error().result_code == "1016001");
  REQUIRE(client.axe().unbind(second.subscription_id).ok());
  CHECK(last_request(platform).query == "subscriptionId=" + second.subscription_id.value);
  CHECK(client.axe().unbind(second.subscription_id).error().result_code == "1016001");
}
