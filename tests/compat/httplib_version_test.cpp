// The cpp-httplib a compatibility build compiled against is the release it was configured to
// expect (the header-only library has no run-time version of its own).
#include <httplib.h>

#include <cstdio>
#include <string>

#include "support/catch.hpp"

TEST_CASE("cpp-httplib: the expected release is compiled against") {
  const std::string expected = PRIVACYCALL_EXPECT_HTTPLIB_VERSION;
  const std::string compiled = CPPHTTPLIB_VERSION;
  std::printf("cpp-httplib compiled against: %s, expected: %s\n", compiled.c_str(), expected.c_str());
  CAPTURE(expected, compiled);
  CHECK(compiled == expected);
}
