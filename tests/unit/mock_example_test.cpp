// A backend's unit test written with the SDK's gMock connections: no platform, no FakePlatform,
// no HTTP. The backend function comes first, as an application would write it; its tests follow,
// each setting what the platform answers through a MockAxbConnection.

#include <privacycall/async.hpp>
#include <privacycall/axb.hpp>
#include <privacycall/client.hpp>
#include <privacycall/testing/mock_connections.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "support/catch.hpp"
#include "support/gmock_catch.hpp"

namespace backend {

using privacycall::AreaCode;
using privacycall::AreaMatchMode;
using privacycall::PhoneNumber;

// The platform's "Insufficient number of resources": no X is free where the bind asked for one.
constexpr const char* kNoFreeNumber = "1012008";

// A masked line between a customer and a courier, as the backend stores it.
struct MaskedLine {
  std::string subscription_id;
  std::string privacy_number;
  bool outside_city = false;  // the city had no free X; the number comes from farther away
};

// Binds customer and courier to an X of the order's city for two hours. When the city has no
// free X (1012008) it binds again letting the platform look farther (areaMatchMode 1: the same
// province, then any number of the app) rather than fail the order; any other error is the
// caller's to handle.
privacycall::Result<MaskedLine> open_masked_line(const privacycall::AxbClient& axb, const PhoneNumber& customer,
                                                 const PhoneNumber& courier, const std::string& city) {
  privacycall::AxbBindRequest request(customer, courier, AreaCode(city, AreaMatchMode::kStrict));
  request.settings.duration = std::chrono::hours(2);
  privacycall::Result<privacycall::AxbBindResponse> bound = axb.bind(request);
  bool outside_city = false;
  if (!bound && bound.error().result_code == kNoFreeNumber) {
    request.relation = AreaCode(city, AreaMatchMode::kLoose);
    bound = axb.bind(request);
    outside_city = true;
  }
  if (!bound) return std::move(bound).error();
  return MaskedLine{bound->subscription_id.value, bound->relation_num.raw(), outside_city};
}

}  // namespace backend

namespace {

using ::testing::_;
using ::testing::AllOf;
using ::testing::Field;
using ::testing::InSequence;
using ::testing::InvokeArgument;
using ::testing::Optional;
using ::testing::Return;
using ::testing::StrictMock;
using ::testing::VariantWith;
using privacycall::AreaCode;
using privacycall::AreaMatchMode;
using privacycall::AxbBindingsOnNumber;
using privacycall::AxbBindRequest;
using privacycall::AxbBindResponse;
using privacycall::AxbClient;
using privacycall::AxbQueryResponse;
using privacycall::Error;
using privacycall::ErrorCategory;
using privacycall::PhoneNumber;
using privacycall::Result;
using privacycall::testing::MockAxbConnection;

const PhoneNumber kCustomer("+8613800000021");
const PhoneNumber kCourier("+8613800000022");

// A bind asking for an X of `city` with `mode`.
auto binds_in(const std::string& city, AreaMatchMode mode) {
  const auto area = AllOf(Field(&AreaCode::code, city), Field(&AreaCode::match_mode, Optional(mode)));
  return AllOf(Field(&AxbBindRequest::caller_num, kCustomer), Field(&AxbBindRequest::callee_num, kCourier),
               Field(&AxbBindRequest::relation, VariantWith<AreaCode>(area)));
}

Result<AxbBindResponse> bound_to(const std::string& x) {
  AxbBindResponse response;
  response.result_code = "0";
  response.subscription_id.value = "sub-" + x;
  response.relation_num = privacycall::WireNumber(x);
  return response;
}

Error platform_error(const std::string& result_code) {
  Error error;
  error.category = ErrorCategory::kApi;
  error.http_status = 403;
  error.result_code = result_code;
  return error;
}

}  // namespace

TEST_CASE("open_masked_line binds in the order's city when it has a free X") {
  auto axb = std::make_shared<StrictMock<MockAxbConnection>>();
  EXPECT_CALL(*axb, bind(binds_in("0755", AreaMatchMode::kStrict), _)).WillOnce(Return(bound_to("+8675500000001")));

  const auto line = backend::open_masked_line(AxbClient(axb), kCustomer, kCourier, "0755");
  REQUIRE(line.ok());
  CHECK(line->subscription_id == "sub-+8675500000001");
  CHECK(line->privacy_number == "+8675500000001");
  CHECK_FALSE(line->outside_city);
}

TEST_CASE("open_masked_line binds again farther away when the city has no free X (1012008)") {
  auto axb = std::make_shared<StrictMock<MockAxbConnection>>();
  InSequence in_order;
  EXPECT_CALL(*axb, bind(binds_in("0755", AreaMatchMode::kStrict), _)).WillOnce(Return(platform_error("1012008")));
  EXPECT_CALL(*axb, bind(binds_in("0755", AreaMatchMode::kLoose), _)).WillOnce(Return(bound_to("+8675700000009")));

  const auto line = backend::open_masked_line(AxbClient(axb), kCustomer, kCourier, "0755");
  REQUIRE(line.ok());
  CHECK(line->privacy_number == "+8675700000009");
  CHECK(line->outside_city);
}

TEST_CASE("open_masked_line gives up when no X is free anywhere, after one retry") {
  auto axb = std::make_shared<StrictMock<MockAxbConnection>>();
  EXPECT_CALL(*axb, bind(_, _)).Times(2).WillRepeatedly(Return(platform_error("1012008")));

  const auto line = backend::open_masked_line(AxbClient(axb), kCustomer, kCourier, "0755");
  REQUIRE_FALSE(line.ok());
  CHECK(line.error().result_code == "1012008");
}

TEST_CASE("open_masked_line does not retry other errors, such as a pair already bound (1012010)") {
  auto axb = std::make_shared<StrictMock<MockAxbConnection>>();
  EXPECT_CALL(*axb, bind(_, _)).WillOnce(Return(platform_error("1012010")));

  const auto line = backend::open_masked_line(AxbClient(axb), kCustomer, kCourier, "0755");
  REQUIRE_FALSE(line.ok());
  CHECK(line.error().result_code == "1012010");
}

TEST_CASE("A whole Client can be made of mock connections") {
  auto axb = std::make_shared<StrictMock<MockAxbConnection>>();
  EXPECT_CALL(*axb, bind(binds_in("010", AreaMatchMode::kStrict), _)).WillOnce(Return(bound_to("+8610000000001")));

  privacycall::ClientConnections connections;
  connections.axb = axb;
  const privacycall::Client client(connections);
  const auto line = backend::open_masked_line(client.axb(), kCustomer, kCourier, "010");
  REQUIRE(line.ok());
  CHECK(line->privacy_number == "+8610000000001");
}

TEST_CASE("The asynchronous service objects call the mock's callback form, futures included") {
  auto axb = std::make_shared<StrictMock<MockAxbConnection>>();
  AxbQueryResponse answer;
  answer.bindings.resize(2);
  EXPECT_CALL(*axb, query_async(VariantWith<privacycall::SubscriptionId>(_), _, _))
      .Times(2)
      .WillRepeatedly(InvokeArgument<1>(answer));

  const privacycall::AsyncAxbClient async_axb(axb);
  const auto from_future = async_axb.query(privacycall::SubscriptionId{"s"}).get();
  REQUIRE(from_future.ok());
  CHECK(from_future->bindings.size() == 2);

  std::size_t from_callback = 0;
  async_axb.query(privacycall::SubscriptionId{"s"},
                  [&](Result<AxbQueryResponse> result) { from_callback = result.value().bindings.size(); });
  CHECK(from_callback == 2);
}

TEST_CASE("The AXB pager walks a mock's pages until a short one, and stops after a failed one") {
  const PhoneNumber x("+8675500000001");
  AxbBindingsOnNumber on(x);
  on.page_size = 10;
  const auto page_of = [](std::size_t bindings) {
    AxbQueryResponse page;
    page.bindings.resize(bindings);
    return Result<AxbQueryResponse>(page);
  };
  const auto page_number = [](int index) {
    return VariantWith<AxbBindingsOnNumber>(AllOf(Field(&AxbBindingsOnNumber::page_index, Optional(index)),
                                                  Field(&AxbBindingsOnNumber::page_size, Optional(10))));
  };

  SECTION("a short page is the last") {
    auto axb = std::make_shared<StrictMock<MockAxbConnection>>();
    InSequence in_order;
    EXPECT_CALL(*axb, query(page_number(1), _)).WillOnce(Return(page_of(10)));
    EXPECT_CALL(*axb, query(page_number(2), _)).WillOnce(Return(page_of(3)));
    std::vector<std::size_t> sizes;
    for (const auto& page : AxbClient(axb).query_pages(on)) sizes.push_back(page.value().bindings.size());
    CHECK(sizes == std::vector<std::size_t>{10, 3});
  }
  SECTION("a failed page ends the walk as its last element") {
    auto axb = std::make_shared<StrictMock<MockAxbConnection>>();
    InSequence in_order;
    EXPECT_CALL(*axb, query(page_number(1), _)).WillOnce(Return(page_of(10)));
    EXPECT_CALL(*axb, query(page_number(2), _))
        .WillOnce(Return(Result<AxbQueryResponse>(platform_error("1010001"))));
    std::vector<std::string> walk;
    for (const auto& page : AxbClient(axb).query_pages(on)) walk.push_back(page ? "page" : page.error().result_code);
    CHECK(walk == std::vector<std::string>{"page", "1010001"});
  }
}
