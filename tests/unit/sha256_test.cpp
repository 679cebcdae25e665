// SHA-256 and HMAC-SHA256 through OpenSSL's EVP interface: the published test vectors, and the
// same answer from a key however often and from however many threads it is used.
#include "common/sha256.hpp"

#include <string>
#include <thread>
#include <vector>

#include "support/catch.hpp"

namespace {

std::string hex(const privacycall::internal::Sha256Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char byte : digest) {
    out += kHex[byte >> 4];
    out += kHex[byte & 15];
  }
  return out;
}

// RFC 4231's test cases 1, 2 and 6 (a key longer than SHA-256's block).
struct Rfc4231Case {
  std::string key;
  std::string message;
  const char* mac;
};

std::vector<Rfc4231Case> rfc4231_cases() {
  return {
      {std::string(20, '\x0b'), "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"Jefe", "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
  };
}

}  // namespace

TEST_CASE("sha256 matches FIPS 180-2's vectors, whichever way the text is split") {
  using privacycall::internal::sha256;
  CHECK(hex(sha256({})) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex(sha256({"abc"})) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex(sha256({"a", "", "bc"})) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("HMAC-SHA256 matches RFC 4231, one-shot and with a prepared key") {
  for (const Rfc4231Case& c : rfc4231_cases()) {
    CAPTURE(c.message);
    const std::string_view message = c.message;
    CHECK(hex(privacycall::internal::hmac_sha256(c.key, message.substr(0, 3), message.substr(3))) == c.mac);
    const privacycall::internal::HmacSha256Key key(c.key);
    // Again and again: each MAC after the first starts from a context a previous one used.
    for (int i = 0; i < 3; ++i) CHECK(hex(key.mac(message, "")) == c.mac);
    const privacycall::internal::HmacSha256Key copy = key;
    CHECK(hex(copy.mac(message.substr(0, 5), message.substr(5))) == c.mac);
  }
}

TEST_CASE("HMAC-SHA256 with an empty key is HMAC with the empty key, not a missing one") {
  // Python: hmac.new(b"", b"", hashlib.sha256).hexdigest()
  const char* expected = "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad";
  CHECK(hex(privacycall::internal::hmac_sha256("", "", "")) == expected);
  CHECK(hex(privacycall::internal::HmacSha256Key("").mac("", "")) == expected);
}

TEST_CASE("A prepared key gives every thread the same MAC") {
  const Rfc4231Case c = rfc4231_cases()[1];
  const privacycall::internal::HmacSha256Key key(c.key);
  std::vector<std::thread> threads;
  std::vector<int> wrong(8, 0);
  for (std::size_t t = 0; t < wrong.size(); ++t) {
    threads.emplace_back([&key, &c, &wrong, t] {
      for (int i = 0; i < 500; ++i) wrong[t] += hex(key.mac(c.message, "")) != c.mac ? 1 : 0;
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const int count : wrong) CHECK(count == 0);
}
