// The libcurl a compatibility build compiled against (LIBCURL_VERSION_NUM) and the one it loads
// at run time (curl_version_info) are both the release it was configured to expect. Compared
// as numbers: a build from curl's git tag calls itself "7.61.1-DEV".
#include <curl/curl.h>

#include <cstdio>
#include <string>

#include "support/catch.hpp"

namespace {

// "7.61.1" -> 0x073d01, as LIBCURL_VERSION_NUM; 0 when it is not three numbers.
unsigned version_number(const std::string& text) {
  unsigned major = 0, minor = 0, patch = 0;
  char end = 0;
  if (std::sscanf(text.c_str(), "%u.%u.%u%c", &major, &minor, &patch, &end) != 3) return 0;
  return major << 16 | minor << 8 | patch;
}

}  // namespace

TEST_CASE("libcurl: the expected release is compiled against and loaded") {
  const std::string expected = PRIVACYCALL_EXPECT_CURL_VERSION;
  const curl_version_info_data* loaded = curl_version_info(CURLVERSION_NOW);
  std::printf("libcurl compiled against: %s, loaded: %s, expected: %s\n", LIBCURL_VERSION, loaded->version,
              expected.c_str());
  CAPTURE(expected, LIBCURL_VERSION, loaded->version);
  REQUIRE(version_number(expected) != 0);
  CHECK(LIBCURL_VERSION_NUM == version_number(expected));
  CHECK(loaded->version_num == version_number(expected));
}
