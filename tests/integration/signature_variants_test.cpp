// Every signature variant seen in the wild, in both directions over real HTTP on loopback:
// an SDK client (its headers rewritten as other clients write them) against the FakePlatform,
// and signed pushes against the webhook receiver; then the simulator pushing WSSE and
// re-pushing with the original header.

#include <privacycall/client.hpp>
#include <privacycall/testing/fake_platform.hpp>
#include <privacycall/webhook/dispatcher.hpp>
#include <privacycall/webhook/server.hpp>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>

#include "support/catch.hpp"
#include "support/raw_http.hpp"
#include "support/signature_variants.hpp"

using namespace std::chrono_literals;
using privacycall::Client;
using privacycall::PhoneNumber;
using privacycall::SignatureScheme;
using privacycall::testing::FakePlatform;
using privacycall::testing::FakePlatformOptions;
namespace webhook = privacycall::webhook;

namespace {

// The libcurl transport, sending the SDK's requests with their signature headers replaced by
// `variant`'s, freshly signed: what another client would send for the same call.
class RestylingTransport : public privacycall::HttpTransport {
 public:
  RestylingTransport(signature_variants::Variant variant, std::string key, std::string secret)
      : variant_(std::move(variant)), key_(std::move(key)), secret_(std::move(secret)) {}

  privacycall::Result<privacycall::HttpResponse> send(const privacycall::HttpRequest& request) override {
    privacycall::HttpRequest restyled = request;
    auto& headers = restyled.headers;
    headers.erase(std::remove_if(headers.begin(), headers.end(),
                                 [](const auto& header) {
                                   return header.first == "Authorization" || header.first == "X-AKSK" ||
                                          header.first == "X-WSSE";
                                 }),
                  headers.end());
    const auto h = signature_variants::sign(variant_, key_, secret_, std::chrono::system_clock::now());
    headers.emplace_back(h.authorization_name, h.authorization);
    headers.emplace_back(h.token_name, h.token);
    return inner_->send(restyled);
  }

 private:
  signature_variants::Variant variant_;
  std::string key_, secret_;
  std::shared_ptr<privacycall::HttpTransport> inner_ = privacycall::make_curl_transport();
};

FakePlatformOptions accepting_wsse() {
  FakePlatformOptions options;
  options.accept_wsse = true;
  return options;
}

}  // namespace

TEST_CASE("the simulator accepts every signature variant from a client") {
  FakePlatform platform(accepting_wsse());
  int n = 0;
  for (const auto& variant : signature_variants::all()) {
    INFO(variant.name);
    auto options = platform.client_options();
    options.transport = std::make_shared<RestylingTransport>(variant, options.app_key, options.app_secret);
    Client client(options);
    const PhoneNumber b("+861380000" + std::to_string(1000 + n++));
    const auto bound = client.axb().bind(privacycall::AxbBindRequest(PhoneNumber("+8613800000021"), b));
    CHECK(bound.ok());
  }
}

TEST_CASE("the SDK signs WSSE when asked; the simulator takes it only with accept_wsse") {
  {
    FakePlatform platform(accepting_wsse());
    auto options = platform.client_options();
    options.signature_scheme = SignatureScheme::kWsse;
    const auto bound = Client(options).axb().bind(
        privacycall::AxbBindRequest(PhoneNumber("+8613800000021"), PhoneNumber("+8613800000022")));
    CHECK(bound.ok());
    const auto requests = platform.requests();
    REQUIRE_FALSE(requests.empty());
    CHECK(privacycall::find_header(requests.back().headers, "X-WSSE") != nullptr);
  }
  FakePlatform strict;
  auto options = strict.client_options();
  options.signature_scheme = SignatureScheme::kWsse;
  const auto refused = Client(options).axb().bind(
      privacycall::AxbBindRequest(PhoneNumber("+8613800000021"), PhoneNumber("+8613800000022")));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().http_status == 400);
  // Says what came and what is accepted, not "Authorization not contained".
  CHECK(refused.error().result_desc.find("received the legacy WSSE scheme") != std::string::npos);
  CHECK(refused.error().result_desc.find("only AKSK") != std::string::npos);
}

TEST_CASE("the receiver accepts every signature variant of a push") {
  webhook::VerifierOptions verifier_options;
  verifier_options.accept_legacy_wsse = true;
  auto verifier = std::make_shared<webhook::WebhookVerifier>(verifier_options);
  verifier->add_app("push-app", "push-secret");
  std::atomic<int> delivered{0};
  webhook::WebhookHandlers handlers;
  handlers.on_call_event = [&](const webhook::CallEvent&) { delivered.fetch_add(1); };
  auto dispatcher = std::make_shared<webhook::Dispatcher>(verifier, handlers);
  webhook::WebhookServer server(dispatcher);
  const int port = server.start().value();
  int n = 0;
  for (const auto& variant : signature_variants::all()) {
    INFO(variant.name);
    const auto h = signature_variants::sign(variant, "push-app", "push-secret", std::chrono::system_clock::now());
    const std::string body = R"({"eventType":"answer","statusInfo":{"sessionId":"v-)" + std::to_string(n++) +
                             R"(","timestamp":"2019-01-24 07:03:28"}})";
    const auto reply = test_support::raw_request(
        port, "POST", "/status",
        {{"Content-Type", "application/json"}, {h.authorization_name, h.authorization}, {h.token_name, h.token}},
        body);
    CHECK(reply.status == 200);
  }
  CHECK(delivered == n);
}

TEST_CASE("the simulator pushes WSSE and re-pushes with the original header; delivered once") {
  webhook::VerifierOptions verifier_options;
  verifier_options.accept_legacy_wsse = true;
  auto verifier = std::make_shared<webhook::WebhookVerifier>(verifier_options);
  verifier->add_app("fake-app-key", "fake-app-secret");
  std::mutex mutex;
  std::map<std::string, int> events;
  int fail_disconnects = 2;
  webhook::WebhookHandlers handlers;
  handlers.on_call_event = [&](const webhook::CallEvent& e) {
    std::lock_guard<std::mutex> lock(mutex);
    if (e.event_type == privacycall::webhook::CallEventType::kDisconnect && fail_disconnects-- > 0) throw std::runtime_error("database down");
    ++events[e.event_type.raw()];
  };
  auto dispatcher = std::make_shared<webhook::Dispatcher>(verifier, handlers);
  webhook::WebhookServer server(dispatcher);
  const std::string url = "http://127.0.0.1:" + std::to_string(server.start().value());

  FakePlatformOptions options;
  options.status_url = url + "/status";
  options.push_scheme = SignatureScheme::kWsse;
  options.repush_with_original_header = true;
  options.time_scale = 60000;  // the re-push schedule in a fraction of a second
  FakePlatform platform(options);
  REQUIRE(Client(platform.client_options())
              .axb()
              .bind(privacycall::AxbBindRequest(PhoneNumber("+8613800000021"), PhoneNumber("+8613800000022"),
                                                PhoneNumber("+8675500000001")))
              .ok());
  REQUIRE(platform.simulate_call({"+8613800000021", "+8675500000001", std::nullopt, 5s}).ok());
  REQUIRE(platform.wait_for_pushes(10s));
  std::lock_guard<std::mutex> lock(mutex);
  CHECK(events["disconnect"] == 1);
  CHECK(events["answer"] == 1);
  CHECK(fail_disconnects < 0);                    // it failed twice, then went through
  CHECK(verifier->stats().repushes == 2);         // both re-pushes carried the first header
  CHECK(verifier->stats().refused.replayed == 0);
}
