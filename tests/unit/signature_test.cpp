#include <privacycall/signature.hpp>

#include <nlohmann/json.hpp>

#include <fstream>

#include "support/catch.hpp"

using privacycall::SignatureScheme;
using privacycall::Signer;
using namespace std::chrono_literals;

namespace {

nlohmann::json load_vectors() {
  std::ifstream in(PRIVACYCALL_TEST_DATA_DIR "/signature_vectors.json");
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

std::chrono::system_clock::time_point at(const std::string& created) {
  return privacycall::parse_created(created).value();
}

}  // namespace

TEST_CASE("AKSK and WSSE digests match vectors computed with Python's hmac") {
  const auto vectors = load_vectors();
  REQUIRE(vectors.size() >= 6);
  for (const auto& v : vectors) {
    const auto secret = v["secret"].get<std::string>();
    const auto nonce = v["nonce"].get<std::string>();
    const auto created = v["created"].get<std::string>();
    INFO("nonce " << nonce);
    CHECK(privacycall::compute_password_digest(SignatureScheme::kAksk, secret, nonce, created) ==
          v["aksk"].get<std::string>());
    CHECK(privacycall::compute_password_digest(SignatureScheme::kWsse, secret, nonce, created) ==
          v["wsse"].get<std::string>());
    CHECK(Signer("key", secret).digest(nonce, created) == v["aksk"].get<std::string>());
    CHECK(Signer("key", secret, SignatureScheme::kWsse).digest(nonce, created) ==
          v["wsse"].get<std::string>());
  }
}

TEST_CASE("Signer emits the documented headers, without spaces between attributes") {
  const Signer signer("my-app-key", "secret", SignatureScheme::kAksk,
                      [] { return at("2018-02-12T15:30:20Z"); },
                      [] { return std::string("66C92B11FF8A425FB8D4CCFE0ED9ED1F"); });
  const auto headers = signer.sign();
  CHECK(headers.authorization == R"(AKSK realm="SDP",profile="UsernameToken",type="Appkey")");
  CHECK(headers.token_header == "X-AKSK");
  CHECK(headers.token_value ==
        R"(UsernameToken Username="my-app-key",PasswordDigest="nLcsIwh4/dE7K56zsLQ/A4SG1mrtpkJFfOpnmMpyaCs=",Nonce="66C92B11FF8A425FB8D4CCFE0ED9ED1F",Created="2018-02-12T15:30:20Z")");

  const Signer legacy("k", "secret", SignatureScheme::kWsse);
  const auto wsse = legacy.sign("n", "2018-02-12T15:30:20Z");
  CHECK(wsse.authorization == R"(WSSE realm="SDP",profile="UsernameToken",type="Appkey")");
  CHECK(wsse.token_header == "X-WSSE");
}

TEST_CASE("Default nonces are fresh alphanumeric strings and Created is UTC") {
  const Signer signer("k", "s");
  const auto first = privacycall::parse_username_token(signer.sign().token_value).value();
  const auto second = privacycall::parse_username_token(signer.sign().token_value).value();
  CHECK(first.nonce != second.nonce);
  CHECK(first.nonce.size() == 32);
  for (char c : first.nonce) CHECK(std::isalnum(static_cast<unsigned char>(c)));
  const auto created = privacycall::parse_created(first.created).value();
  const auto skew = std::chrono::system_clock::now() - created;
  CHECK(skew < 5s);
  CHECK(skew > -5s);
}

TEST_CASE("format_created and parse_created round-trip in UTC") {
  const auto t = at("2019-01-24T07:03:28Z");
  CHECK(privacycall::format_created(t) == "2019-01-24T07:03:28Z");
  CHECK(std::chrono::system_clock::to_time_t(t) == 1548313408);
  CHECK_FALSE(privacycall::parse_created("2019-01-24 07:03:28").ok());
  CHECK_FALSE(privacycall::parse_created("2019-01-24T07:03:28.000Z").ok());
  CHECK_FALSE(privacycall::parse_created("2019-13-24T07:03:28Z").ok());
  CHECK_FALSE(privacycall::parse_created("").ok());
}

TEST_CASE("parse_created refuses years the clock cannot hold instead of overflowing") {
  const bool clock_ends_before_4038 =
      std::chrono::duration_cast<std::chrono::hours>(std::chrono::system_clock::duration::max())
          .count() < 24LL * 366 * 2100;
  CHECK(privacycall::parse_created("4038-01-24T07:02:50Z").ok() == !clock_ends_before_4038);
  CHECK(privacycall::parse_created("2261-01-01T00:00:00Z").ok());
}

TEST_CASE("parse_username_token reports the platform's code for each missing part") {
  const auto code = [](std::string_view header) {
    auto token = privacycall::parse_username_token(header);
    return token.ok() ? std::string("ok") : token.error().result_code;
  };
  CHECK(code(R"(UsernameToken Username="a",PasswordDigest="d",Nonce="n",Created="c")") == "ok");
  CHECK(code(R"(UsernameToken Username="a", PasswordDigest="d", Nonce="n", Created="c")") == "ok");
  CHECK(code(R"(Username="a",PasswordDigest="d",Nonce="n",Created="c")") == "1023038");
  CHECK(code(R"(UsernameToken PasswordDigest="d",Nonce="n",Created="c")") == "1023034");
  CHECK(code(R"(UsernameToken Username="a",PasswordDigest="d",Created="c")") == "1023035");
  CHECK(code(R"(UsernameToken Username="a",PasswordDigest="d",Nonce="n")") == "1023036");
  CHECK(code(R"(UsernameToken Username="a",Nonce="n",Created="c")") == "1023037");
  CHECK(code(R"(UsernameToken Username="a)") == "1023038");
  CHECK(code("") == "1023038");
}

TEST_CASE("verify_signature accepts authentic requests and names each defect") {
  const Signer signer("app", "secret");
  const auto now = at("2026-11-22T10:00:00Z");
  const auto lookup = [&](std::string_view user) -> const Signer* {
    return user == "app" ? &signer : nullptr;
  };
  const auto verify = [&](std::string_view authorization, std::string_view token) {
    return privacycall::verify_signature(SignatureScheme::kAksk, {authorization, token}, lookup,
                                         now, 300s);
  };
  const auto good = signer.sign("abc123", "2026-11-22T10:04:00Z");
  auto outcome = verify(good.authorization, good.token_value);
  REQUIRE(outcome.ok);
  CHECK(outcome.token.nonce == "abc123");

  CHECK(verify("", good.token_value).result_code == "1023006");
  CHECK(verify(good.authorization, "").result_code == "1023033");
  CHECK(verify(R"(AKSK profile="UsernameToken",type="Appkey")", good.token_value).result_code == "1023007");
  CHECK(verify(R"(AKSK realm="X",profile="UsernameToken",type="Appkey")", good.token_value).result_code == "1023009");
  CHECK(verify(R"(AKSK realm="SDP",profile="UsernameToken",type="app")", good.token_value).result_code == "1023011");

  const auto forged = Signer("app", "wrong").sign("abc123", "2026-11-22T10:04:00Z");
  outcome = verify(forged.authorization, forged.token_value);
  CHECK(outcome.failure == privacycall::VerifyFailure::kBadDigest);
  CHECK(outcome.result_code == "1010010");
  CHECK(outcome.http_status == 401);

  const auto stale = signer.sign("abc123", "2026-11-22T09:54:59Z");
  outcome = verify(stale.authorization, stale.token_value);
  CHECK(outcome.failure == privacycall::VerifyFailure::kStale);
  CHECK(outcome.result_code == "1010013");

  const auto stranger = Signer("other", "secret").sign("abc123", "2026-11-22T10:00:00Z");
  CHECK(verify(stranger.authorization, stranger.token_value).failure ==
        privacycall::VerifyFailure::kUnknownApp);
}

TEST_CASE("constant_time_equals compares whole strings") {
  CHECK(privacycall::constant_time_equals("abc", "abc"));
  CHECK_FALSE(privacycall::constant_time_equals("abc", "abd"));
  CHECK_FALSE(privacycall::constant_time_equals("abc", "abcd"));
  CHECK(privacycall::constant_time_equals("", ""));
}

TEST_CASE("A value with a stray quote is refused (fuzzing regression)") {
  CHECK_FALSE(privacycall::parse_username_token(
                  R"(UsernameToken Username=Mfuzz-app",PasswordDigest="d",Nonce="n",Created="c")")
                  .ok());
}
