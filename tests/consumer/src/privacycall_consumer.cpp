// Consumer of the umbrella privacycall::privacycall: it brings both the client and the webhook.

#include <privacycall/client.hpp>
#include <privacycall/webhook/parse.hpp>

#include <variant>

#include "expect.hpp"

int main() {
  // A Client from valid options: the client's symbols resolve through the umbrella.
  privacycall::ClientOptions options;
  options.base_url = "http://127.0.0.1:1";
  options.app_key = "consumer-app";
  options.app_secret = "consumer-secret";
  EXPECT(privacycall::Client::create(options).ok());

  const auto parsed = privacycall::webhook::parse_notification(R"({"eventType":"answer","statusInfo":{}})");
  EXPECT(parsed && std::holds_alternative<privacycall::webhook::CallEvent>(*parsed));

  return consumer::result("privacycall_consumer");
}
