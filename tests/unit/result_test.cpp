#include <privacycall/result.hpp>

#include <string>
#include <vector>

#include "support/catch.hpp"

using privacycall::Error;
using privacycall::ErrorCategory;
using privacycall::Result;

TEST_CASE("Result holds a value or an error and value() throws the error") {
  Result<std::string> good(std::string("x"));
  CHECK(good.ok());
  CHECK(*good == "x");
  CHECK(good->size() == 1);

  Error error;
  error.category = ErrorCategory::kApi;
  error.http_status = 403;
  error.result_code = "1012010";
  error.result_desc = "The number has been bound.";
  Result<std::string> bad(error);
  CHECK_FALSE(bad.ok());
  CHECK(bad.error().result_code == "1012010");
  try {
    (void)bad.value();
    FAIL("value() must throw");
  } catch (const privacycall::Exception& e) {
    CHECK(e.error().http_status == 403);
    CHECK(std::string(e.what()).find("resultcode=1012010") != std::string::npos);
  }
}

TEST_CASE("Error::to_string names category, status, resultcode and resultdesc") {
  Error error;
  error.category = ErrorCategory::kAuth;
  error.http_status = 401;
  error.result_code = "1010013";
  error.result_desc = "Time out limit.";
  error.message = "check the clock";
  CHECK(error.to_string() ==
        R"(category=auth http_status=401 resultcode=1010013 resultdesc="Time out limit.": check the clock)");
  CHECK(privacycall::to_string(ErrorCategory::kDecode) == "decode");
}

TEST_CASE("value() on a temporary Result hands out a value that outlives it") {
  const auto make = [] { return Result<std::vector<std::string>>(std::vector<std::string>{"a", "b"}); };
  std::string joined;
  for (const auto& item : make().value()) joined += item;  // ASan would catch a dangling reference
  CHECK(joined == "ab");
}
