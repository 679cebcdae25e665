// Consumer of privacycall::client alone: options are validated, and a Client's request fails the
// way a closed port makes it fail.

#include <privacycall/client.hpp>
#include <privacycall/version.hpp>

#include <string>

#include "expect.hpp"

int main() {
  EXPECT(std::string(privacycall::kVersion) == PRIVACYCALL_VERSION_STRING);
  EXPECT(PRIVACYCALL_VERSION_MAJOR >= 0);

  EXPECT(!privacycall::Client::create(privacycall::ClientOptions{}).ok());

  // Nothing listens on port 1: the libcurl transport reports a transport error, never a throw.
  privacycall::ClientOptions options;
  options.base_url = "http://127.0.0.1:1";
  options.app_key = "consumer-app";
  options.app_secret = "consumer-secret";
  options.retry = privacycall::RetryPolicy::none();
  const privacycall::Client client(options);
  const auto refused = client.axb().unbind(privacycall::SubscriptionId{"no-such-binding"});
  EXPECT(!refused && refused.error().category == privacycall::ErrorCategory::kTransport);

  return consumer::result("client_consumer");
}
