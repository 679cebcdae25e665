// The asynchronous API: many calls in flight from one thread, retries without sleeping
// threads, and clean cancellation when the client goes away.

#include <privacycall/client.hpp>
#include <privacycall/testing/fake_platform.hpp>

#include <optional>
#include <vector>

#include "support/catch.hpp"

using namespace std::chrono_literals;
using privacycall::AxbBindingsOnNumber;
using privacycall::AxbBindRequest;
using privacycall::Client;
using privacycall::ErrorCategory;
using privacycall::PhoneNumber;
using privacycall::RetryPolicy;
using privacycall::testing::Fault;
using privacycall::testing::FakePlatform;

namespace {

const PhoneNumber kX("+8675500000001");

privacycall::ClientOptions fast_options(const FakePlatform& platform) {
  auto options = platform.client_options();
  options.retry.initial_backoff = 1ms;
  options.retry.max_backoff = 2ms;
  options.retry.flow_control_backoff = 1ms;
  options.retry.max_attempts = 4;
  return options;
}

PhoneNumber user(int i) { return PhoneNumber("+86139" + std::to_string(10000000 + i)); }

}  // namespace

TEST_CASE("Hundreds of calls in flight from one thread all complete") {
  privacycall::testing::FakePlatformOptions options;
  options.threads = 32;
  FakePlatform platform(options);
  const Client client(fast_options(platform));
  std::vector<privacycall::Future<privacycall::AxbBindResponse>> binds;
  for (int i = 0; i < 200; ++i) {
    AxbBindRequest request(user(2 * i), user(2 * i + 1));
    request.relation = kX;
    binds.push_back(client.async().axb().bind(request));
  }
  std::vector<privacycall::Future<privacycall::ApiResponse>> unbinds;
  for (auto& bind : binds) {
    auto bound = bind.get();
    REQUIRE(bound.ok());
    unbinds.push_back(client.async().axb().unbind(bound->subscription_id));
  }
  for (auto& unbind : unbinds) CHECK(unbind.get().ok());
  CHECK(client.axb().query(AxbBindingsOnNumber(kX)).value().bindings.empty());
  CHECK(platform.requests().size() == 401);
}

TEST_CASE("Async queries retry through 503s and async binds are not re-sent") {
  FakePlatform platform;
  const Client client(fast_options(platform));
  platform.inject(Fault::kServerError, 2);
  CHECK(client.async().axb().query(AxbBindingsOnNumber(kX)).get().ok());
  CHECK(platform.requests().size() == 3);

  platform.clear_requests();
  platform.inject(Fault::kDropAfterProcessing);
  AxbBindRequest request(user(1), user(2));
  request.relation = kX;
  const auto bound = client.async().axb().bind(request).get();
  REQUIRE_FALSE(bound.ok());
  CHECK(bound.error().category == ErrorCategory::kTransport);
  CHECK(platform.requests().size() == 1);
}

TEST_CASE("Invalid async requests fail at once and send nothing") {
  FakePlatform platform;
  const Client client(platform.client_options());
  AxbBindRequest same(user(1), user(1));
  auto future = client.async().axb().bind(same);
  REQUIRE(future.wait_for(0s) == std::future_status::ready);
  CHECK(future.get().error().category == ErrorCategory::kValidation);
  CHECK(platform.requests().empty());
}

TEST_CASE("Pending async calls complete as cancelled when the client goes away") {
  privacycall::testing::FakePlatformOptions slow;
  slow.faults.latency = 3s;
  FakePlatform platform(slow);
  std::vector<privacycall::Future<privacycall::AxbQueryResponse>> pending;
  {
    auto options = platform.client_options();
    options.retry = RetryPolicy::none();
    const Client client(options);
    for (int i = 0; i < 4; ++i) pending.push_back(client.async().axb().query(AxbBindingsOnNumber(kX)));
  }  // the last Client is gone: its transport cancels what is pending
  const auto started = std::chrono::steady_clock::now();
  for (auto& future : pending) {
    const auto result = future.get();
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().category == ErrorCategory::kTransport);
    CHECK(result.error().message.find("cancelled") != std::string::npos);
  }
  CHECK(std::chrono::steady_clock::now() - started < 2s);
}

TEST_CASE("A custom transport without send_async works through the default") {
  class Counting : public privacycall::HttpTransport {
   public:
    privacycall::Result<privacycall::HttpResponse> send(const privacycall::HttpRequest& request) override {
      ++calls;
      return real->send(request);
    }
    std::shared_ptr<privacycall::HttpTransport> real = privacycall::make_curl_transport();
    std::atomic<int> calls{0};
  };
  FakePlatform platform;
  auto options = platform.client_options();
  auto transport = std::make_shared<Counting>();
  options.transport = transport;
  CHECK(Client(options).async().axb().query(AxbBindingsOnNumber(kX)).get().ok());
  CHECK(transport->calls == 1);
}
