// Base64 as the signatures use it: RFC 4648's test vectors, every padding case.
#include "common/base64.hpp"

#include <string>

#include "support/catch.hpp"

namespace {

std::string encode(const std::string& text) {
  return privacycall::internal::base64_encode(reinterpret_cast<const unsigned char*>(text.data()), text.size());
}

}  // namespace

TEST_CASE("base64_encode matches RFC 4648's test vectors") {
  CHECK(encode("") == "");
  CHECK(encode("f") == "Zg==");
  CHECK(encode("fo") == "Zm8=");
  CHECK(encode("foo") == "Zm9v");
  CHECK(encode("foob") == "Zm9vYg==");
  CHECK(encode("fooba") == "Zm9vYmE=");
  CHECK(encode("foobar") == "Zm9vYmFy");
  CHECK(encode(std::string("\xFB\xFF\x00", 3)) == "+/8A");
}
