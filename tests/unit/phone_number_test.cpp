#include <privacycall/phone_number.hpp>

#include "support/catch.hpp"

using privacycall::PhoneNumber;

TEST_CASE("PhoneNumber accepts global-format mobile and fixed-line numbers") {
  CHECK(PhoneNumber::parse("+8613800000021").ok());
  CHECK(PhoneNumber::parse("+8675528000001").ok());
  CHECK(PhoneNumber::parse("+12025550123").ok());
  CHECK(PhoneNumber("+8613800000021").str() == "+8613800000021");
}

TEST_CASE("PhoneNumber refuses anything else with a validation error that masks the input") {
  for (const char* bad : {"", "13800000021", "8613800000021", "+86 138 0000 0021", "+86138****0021",
                          "+0861380000002", "+86-13800000021", "+", "+1234",
                          "+1234567890123456789012345678901", "%2B8613800000021"}) {
    INFO(bad);
    const auto parsed = PhoneNumber::parse(bad);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().category == privacycall::ErrorCategory::kValidation);
  }
  const auto error = PhoneNumber::parse("+86 13800000021").error();
  CHECK(error.message.find("13800000021") == std::string::npos);
  CHECK_THROWS_AS(PhoneNumber("13800000021"), privacycall::Exception);
  // A Chinese fixed line keeps its area code's trunk 0 out: +86 755..., never +86 0755...
  const auto trunk = PhoneNumber::parse("+8607552800001");
  REQUIRE_FALSE(trunk.ok());
  CHECK(trunk.error().message.find("trunk 0") != std::string::npos);
}

TEST_CASE("Masking keeps the country code, prefix and last four digits only, and hides at least four") {
  CHECK(PhoneNumber("+8613800000021").masked() == "+86138****0021");
  CHECK(PhoneNumber::mask_phone_number("+8675528000001") == "+86755****0001");
  CHECK(PhoneNumber::mask_phone_number("+12025550123") == "+120****0123");  // 4 hidden, not 2
  CHECK(PhoneNumber::mask_phone_number("8675500000001") == "86755****0001");
  CHECK(PhoneNumber::mask_phone_number("+12345") == "****45");
  CHECK(PhoneNumber::mask_phone_number("123") == "****");
}
