// Retries follow idempotency, proven against injected faults on a real loopback connection.

#include <privacycall/client.hpp>
#include <privacycall/testing/fake_platform.hpp>

#include <atomic>

#include "support/catch.hpp"
#include "support/refusing_port.hpp"
#include "support/scripted_transport.hpp"
#include "support/unresponsive_port.hpp"

using namespace std::chrono_literals;
using privacycall::AxbBindingsOnNumber;
using privacycall::AxbBindRequest;
using privacycall::CallOptions;
using privacycall::Client;
using privacycall::ErrorCategory;
using privacycall::PhoneNumber;
using privacycall::RetryPolicy;
using privacycall::SubscriptionId;
using privacycall::testing::Fault;
using privacycall::testing::FakePlatform;

namespace {

const PhoneNumber kA("+8613800000021");
const PhoneNumber kB("+8613800000022");
const PhoneNumber kX("+8675500000001");

RetryPolicy fast_retries(int attempts = 4) {
  RetryPolicy policy;
  policy.max_attempts = attempts;
  policy.initial_backoff = 1ms;
  policy.max_backoff = 5ms;
  policy.flow_control_backoff = 1ms;
  policy.max_elapsed = 10s;
  return policy;
}

privacycall::ClientOptions options_for(const FakePlatform& platform) {
  auto options = platform.client_options();
  options.retry = fast_retries();
  return options;
}

// A client of a server that is not a FakePlatform.
privacycall::ClientOptions options_at(std::string base_url) {
  privacycall::ClientOptions options;
  options.base_url = std::move(base_url);
  options.app_key = "k";
  options.app_secret = "s";
  return options;
}

AxbBindRequest bind_on_x() {
  AxbBindRequest request(kA, kB);
  request.relation = kX;
  return request;
}

std::size_t binds_on_x(const Client& client) {
  CallOptions no_retry{RetryPolicy::none(), std::nullopt};
  return client.axb().query(AxbBindingsOnNumber(kX), no_retry).value().bindings.size();
}

// Fails the first call as a refused connection would, then delegates to libcurl.
class RefuseFirstConnect : public privacycall::HttpTransport {
 public:
  privacycall::Result<privacycall::HttpResponse> send(const privacycall::HttpRequest& request) override {
    if (calls_++ == 0) {
      privacycall::Error error;
      error.category = ErrorCategory::kTransport;
      error.message = "Couldn't connect to server";
      error.retryable = true;  // nothing left this machine
      return error;
    }
    return real_->send(request);
  }
  std::atomic<int> calls_{0};

 private:
  std::shared_ptr<privacycall::HttpTransport> real_ = privacycall::make_curl_transport();
};

}  // namespace

TEST_CASE("A query rides through a burst of 503s") {
  FakePlatform platform;
  const Client client(options_for(platform));
  platform.inject(Fault::kServerError, 3);
  const auto result = client.axb().query(AxbBindingsOnNumber(kX));
  REQUIRE(result.ok());
  CHECK(platform.requests().size() == 4);
}

TEST_CASE("A query gives up after max_attempts and reports the last error") {
  FakePlatform platform;
  const Client client(options_for(platform));
  platform.inject(Fault::kServerError, 10);
  const auto result = client.axb().query(AxbBindingsOnNumber(kX));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().http_status == 503);
  CHECK(result.error().retryable);
  CHECK(platform.requests().size() == 4);
}

TEST_CASE("Modify and unbind retry through dropped and truncated answers") {
  FakePlatform platform;
  const Client client(options_for(platform));
  const auto id = client.axb().bind(bind_on_x()).value().subscription_id;
  platform.clear_requests();

  platform.inject(Fault::kDropBeforeProcessing);
  platform.inject(Fault::kTruncatedBody);
  privacycall::AxbModifyRequest modify(id);
  modify.settings.user_data = "retried";
  REQUIRE(client.axb().modify(modify).ok());
  CHECK(platform.requests().size() == 3);

  platform.inject(Fault::kDropAfterProcessing);  // unbound, but the answer is lost
  const auto unbound = client.axb().unbind(id);
  // The retry finds the binding gone: the caller learns it no longer exists.
  REQUIRE_FALSE(unbound.ok());
  CHECK(unbound.error().result_code == "1016001");
  CHECK(binds_on_x(client) == 0);
}

TEST_CASE("A bind whose request reached the platform is never sent twice") {
  FakePlatform platform;
  const Client client(options_for(platform));
  for (const Fault fault : {Fault::kDropAfterProcessing, Fault::kTruncatedBody, Fault::kServerError,
                            Fault::kDropBeforeProcessing, Fault::kFlowControl}) {
    platform.clear_requests();
    platform.inject(fault);
    const auto result = client.axb().bind(bind_on_x());
    REQUIRE_FALSE(result.ok());
    CHECK(platform.requests().size() == 1);
  }
  // The attempt dropped after processing created the binding; the truncated one was processed
  // too but refused as a repeat (1012010); the others were never processed. Had any been sent
  // twice, the count above would show it; the platform holds exactly one binding.
  CHECK(binds_on_x(client) == 1);
}

TEST_CASE("A bind is retried when the connection was never established") {
  FakePlatform platform;
  auto options = options_for(platform);
  auto transport = std::make_shared<RefuseFirstConnect>();
  options.transport = transport;
  const Client client(options);
  REQUIRE(client.axb().bind(bind_on_x()).ok());
  CHECK(transport->calls_ == 2);
  CHECK(platform.requests().size() == 1);
}

TEST_CASE("libcurl reports a refused connection as a retryable transport error") {
  const privacycall_test::RefusingPort refusing;
  auto options = options_at(refusing.base_url());
  options.retry = RetryPolicy::none();
  const auto result = Client(options).axb().bind(bind_on_x());
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().category == ErrorCategory::kTransport);
  CHECK(result.error().retryable);
}

TEST_CASE("A connect timeout is a retryable timeout error: the request never left, so even a bind may be sent again") {
  const privacycall_test::UnresponsivePort unresponsive;
  auto options = options_at(unresponsive.base_url());
  options.connect_timeout = 200ms;
  options.retry = fast_retries(2);
  std::atomic<int> attempts{0};
  options.log = [&](const privacycall::LogRecord&) { attempts.fetch_add(1); };  // one record per attempt
  const auto result = Client(options).axb().bind(bind_on_x());
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().category == ErrorCategory::kTimeout);
  CHECK(result.error().retryable);
  CHECK(attempts.load() == 2);  // the bind was sent again
}

TEST_CASE("Flow control is retried for queries but auth failures never") {
  FakePlatform platform;
  const Client client(options_for(platform));
  platform.inject(Fault::kFlowControl, 2);
  REQUIRE(client.axb().query(AxbBindingsOnNumber(kX)).ok());
  CHECK(platform.requests().size() == 3);

  platform.clear_requests();
  auto wrong = options_for(platform);
  wrong.app_secret = "wrong";
  const auto refused = Client(wrong).axb().query(AxbBindingsOnNumber(kX));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().category == ErrorCategory::kAuth);
  CHECK(platform.requests().size() == 1);
}

TEST_CASE("Flow control answered with HTTP 200 is retried for queries, never for binds") {
  const std::vector<privacycall_test::ScriptedAnswer> answers = {
      {200, R"({"resultcode":"1010010","resultdesc":"The flow control upper limit is reached on the platform."})"},
      {200, R"({"resultcode":"0","resultdesc":"Success","relationNumList":[],"subscriptionId":"s"})"}};
  auto query_transport = std::make_shared<privacycall_test::ScriptedTransport>(answers);
  auto options = privacycall_test::scripted(query_transport);
  options.retry = fast_retries();
  REQUIRE(Client(options).axb().query(AxbBindingsOnNumber(kX)).ok());
  CHECK(query_transport->urls.size() == 2);

  auto bind_transport = std::make_shared<privacycall_test::ScriptedTransport>(answers);
  options.transport = bind_transport;
  const auto bound = Client(options).axb().bind(bind_on_x());
  REQUIRE_FALSE(bound.ok());
  CHECK(bound.error().result_code == "1010010");
  CHECK(bound.error().retryable);  // for the caller to decide: the bind may have been received
  CHECK(bind_transport->urls.size() == 1);
}

TEST_CASE("A slow answer within the timeout succeeds and a late one is a timeout error") {
  privacycall::testing::FakePlatformOptions slow;
  slow.faults.slow_body_pause = 5ms;
  FakePlatform platform(slow);
  const Client client(options_for(platform));
  platform.inject(Fault::kSlowBody);
  REQUIRE(client.axb().query(AxbBindingsOnNumber(kX)).ok());

  privacycall::testing::FakePlatformOptions late;
  late.faults.latency = 300ms;
  FakePlatform laggard(late);
  CallOptions impatient{RetryPolicy::none(), 100ms};
  const auto result = Client(laggard.client_options()).axb().query(AxbBindingsOnNumber(kX), impatient);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().category == ErrorCategory::kTimeout);
}

TEST_CASE("Retries stop at max_elapsed") {
  FakePlatform platform;
  auto policy = fast_retries(100);
  policy.initial_backoff = 20ms;
  policy.max_backoff = 20ms;
  policy.max_elapsed = 150ms;
  platform.inject(Fault::kServerError, 100);
  const auto started = std::chrono::steady_clock::now();
  const auto result = Client(platform.client_options()).axb().query(AxbBindingsOnNumber(kX), CallOptions{policy, std::nullopt});
  REQUIRE_FALSE(result.ok());
  CHECK(std::chrono::steady_clock::now() - started < 2s);
  CHECK(platform.requests().size() < 100);
}
