#include <privacycall/webhook/verifier.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "support/catch.hpp"
#include "support/signature_variants.hpp"
#include "support/webhook_test_support.hpp"

using namespace privacycall::webhook;
using privacycall::SignatureScheme;
using privacycall::Signer;
using privacycall::VerifyFailure;
using namespace std::chrono_literals;

namespace {

using TimePoint = std::chrono::system_clock::time_point;

// A clock the test moves by hand; starts on a whole second, as `Created` has no fraction.
struct ManualClock {
  std::shared_ptr<std::atomic<TimePoint::rep>> now =
      std::make_shared<std::atomic<TimePoint::rep>>(
          std::chrono::time_point_cast<TimePoint::duration>(
              std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()))
              .time_since_epoch()
              .count());
  privacycall::Clock clock() const {
    auto n = now;
    return [n] { return TimePoint(TimePoint::duration(n->load())); };
  }
  TimePoint get() const { return TimePoint(TimePoint::duration(now->load())); }
  void advance(std::chrono::seconds by) {
    now->fetch_add(std::chrono::duration_cast<TimePoint::duration>(by).count());
  }
};

// A verifier of the test app on `clock` that remembers at most `max_nonces` nonces.
std::unique_ptr<WebhookVerifier> bounded_verifier(ManualClock& clock, std::size_t max_nonces) {
  VerifierOptions options;
  options.clock = clock.clock();
  options.max_remembered_nonces = max_nonces;
  auto verifier = std::make_unique<WebhookVerifier>(options);
  verifier->add_app(webhook_test::kAppKey, webhook_test::kAppSecret);
  return verifier;
}

HeaderMap headers_at(const Signer& signer, TimePoint created, std::string nonce) {
  const auto h = signer.sign(nonce, privacycall::format_created(created));
  HeaderMap headers;
  headers.add("authorization", h.authorization);
  headers.add(h.token_header == "X-AKSK" ? "x-aksk" : "x-wsse", h.token_value);
  return headers;
}

}  // namespace

TEST_CASE("a correctly signed push passes; header names are case-insensitive") {
  ManualClock clock;
  VerifierOptions options;
  options.clock = clock.clock();
  WebhookVerifier verifier(options);
  verifier.add_app(webhook_test::kAppKey, webhook_test::kAppSecret);
  verifier.add_app("second-app", "second-secret");

  const Signer signer(webhook_test::kAppKey, webhook_test::kAppSecret);
  const Verification ok = verifier.verify(headers_at(signer, clock.get(), "abc123"));
  CHECK(ok.ok);
  CHECK(ok.app_key == webhook_test::kAppKey);
  CHECK(ok.scheme == SignatureScheme::kAksk);
  CHECK_FALSE(ok.skipped);

  const Signer second("second-app", "second-secret");
  HeaderMap upper;
  const auto h = second.sign("abc123", privacycall::format_created(clock.get()));
  upper.add("AUTHORIZATION", h.authorization);
  upper.add("X-Aksk", h.token_value);
  const Verification other = verifier.verify(upper);
  CHECK(other.ok);
  CHECK(other.app_key == "second-app");
}

TEST_CASE("forged, unknown-app, stale and future pushes are refused with 401") {
  ManualClock clock;
  VerifierOptions options;
  options.clock = clock.clock();
  WebhookVerifier verifier(options);
  verifier.add_app(webhook_test::kAppKey, webhook_test::kAppSecret);

  const Signer forger(webhook_test::kAppKey, "guessed-secret");
  Verification v = verifier.verify(headers_at(forger, clock.get(), "n1"));
  CHECK_FALSE(v.ok);
  CHECK(v.failure == VerifyFailure::kBadDigest);
  CHECK(v.http_status == 401);
  CHECK(v.result_code == "1010010");

  const Signer stranger("other-app", webhook_test::kAppSecret);
  v = verifier.verify(headers_at(stranger, clock.get(), "n2"));
  CHECK(v.failure == VerifyFailure::kUnknownApp);
  CHECK(v.http_status == 401);

  const Signer signer(webhook_test::kAppKey, webhook_test::kAppSecret);
  v = verifier.verify(headers_at(signer, clock.get() - 5min - 1s, "n3"));
  CHECK(v.failure == VerifyFailure::kStale);
  v = verifier.verify(headers_at(signer, clock.get() + 5min + 1s, "n4"));
  CHECK(v.failure == VerifyFailure::kStale);
  // The edges of the window are inside it.
  CHECK(verifier.verify(headers_at(signer, clock.get() - 5min, "n5")).ok);
  CHECK(verifier.verify(headers_at(signer, clock.get() + 5min, "n6")).ok);

  CHECK(verifier.remove_app(webhook_test::kAppKey));
  CHECK_FALSE(verifier.remove_app(webhook_test::kAppKey));
  CHECK(verifier.verify(headers_at(signer, clock.get(), "n7")).failure == VerifyFailure::kUnknownApp);
}

TEST_CASE("missing or malformed headers are 400 with the platform's codes") {
  WebhookVerifier verifier;
  verifier.add_app(webhook_test::kAppKey, webhook_test::kAppSecret);
  Verification v = verifier.verify(HeaderMap{});
  CHECK(v.failure == VerifyFailure::kMissingAuthorization);
  CHECK(v.http_status == 400);
  CHECK(v.result_code == "1023006");

  v = verifier.verify(HeaderMap{{"Authorization", R"(AKSK realm="SDP",profile="UsernameToken",type="Appkey")"}});
  CHECK(v.failure == VerifyFailure::kMissingToken);
  CHECK(v.result_code == "1023033");

  v = verifier.verify(HeaderMap{{"Authorization", R"(AKSK realm="SDP",profile="UsernameToken",type="Appkey")"},
                                {"X-AKSK", R"(UsernameToken Username="app-key-1",Nonce="x")"}});
  CHECK(v.failure == VerifyFailure::kMalformedToken);
  CHECK(v.http_status == 400);

  v = verifier.verify(HeaderMap{{"Authorization", "Basic dXNlcjpwYXNz"}, {"X-AKSK", "x"}});
  CHECK(v.failure == VerifyFailure::kBadAuthorization);
}

TEST_CASE("a replayed header pair is refused even with another body") {
  ManualClock clock;
  VerifierOptions options;
  options.clock = clock.clock();
  WebhookVerifier verifier(options);
  verifier.add_app(webhook_test::kAppKey, webhook_test::kAppSecret);
  const Signer signer(webhook_test::kAppKey, webhook_test::kAppSecret);
  const HeaderMap headers = headers_at(signer, clock.get(), "once");
  CHECK(verifier.verify(headers).ok);
  const Verification again = verifier.verify(headers);
  CHECK_FALSE(again.ok);
  CHECK(again.failure == VerifyFailure::kReplayed);
  CHECK(again.http_status == 401);
  // The nonce is per app: another app may use the same nonce.
  verifier.add_app("second-app", "s2");
  CHECK(verifier.verify(headers_at(Signer("second-app", "s2"), clock.get(), "once")).ok);
}

TEST_CASE("the nonce cache forgets expired entries and stays bounded") {
  ManualClock clock;
  const auto owned = bounded_verifier(clock, 3);
  WebhookVerifier& verifier = *owned;
  const Signer signer(webhook_test::kAppKey, webhook_test::kAppSecret);
  for (int i = 0; i < 10; ++i) {
    CHECK(verifier.verify(headers_at(signer, clock.get(), "bounded" + std::to_string(i))).ok);
    CHECK(verifier.remembered_nonces() <= 3);
  }
  CHECK(verifier.remembered_nonces() == 3);
  // After the window, the old entries go away at the next verification.
  clock.advance(std::chrono::seconds(5min) + 1s);
  CHECK(verifier.verify(headers_at(signer, clock.get(), "later")).ok);
  CHECK(verifier.remembered_nonces() == 1);
}

TEST_CASE("legacy WSSE is accepted only when enabled") {
  const Signer wsse(webhook_test::kAppKey, webhook_test::kAppSecret, SignatureScheme::kWsse);
  const auto now = std::chrono::system_clock::now();
  {
    WebhookVerifier strict;
    strict.add_app(webhook_test::kAppKey, webhook_test::kAppSecret);
    CHECK_FALSE(strict.verify(headers_at(wsse, now, "w1")).ok);
  }
  VerifierOptions options;
  options.accept_legacy_wsse = true;
  WebhookVerifier verifier(options);
  verifier.add_app(webhook_test::kAppKey, webhook_test::kAppSecret);
  const Verification v = verifier.verify(headers_at(wsse, now, "w2"));
  CHECK(v.ok);
  CHECK(v.scheme == SignatureScheme::kWsse);
  // AKSK still works on the same verifier.
  CHECK(verifier.verify(headers_at(Signer(webhook_test::kAppKey, webhook_test::kAppSecret), now, "a1")).ok);
  // A WSSE digest under the wrong secret fails.
  const Signer forged(webhook_test::kAppKey, "nope", SignatureScheme::kWsse);
  CHECK(verifier.verify(headers_at(forged, now, "w3")).failure == VerifyFailure::kBadDigest);
}

TEST_CASE("disabled verification accepts everything and warns on every use") {
  std::mutex mutex;
  std::vector<std::string> warnings;
  VerifierOptions options;
  options.insecure_accept_unsigned_requests_for_local_development_only = true;
  options.log = [&](privacycall::LogLevel level, std::string_view message) {
    std::lock_guard<std::mutex> lock(mutex);
    if (level == privacycall::LogLevel::kWarning) warnings.emplace_back(message);
  };
  WebhookVerifier verifier(options);
  CHECK(verifier.disabled());
  CHECK(warnings.size() == 1);  // at construction
  for (int i = 0; i < 3; ++i) {
    const Verification v = verifier.verify(HeaderMap{});
    CHECK(v.ok);
    CHECK(v.skipped);
  }
  CHECK(warnings.size() == 4);
  CHECK(warnings.back().find("WITHOUT signature verification") != std::string::npos);
}

TEST_CASE("concurrent verification: one winner per nonce, secrets never in failures") {
  WebhookVerifier verifier;
  verifier.add_app(webhook_test::kAppKey, webhook_test::kAppSecret);
  const Signer signer(webhook_test::kAppKey, webhook_test::kAppSecret);
  const HeaderMap shared = headers_at(signer, std::chrono::system_clock::now(), "contended");
  std::atomic<int> shared_ok{0}, distinct_ok{0}, leaked{0};  // no Catch2 asserts in threads
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        if (verifier.verify(shared).ok) shared_ok.fetch_add(1);
        const auto h = headers_at(signer, std::chrono::system_clock::now(),
                                  "t" + std::to_string(t) + "i" + std::to_string(i));
        const Verification v = verifier.verify(h);
        if (v.ok) distinct_ok.fetch_add(1);
        if (v.result_code.find(webhook_test::kAppSecret) != std::string::npos) leaked.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(shared_ok.load() == 1);
  CHECK(distinct_ok.load() == 800);
  CHECK(leaked.load() == 0);
}

TEST_CASE("a full nonce memory forgets the nonce closest to expiry first") {
  ManualClock clock;
  const auto owned = bounded_verifier(clock, 2);
  WebhookVerifier& verifier = *owned;
  const Signer signer(webhook_test::kAppKey, webhook_test::kAppSecret);
  const auto t0 = clock.get();
  CHECK(verifier.verify(headers_at(signer, t0 + 10s, "late")).ok);
  CHECK(verifier.verify(headers_at(signer, t0, "early")).ok);
  CHECK(verifier.verify(headers_at(signer, t0 + 5s, "middle")).ok);  // full: "early" goes
  CHECK(verifier.remembered_nonces() == 2);
  CHECK_FALSE(verifier.verify(headers_at(signer, t0 + 10s, "late")).ok);
  CHECK_FALSE(verifier.verify(headers_at(signer, t0 + 5s, "middle")).ok);
}

namespace {

HeaderMap variant_headers(const signature_variants::Headers& h) {
  HeaderMap headers;
  headers.add(h.authorization_name, h.authorization);
  headers.add(h.token_name, h.token);
  return headers;
}

std::unique_ptr<WebhookVerifier> verifier_on(ManualClock& clock, bool wsse, bool grace) {
  VerifierOptions options;
  options.clock = clock.clock();
  options.accept_legacy_wsse = wsse;
  options.repush_grace = grace;
  auto verifier = std::make_unique<WebhookVerifier>(options);
  verifier->add_app(webhook_test::kAppKey, webhook_test::kAppSecret);
  return verifier;
}

const std::string kBody = R"({"eventType":"fee","feeLst":[]})";

}  // namespace

TEST_CASE("every signature variant seen in the wild passes the verifier") {
  ManualClock clock;
  const auto verifier = verifier_on(clock, true, false);
  for (const auto& variant : signature_variants::all()) {
    INFO(variant.name);
    const auto h = signature_variants::sign(variant, webhook_test::kAppKey, webhook_test::kAppSecret, clock.get());
    const Verification v = verifier->verify(variant_headers(h), kBody);
    CHECK(v.ok);
    CHECK(v.scheme == variant.scheme);
    CHECK(v.app_key == webhook_test::kAppKey);
  }
  // Header names in mixed case too.
  signature_variants::Variant wsse;
  wsse.scheme = SignatureScheme::kWsse;
  const auto h = signature_variants::sign(wsse, webhook_test::kAppKey, webhook_test::kAppSecret, clock.get());
  HeaderMap mixed;
  mixed.add("AuThOrIzAtIoN", h.authorization);
  mixed.add("X-Wsse", h.token);
  CHECK(verifier->verify(mixed, kBody).ok);
}

TEST_CASE("WSSE without accept_legacy_wsse is refused as scheme_not_accepted and counted") {
  ManualClock clock;
  const auto verifier = verifier_on(clock, false, false);
  signature_variants::Variant wsse;
  wsse.scheme = SignatureScheme::kWsse;
  const auto h = signature_variants::sign(wsse, webhook_test::kAppKey, webhook_test::kAppSecret, clock.get());
  const Verification v = verifier->verify(variant_headers(h), kBody);
  CHECK_FALSE(v.ok);
  CHECK(v.failure == VerifyFailure::kSchemeNotAccepted);
  CHECK(v.scheme == SignatureScheme::kWsse);
  CHECK(v.detail.find("WSSE") != std::string::npos);
  CHECK(verifier->stats().refused.scheme_not_accepted == 1);
  CHECK(verifier->stats().refused.bad_authorization == 0);
}

TEST_CASE("the same header pair with the same body is a re-push; with another body a replay") {
  ManualClock clock;
  const auto verifier = verifier_on(clock, false, false);
  const Signer signer(webhook_test::kAppKey, webhook_test::kAppSecret);
  const HeaderMap headers = headers_at(signer, clock.get(), "original-nonce");
  const Verification first = verifier->verify(headers, kBody);
  REQUIRE(first.ok);
  CHECK_FALSE(first.repush);
  CHECK(first.nonce == "original-nonce");

  clock.advance(std::chrono::seconds(4min));  // the second re-push of the schedule
  const Verification again = verifier->verify(headers, kBody);
  CHECK(again.ok);
  CHECK(again.repush);

  const Verification other = verifier->verify(headers, R"({"eventType":"fee","feeLst":[{}]})");
  CHECK_FALSE(other.ok);
  CHECK(other.failure == VerifyFailure::kReplayed);
  CHECK(other.detail.find("another body") != std::string::npos);

  // Without a body nothing can be recognised: a reuse is always a replay.
  CHECK(verifier->verify(headers).failure == VerifyFailure::kReplayed);

  const VerifierStats stats = verifier->stats();
  CHECK(stats.accepted == 2);
  CHECK(stats.repushes == 1);
  CHECK(stats.refused.replayed == 2);
}

TEST_CASE("repush_grace widens the window for Notify pushes only, and only into the past") {
  ManualClock clock;
  const Signer signer(webhook_test::kAppKey, webhook_test::kAppSecret);
  const auto notify = [] { return true; };
  const auto block = [] { return false; };
  {
    const auto strict = verifier_on(clock, false, false);
    const Verification v = strict->verify(headers_at(signer, clock.get() - 106min, "late-1"), kBody, notify);
    CHECK(v.failure == VerifyFailure::kStale);
  }
  const auto verifier = verifier_on(clock, false, true);
  const HeaderMap late = headers_at(signer, clock.get() - 203min, "late-2");
  const Verification v = verifier->verify(late, kBody, notify);
  CHECK(v.ok);
  CHECK(v.within_repush_grace);
  // The nonce/body rule still holds within the grace.
  CHECK(verifier->verify(late, kBody, notify).repush);
  CHECK(verifier->verify(late, "{}", notify).failure == VerifyFailure::kReplayed);

  const Verification blocked = verifier->verify(headers_at(signer, clock.get() - 9min, "late-3"), kBody, block);
  CHECK(blocked.failure == VerifyFailure::kStale);
  CHECK(blocked.detail.find("Notify pushes only") != std::string::npos);
  CHECK(verifier->verify(headers_at(signer, clock.get() - 9min, "late-4"), kBody).failure == VerifyFailure::kStale);
  // The edge: the last re-push plus the window; one second more is stale.
  CHECK(verifier->verify(headers_at(signer, clock.get() - 305min, "late-5"), kBody, notify).ok);
  CHECK(verifier->verify(headers_at(signer, clock.get() - 305min - 1s, "late-6"), kBody, notify).failure ==
        VerifyFailure::kStale);
  // Ahead of time is never a re-push.
  CHECK(verifier->verify(headers_at(signer, clock.get() + 6min, "early"), kBody, notify).failure ==
        VerifyFailure::kStale);
  CHECK(verifier->stats().within_repush_grace == 3);  // late-2, its re-push, late-5
}

TEST_CASE("with the grace on, nonces are remembered for the whole grace") {
  ManualClock clock;
  const auto verifier = verifier_on(clock, false, true);
  const Signer signer(webhook_test::kAppKey, webhook_test::kAppSecret);
  // A Block push's header, fresh now; captured and sent again later with a Notify body.
  const HeaderMap captured = headers_at(signer, clock.get(), "captured");
  CHECK(verifier->verify(captured, R"({"eventType":"callin"})", [] { return false; }).ok);
  clock.advance(std::chrono::seconds(60min));
  CHECK(verifier->verify(captured, kBody, [] { return true; }).failure == VerifyFailure::kReplayed);
}

TEST_CASE("refusals are counted per reason") {
  ManualClock clock;
  const auto verifier = verifier_on(clock, false, false);
  const Signer signer(webhook_test::kAppKey, webhook_test::kAppSecret);
  verifier->verify(HeaderMap{}, kBody);
  verifier->verify(headers_at(Signer(webhook_test::kAppKey, "wrong"), clock.get(), "c1"), kBody);
  verifier->verify(headers_at(Signer("stranger", "s"), clock.get(), "c2"), kBody);
  verifier->verify(headers_at(signer, clock.get() - 1h, "c3"), kBody);
  const auto h = signer.sign("c4", "2020-01-01 00:00:00");
  verifier->verify(HeaderMap{{"Authorization", h.authorization}, {"X-AKSK", h.token_value}}, kBody);
  const VerifierStats stats = verifier->stats();
  CHECK(stats.refused.missing_authorization == 1);
  CHECK(stats.refused.bad_digest == 1);
  CHECK(stats.refused.unknown_app == 1);
  CHECK(stats.refused.stale == 1);
  CHECK(stats.refused.malformed_created == 1);
  CHECK(stats.accepted == 0);
}
