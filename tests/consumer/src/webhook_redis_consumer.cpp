// Consumer of privacycall::webhook_redis alone, the receiver fleet's stores on Redis. It opens
// no connection (no Redis is needed) but calls into the library through its public API: a
// connection string parses into its parts, its redacted form hides the password, and a
// malformed one is a typed kValidation error that names the wrong part and not the password.
// tests/consumer/run.sh checks that libcurl is in neither its link line nor its loaded
// libraries.

#include <privacycall/error.hpp>
#include <privacycall/webhook/redis/connection.hpp>

#include <string>

#include "expect.hpp"

int main() {
  namespace redis = privacycall::webhook::redis;
  using privacycall::ErrorCategory;

  const auto endpoint = redis::parse_redis_url("redis://fleet:s%40cret@10.0.0.7:6380/2");
  EXPECT(endpoint.ok());
  if (!endpoint) return consumer::result("webhook_redis_consumer");
  EXPECT(endpoint->host == "10.0.0.7" && endpoint->port == 6380 && endpoint->database == 2);
  EXPECT(endpoint->user == "fleet" && endpoint->password == "s@cret" && !endpoint->tls);
  EXPECT(endpoint->redacted() == "redis://fleet:***@10.0.0.7:6380/2");

  const auto defaults = redis::parse_redis_url(redis::RedisConnectionOptions{}.url);
  EXPECT(defaults.ok() && defaults->port == 6379 && defaults->database == 0);

  const auto bad_port = redis::parse_redis_url("redis://:s%40cret@10.0.0.7:99999/0");
  EXPECT(!bad_port && bad_port.error().category == ErrorCategory::kValidation);
  EXPECT(!bad_port && bad_port.error().message.find("port '99999'") != std::string::npos);
  EXPECT(!bad_port && bad_port.error().message.find("cret") == std::string::npos);
  const auto bad_scheme = redis::parse_redis_url("http://10.0.0.7:6379/0");
  EXPECT(!bad_scheme && bad_scheme.error().category == ErrorCategory::kValidation &&
         bad_scheme.error().message.find("'http'") != std::string::npos);

  return consumer::result("webhook_redis_consumer");
}
