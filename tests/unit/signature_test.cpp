#include <privacycall/signature.hpp>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>

#include "support/catch.hpp"
#include "support/signature_variants.hpp"

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
  // Fractional seconds (JavaScript's toISOString(), many Java clients) are read and dropped.
  CHECK(privacycall::parse_created("2019-01-24T07:03:28.000Z").value() == t);
  CHECK(privacycall::parse_created("2019-01-24T07:03:28.5Z").value() == t);
  CHECK(privacycall::parse_created("2019-01-24T07:03:28.123456789Z").value() == t);
  CHECK_FALSE(privacycall::parse_created("2019-01-24T07:03:28.Z").ok());
  CHECK_FALSE(privacycall::parse_created("2019-01-24T07:03:28.1234567890Z").ok());
  CHECK_FALSE(privacycall::parse_created("2019-01-24T07:03:28").ok());
  const auto offset = privacycall::parse_created("2019-01-24T15:03:28+08:00");
  REQUIRE_FALSE(offset.ok());
  CHECK(offset.error().message.find("UTC offset") != std::string::npos);
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

TEST_CASE("a Created at either end of the clock's range is stale, its offset exact (fuzzing regression)") {
  const Signer signer("app", "secret");
  const auto now = at("2026-11-22T10:00:00Z");
  const auto lookup = [&](std::string_view user) -> const Signer* { return user == "app" ? &signer : nullptr; };
  for (const char* created : {"1678-01-01T00:00:00Z", "2261-12-31T23:59:59Z"}) {
    CAPTURE(created);
    const auto h = signer.sign("abcdefgh", created);
    // Created - now does not fit the clock's nanosecond count; under UBSan this aborted.
    const auto outcome = privacycall::verify_signature(
        SignatureScheme::kAksk, {h.authorization, h.token_value}, lookup, now, 300s);
    CHECK(outcome.failure == privacycall::VerifyFailure::kStale);
    const auto expected = std::chrono::duration_cast<std::chrono::seconds>(at(created).time_since_epoch()) -
                          std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch());
    CHECK(outcome.clock_offset == expected);
    CHECK(std::llabs(outcome.clock_offset.count()) > 200LL * 365 * 86400);
  }
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

namespace {

// verify_request over one app ("app" / "secret") at `now`, WSSE accepted or not.
privacycall::VerifyOutcome verify_headers(const signature_variants::Headers& h, bool accept_wsse,
                                          std::chrono::system_clock::time_point now) {
  static const Signer aksk("app", "secret");
  static const Signer wsse("app", "secret", SignatureScheme::kWsse);
  privacycall::SignedRequest request;
  request.authorization = h.authorization;
  if (h.token_name == "X-AKSK" || h.token_name == "x-aksk") request.x_aksk = h.token;
  if (h.token_name == "X-WSSE" || h.token_name == "x-wsse") request.x_wsse = h.token;
  return privacycall::verify_request(
      request, accept_wsse,
      [](SignatureScheme scheme, std::string_view user) -> const Signer* {
        if (user != "app") return nullptr;
        return scheme == SignatureScheme::kAksk ? &aksk : &wsse;
      },
      now, 300s);
}

}  // namespace

TEST_CASE("verify_request accepts every variant other clients send") {
  const auto now = at("2026-11-22T10:00:00Z");
  for (const auto& variant : signature_variants::all()) {
    INFO(variant.name);
    const auto outcome = verify_headers(signature_variants::sign(variant, "app", "secret", now), true, now);
    CHECK(outcome.ok);
    CHECK(outcome.scheme == variant.scheme);
    CHECK(outcome.detail.empty());
  }
}

TEST_CASE("a WSSE request where only AKSK is accepted is refused as such, saying so") {
  const auto now = at("2026-11-22T10:00:00Z");
  signature_variants::Variant java_demo;
  java_demo.scheme = SignatureScheme::kWsse;
  java_demo.type_key = "dsl";
  java_demo.separator = ", ";
  const auto outcome = verify_headers(signature_variants::sign(java_demo, "app", "secret", now), false, now);
  CHECK_FALSE(outcome.ok);
  CHECK(outcome.failure == privacycall::VerifyFailure::kSchemeNotAccepted);
  CHECK(outcome.scheme == SignatureScheme::kWsse);
  CHECK(outcome.http_status == 400);
  CHECK(outcome.detail.find("received the legacy WSSE scheme") != std::string::npos);
  CHECK(outcome.detail.find("only AKSK") != std::string::npos);
  CHECK(privacycall::to_string(outcome.failure) == "scheme_not_accepted");
}

TEST_CASE("received_scheme follows Authorization, then the token header") {
  using privacycall::received_scheme;
  CHECK(received_scheme({R"(wsse realm="SDP")", std::nullopt, std::nullopt}) == SignatureScheme::kWsse);
  CHECK(received_scheme({R"(AKSK realm="SDP")", std::nullopt, "x"}) == SignatureScheme::kAksk);
  CHECK(received_scheme({"", std::nullopt, "x"}) == SignatureScheme::kWsse);
  CHECK(received_scheme({"", "x", "y"}) == SignatureScheme::kAksk);
  CHECK(received_scheme({"WSSEX", std::nullopt, std::nullopt}) == SignatureScheme::kAksk);
}

TEST_CASE("each refusal says why, and never shows the digest or the secret") {
  const auto now = at("2026-11-22T10:00:00Z");
  signature_variants::Variant plain;
  const auto h = signature_variants::sign(plain, "app", "secret", now, "abcdefgh");
  const auto digest = privacycall::parse_username_token(h.token).value().password_digest;
  const auto with = [&](std::string authorization, std::string token) {
    signature_variants::Headers changed = h;
    changed.authorization = std::move(authorization);
    changed.token = std::move(token);
    return verify_headers(changed, false, now);
  };
  std::vector<privacycall::VerifyOutcome> refusals;
  refusals.push_back(with("", h.token));
  CHECK(refusals.back().detail == "the Authorization header is missing");
  refusals.push_back(with(h.authorization, ""));
  CHECK(refusals.back().detail.find("X-AKSK header is missing") != std::string::npos);
  refusals.push_back(with("Basic dXNlcjpwYXNz", h.token));
  CHECK(refusals.back().detail.find("does not start with AKSK") != std::string::npos);
  refusals.push_back(with(R"(AKSK realm="SDP",profile="UsernameToken")", h.token));
  CHECK(refusals.back().result_code == "1023012");
  CHECK(refusals.back().detail.find("type (or dsl) missing") != std::string::npos);
  refusals.push_back(with(R"(AKSK realm="SDP",profile="UsernameToken",type="app")", h.token));
  CHECK(refusals.back().result_code == "1023011");
  std::string bad_nonce = h.token;
  bad_nonce.replace(bad_nonce.find("abcdefgh"), 8, "abc+defg");
  refusals.push_back(with(h.authorization, bad_nonce));
  CHECK(refusals.back().failure == privacycall::VerifyFailure::kMalformedToken);
  CHECK(refusals.back().detail.find("Nonce must be 1-128 characters of [0-9A-Za-z_-]") != std::string::npos);
  refusals.push_back(with(h.authorization, h.token.substr(0, h.token.find(",Created"))));
  CHECK(refusals.back().detail == "X-AKSK: Created missing");
  refusals.push_back(verify_headers(signature_variants::sign(plain, "app", "wrong", now), false, now));
  CHECK(refusals.back().failure == privacycall::VerifyFailure::kBadDigest);
  CHECK(refusals.back().detail.find("HMAC-SHA256") != std::string::npos);
  for (const auto& refusal : refusals) {
    CHECK_FALSE(refusal.ok);
    CHECK_FALSE(refusal.detail.empty());
    CHECK(refusal.detail.find(digest) == std::string::npos);
    CHECK(refusal.detail.find("secret\"") == std::string::npos);
  }
}

TEST_CASE("a Created in another form is malformed, not stale") {
  const auto now = at("2026-11-22T10:00:00Z");
  const Signer signer("app", "secret");
  const auto lookup = [&](std::string_view user) -> const Signer* { return user == "app" ? &signer : nullptr; };
  for (const char* created : {"2026-11-22 10:00:00", "2026-11-22T18:00:00+08:00", "1795341600"}) {
    INFO(created);
    const auto h = signer.sign("abcdefgh", created);
    const auto outcome = privacycall::verify_signature(SignatureScheme::kAksk, {h.authorization, h.token_value},
                                                       lookup, now, 300s);
    CHECK(outcome.failure == privacycall::VerifyFailure::kMalformedCreated);
    CHECK(outcome.result_code == "1023031");
    CHECK(outcome.http_status == 400);
    CHECK(outcome.detail.find("not a UTC time of the form yyyy-MM-ddTHH:mm:ssZ") != std::string::npos);
  }
}

TEST_CASE("a stale Created names both times, the difference, and a time-zone look-alike") {
  const auto now = at("2026-11-22T10:00:00Z");
  const Signer signer("app", "secret");
  const auto lookup = [&](std::string_view user) -> const Signer* { return user == "app" ? &signer : nullptr; };
  const auto verify = [&](const char* created) {
    const auto h = signer.sign("abcdefgh", created);
    return privacycall::verify_signature(SignatureScheme::kAksk, {h.authorization, h.token_value}, lookup,
                                         now, 300s);
  };
  // Local time in China with a literal Z: 8 hours (and a few seconds) ahead.
  auto outcome = verify("2026-11-22T18:00:05Z");
  CHECK(outcome.failure == privacycall::VerifyFailure::kStale);
  CHECK(outcome.clock_offset == 8h + 5s);
  CHECK(outcome.detail.find("Created 2026-11-22T18:00:05Z is 8 h 0 min 5 s ahead of the clock here "
                            "(2026-11-22T10:00:00Z)") != std::string::npos);
  CHECK(outcome.detail.find("looks like local time written as UTC") != std::string::npos);
  // Drift is not a time zone.
  outcome = verify("2026-11-22T09:40:00Z");
  CHECK(outcome.detail.find("20 min 0 s behind the clock here") != std::string::npos);
  CHECK(outcome.detail.find("local time") == std::string::npos);
}

TEST_CASE("describe_clock_offset") {
  using privacycall::describe_clock_offset;
  CHECK(describe_clock_offset(0s, "x") == "0 s ahead of x");
  CHECK(describe_clock_offset(-61s, "x") == "1 min 1 s behind x");
  CHECK(describe_clock_offset(-5h - 30min, "x") == "5 h 30 min 0 s behind x");
  CHECK(describe_clock_offset(1h - 59s, "x").find("within a minute of 1 hour") != std::string::npos);
  CHECK(describe_clock_offset(-9h - 60s, "x").find("within a minute of 9 hours") != std::string::npos);
  CHECK(describe_clock_offset(2h + 61s, "x").find("local time") == std::string::npos);
  CHECK(describe_clock_offset(24h, "x").find("local time") == std::string::npos);
}
