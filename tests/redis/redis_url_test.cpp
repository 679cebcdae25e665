#include <privacycall/webhook/redis/connection.hpp>

#include "support/catch.hpp"

using privacycall::ErrorCategory;
using privacycall::webhook::redis::parse_redis_url;
using privacycall::webhook::redis::RedisEndpoint;

TEST_CASE("redis URL: host, port, database, user and password") {
  const RedisEndpoint plain = parse_redis_url("redis://cache.internal").value();
  CHECK(plain.host == "cache.internal");
  CHECK(plain.port == 6379);
  CHECK(plain.database == 0);
  CHECK(plain.password.empty());

  const RedisEndpoint full = parse_redis_url("redis://fleet:s%40cret:x@10.0.0.5:6380/3").value();
  CHECK(full.host == "10.0.0.5");
  CHECK(full.port == 6380);
  CHECK(full.database == 3);
  CHECK(full.user == "fleet");
  CHECK(full.password == "s@cret:x");

  const RedisEndpoint password_only = parse_redis_url("redis://:pw@[::1]:7000/").value();
  CHECK(password_only.host == "::1");
  CHECK(password_only.port == 7000);
  CHECK(password_only.user.empty());
  CHECK(password_only.password == "pw");
}

TEST_CASE("redis URL: the redacted form never holds the password") {
  const RedisEndpoint endpoint = parse_redis_url("redis://fleet:hunter2@cache:6380/2").value();
  CHECK(endpoint.redacted() == "redis://fleet:***@cache:6380/2");
  CHECK(parse_redis_url("redis://[::1]").value().redacted() == "redis://[::1]:6379/0");
}

TEST_CASE("redis URL: each mistake is a validation error naming the part") {
  const auto problem = [](const char* url) {
    const auto parsed = parse_redis_url(url);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().category == ErrorCategory::kValidation);
    CHECK(parsed.error().message.find("hunter2") == std::string::npos);
    return parsed.error().message;
  };
  CHECK(problem("http://cache:6379").find("unknown scheme 'http'") != std::string::npos);
  CHECK(problem("cache:6379").find("no scheme") != std::string::npos);
  CHECK(problem("redis://cache:port/0").find("port 'port'") != std::string::npos);
  CHECK(problem("redis://cache:70000").find("port '70000'") != std::string::npos);
  CHECK(problem("redis://cache:").find("port is empty") != std::string::npos);
  CHECK(problem("redis://cache/db1").find("database 'db1'") != std::string::npos);
  CHECK(problem("redis://:hunter2@/0").find("no host") != std::string::npos);
  CHECK(problem("redis://u:hunter2%4@cache").find("password") != std::string::npos);
  CHECK(problem("redis://[::1:6379").find("']'") != std::string::npos);
  CHECK(problem("rediss://u:hunter2@cache").find("TLS") != std::string::npos);
}
