#include <privacycall/signature.hpp>

#include "common/base64.hpp"
#include "common/internal_export.hpp"
#include "common/sha256.hpp"
#include "common/text.hpp"
#include "common/utc_time.hpp"

#include <cstdio>
#include <ctime>
#include <random>

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN
namespace {

constexpr std::string_view kAkskAuthorization =
    R"(AKSK realm="SDP",profile="UsernameToken",type="Appkey")";
constexpr std::string_view kWsseAuthorization =
    R"(WSSE realm="SDP",profile="UsernameToken",type="Appkey")";

using internal::HmacSha256Key;
using internal::Sha256Digest;

std::string base64(const Sha256Digest& digest) { return internal::base64_encode(digest.data(), digest.size()); }

std::string wsse_digest(std::string_view secret, std::string_view nonce, std::string_view created) {
  return base64(internal::sha256({nonce, created, secret}));
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int two_digits(std::string_view s, std::size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); }

// Splits `key="value",key2="value2"` (spaces around separators tolerated) and calls `on_pair`.
template <typename OnPair>
bool for_each_attribute(std::string_view text, OnPair on_pair) {
  std::size_t i = 0;
  const auto skip_space = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  };
  while (true) {
    skip_space();
    if (i >= text.size()) return true;
    const std::size_t eq = text.find('=', i);
    if (eq == std::string_view::npos) return false;
    std::string_view key = text.substr(i, eq - i);
    while (!key.empty() && key.back() == ' ') key.remove_suffix(1);
    i = eq + 1;
    skip_space();
    std::string_view value;
    if (i < text.size() && text[i] == '"') {
      const std::size_t close = text.find('"', i + 1);
      if (close == std::string_view::npos) return false;
      value = text.substr(i + 1, close - i - 1);
      i = close + 1;
    } else {
      const std::size_t comma = text.find(',', i);
      value = text.substr(i, comma == std::string_view::npos ? text.size() - i : comma - i);
      while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
      // A stray quote means a mangled header (found by fuzzing): refuse rather than guess.
      if (value.find('"') != std::string_view::npos) return false;
      i = comma == std::string_view::npos ? text.size() : comma;
    }
    on_pair(key, value);
    skip_space();
    if (i < text.size()) {
      if (text[i] != ',') return false;
      ++i;
    }
  }
}

using internal::iequals;

constexpr std::size_t kMaxNonceLength = 128;

// 1-128 of [0-9A-Za-z_-]: the docs' letters and digits, plus the dash of Java's UUIDs and the
// underscore of URL-safe Base64 nonces.
bool valid_nonce(std::string_view nonce) {
  if (nonce.empty() || nonce.size() > kMaxNonceLength) return false;
  for (const char c : nonce) {
    const bool ok = is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                    c == '-';
    if (!ok) return false;
  }
  return true;
}

Error token_error(std::string code, std::string message) {
  Error error;
  error.category = ErrorCategory::kValidation;
  error.http_status = 400;
  error.result_code = std::move(code);
  error.message = std::move(message);
  return error;
}

// Caches the formatted Created per thread: many signatures share the same second.
const std::string& cached_created(std::chrono::system_clock::time_point now) {
  thread_local std::time_t cached_second = -1;
  thread_local std::string cached_text;
  const std::time_t second = std::chrono::system_clock::to_time_t(now);
  if (second != cached_second) {
    cached_text = format_created(now);
    cached_second = second;
  }
  return cached_text;
}

}  // namespace

std::string_view authorization_value(SignatureScheme scheme) noexcept {
  return scheme == SignatureScheme::kAksk ? kAkskAuthorization : kWsseAuthorization;
}

std::string_view token_header_name(SignatureScheme scheme) noexcept {
  return scheme == SignatureScheme::kAksk ? "X-AKSK" : "X-WSSE";
}

std::string format_created(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[64];  // roomy enough that the compiler can prove no truncation
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
  return buffer;
}

Result<std::chrono::system_clock::time_point> parse_created(std::string_view text) {
  const auto invalid = [](std::string message) {
    Error error;
    error.category = ErrorCategory::kValidation;
    error.message = std::move(message);
    return error;
  };
  // yyyy-MM-ddTHH:mm:ss, then optionally .fraction (1-9 digits), then Z
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd";
  constexpr std::size_t kMaxFractionDigits = 9;
  bool shape_ok = text.size() > kShape.size();
  for (std::size_t i = 0; shape_ok && i < kShape.size(); ++i) {
    shape_ok = kShape[i] == 'd' ? is_digit(text[i]) : text[i] == kShape[i];
  }
  std::string_view rest = shape_ok ? text.substr(kShape.size()) : std::string_view();
  if (shape_ok && rest.front() == '.') {
    std::size_t digits = 1;
    while (digits < rest.size() && is_digit(rest[digits])) ++digits;
    shape_ok = digits > 1 && digits - 1 <= kMaxFractionDigits;
    rest.remove_prefix(digits);
  }
  if (!shape_ok || rest != "Z") {
    std::string why = "Created is not a UTC time of the form yyyy-MM-ddTHH:mm:ssZ";
    if (shape_ok && !rest.empty() && (rest.front() == '+' || rest.front() == '-')) {
      why += " (it carries a UTC offset: write the time in UTC with a literal Z)";
    }
    return invalid(std::move(why));
  }
  std::tm utc{};
  utc.tm_year = two_digits(text, 0) * 100 + two_digits(text, 2) - 1900;
  utc.tm_mon = two_digits(text, 5) - 1;
  utc.tm_mday = two_digits(text, 8);
  utc.tm_hour = two_digits(text, 11);
  utc.tm_min = two_digits(text, 14);
  utc.tm_sec = two_digits(text, 17);
  if (utc.tm_mon > 11 || utc.tm_mday < 1 || utc.tm_mday > 31 || utc.tm_hour > 23 ||
      utc.tm_min > 59 || utc.tm_sec > 60) {
    return invalid("Created holds an impossible date or time");
  }
  const auto instant = internal::utc_time_point(utc);
  if (!instant) return invalid("Created is outside the years the clock can represent");
  return *instant;
}

Result<UsernameToken> parse_username_token(std::string_view value) {
  constexpr std::string_view kPrefix = "UsernameToken";
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (value.substr(0, kPrefix.size()) != kPrefix ||
      (value.size() > kPrefix.size() && value[kPrefix.size()] != ' ')) {
    return token_error("1023038", "the value does not start with UsernameToken");
  }
  value.remove_prefix(kPrefix.size());
  UsernameToken token;
  bool has_username = false, has_digest = false, has_nonce = false, has_created = false;
  const bool well_formed = for_each_attribute(value, [&](std::string_view key, std::string_view v) {
    if (iequals(key, "Username")) {
      token.username = std::string(v);
      has_username = true;
    } else if (iequals(key, "PasswordDigest")) {
      token.password_digest = std::string(v);
      has_digest = true;
    } else if (iequals(key, "Nonce")) {
      token.nonce = std::string(v);
      has_nonce = true;
    } else if (iequals(key, "Created")) {
      token.created = std::string(v);
      has_created = true;
    }
  });
  if (!well_formed) return token_error("1023038", "not a list of key=\"value\" after UsernameToken");
  if (!has_username || token.username.empty()) return token_error("1023034", "Username missing");
  if (!has_nonce || token.nonce.empty()) return token_error("1023035", "Nonce missing");
  if (!valid_nonce(token.nonce)) {
    return token_error("1023035", "Nonce must be 1-" + std::to_string(kMaxNonceLength) +
                                      " characters of [0-9A-Za-z_-] (got " +
                                      std::to_string(token.nonce.size()) + " characters)");
  }
  if (!has_created || token.created.empty()) return token_error("1023036", "Created missing");
  if (!has_digest || token.password_digest.empty()) {
    return token_error("1023037", "PasswordDigest missing");
  }
  return token;
}

std::string format_username_token(const UsernameToken& token) {
  std::string out;
  out.reserve(64 + token.username.size() + token.password_digest.size() + token.nonce.size() +
              token.created.size());
  out += R"(UsernameToken Username=")";
  out += token.username;
  out += R"(",PasswordDigest=")";
  out += token.password_digest;
  out += R"(",Nonce=")";
  out += token.nonce;
  out += R"(",Created=")";
  out += token.created;
  out += '"';
  return out;
}

std::string compute_password_digest(SignatureScheme scheme, std::string_view secret,
                                    std::string_view nonce, std::string_view created) {
  if (scheme == SignatureScheme::kWsse) return wsse_digest(secret, nonce, created);
  return base64(internal::hmac_sha256(secret, nonce, created));
}

bool constant_time_equals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

std::string random_nonce() {
  thread_local std::mt19937_64 generator{[] {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
  }()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string nonce(32, '0');
  for (int half = 0; half < 2; ++half) {
    std::uint64_t bits = generator();
    for (int i = 0; i < 16; ++i, bits >>= 4) nonce[half * 16 + i] = kHex[bits & 0xF];
  }
  return nonce;
}

struct PRIVACYCALL_HIDDEN Signer::Impl {
  std::string app_key;
  std::string secret;  // kept only for the legacy WSSE digest, which hashes it in
  SignatureScheme scheme;
  HmacSha256Key key;
  Clock clock;
  NonceSource nonce_source;
};

Signer::Signer(std::string app_key, std::string_view app_secret, SignatureScheme scheme,
               Clock clock, NonceSource nonce_source)
    : impl_(std::make_unique<Impl>(Impl{
          std::move(app_key),
          scheme == SignatureScheme::kWsse ? std::string(app_secret) : std::string(),
          scheme,
          HmacSha256Key(app_secret),
          clock ? std::move(clock) : Clock([] { return std::chrono::system_clock::now(); }),
          nonce_source ? std::move(nonce_source) : NonceSource(random_nonce),
      })) {}

Signer::~Signer() = default;
Signer::Signer(const Signer& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}
Signer& Signer::operator=(const Signer& other) {
  if (this != &other) impl_ = std::make_unique<Impl>(*other.impl_);
  return *this;
}
Signer::Signer(Signer&&) noexcept = default;
Signer& Signer::operator=(Signer&&) noexcept = default;

SignatureScheme Signer::scheme() const noexcept { return impl_->scheme; }
const std::string& Signer::app_key() const noexcept { return impl_->app_key; }

std::string Signer::digest(std::string_view nonce, std::string_view created) const {
  if (impl_->scheme == SignatureScheme::kWsse) return wsse_digest(impl_->secret, nonce, created);
  return base64(impl_->key.mac(nonce, created));
}

SignedHeaders Signer::sign() const {
  const std::string nonce = impl_->nonce_source();
  return sign(nonce, cached_created(impl_->clock()));
}

SignedHeaders Signer::sign(std::string_view nonce, std::string_view created) const {
  SignedHeaders headers;
  headers.authorization = std::string(authorization_value(impl_->scheme));
  headers.token_header = std::string(token_header_name(impl_->scheme));
  UsernameToken token{impl_->app_key, digest(nonce, created), std::string(nonce),
                      std::string(created)};
  headers.token_value = format_username_token(token);
  return headers;
}

std::string_view to_string(VerifyFailure failure) noexcept {
  switch (failure) {
    case VerifyFailure::kMissingAuthorization: return "missing_authorization";
    case VerifyFailure::kBadAuthorization: return "bad_authorization";
    case VerifyFailure::kMissingToken: return "missing_token";
    case VerifyFailure::kMalformedToken: return "malformed_token";
    case VerifyFailure::kUnknownApp: return "unknown_app";
    case VerifyFailure::kBadDigest: return "bad_digest";
    case VerifyFailure::kStale: return "stale";
    case VerifyFailure::kReplayed: return "replayed";
    case VerifyFailure::kSchemeNotAccepted: return "scheme_not_accepted";
    case VerifyFailure::kMalformedCreated: return "malformed_created";
  }
  return "unknown";
}

std::string describe_clock_offset(std::chrono::seconds offset, std::string_view clock_name) {
  const long long total = offset.count() < 0 ? -offset.count() : offset.count();
  const long long hours = total / 3600, minutes = total % 3600 / 60, seconds = total % 60;
  std::string text;
  if (hours > 0) text += std::to_string(hours) + " h ";
  if (hours > 0 || minutes > 0) text += std::to_string(minutes) + " min ";
  text += std::to_string(seconds) + " s ";
  text += offset.count() < 0 ? "behind " : "ahead of ";
  text += clock_name;
  // Time zones run from UTC-12 to UTC+14: a difference that close to a whole number of hours
  // is far more likely a local time with a literal Z than drift.
  constexpr long long kHour = 3600, kSlack = 60, kMaxZoneHours = 14;
  const long long nearest = (total + kHour / 2) / kHour;
  if (nearest >= 1 && nearest <= kMaxZoneHours && std::llabs(total - nearest * kHour) <= kSlack) {
    text += "; within a minute of " + std::to_string(nearest) + (nearest == 1 ? " hour" : " hours") +
            ", so it looks like local time written as UTC (Created must be UTC)";
  }
  return text;
}

namespace {

VerifyOutcome fail(VerifyFailure failure, std::string code, int status, std::string detail) {
  VerifyOutcome outcome;
  outcome.failure = failure;
  outcome.result_code = std::move(code);
  outcome.http_status = status;
  outcome.detail = std::move(detail);
  return outcome;
}

std::string_view scheme_word(SignatureScheme scheme) {
  return scheme == SignatureScheme::kAksk ? "AKSK" : "WSSE";
}

// Whether `text` (after leading spaces) starts with `word`, in any case, as a whole word.
bool starts_with_word(std::string_view text, std::string_view word) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  if (text.size() < word.size() || !iequals(text.substr(0, word.size()), word)) return false;
  return text.size() == word.size() || text[word.size()] == ' ';
}

// A header's beginning fit for a log line or a reply: printable ASCII only, capped. Used only
// for Authorization and Username, which hold no secret.
std::string excerpt(std::string_view text) {
  constexpr std::size_t kMax = 40;
  std::string out = "\"";
  for (const char c : text.substr(0, kMax)) out += c >= 0x20 && c < 0x7F && c != '"' ? c : '?';
  out += text.size() > kMax ? "...\"" : "\"";
  return out;
}

// Checks `AKSK realm="SDP",profile="UsernameToken",type="Appkey"` part by part so that each
// defect gets the platform's own code. Tolerates what other clients send: the word in any
// case, ", " between attributes, `dsl=` for `type=` (Huawei's Java demo) and any case of
// Appkey.
VerifyOutcome check_authorization(SignatureScheme scheme, std::string_view value) {
  const std::string_view word = scheme_word(scheme);
  if (!starts_with_word(value, word)) {
    return fail(VerifyFailure::kBadAuthorization,
                scheme == SignatureScheme::kWsse ? "1023013" : "1023006", 400,
                "Authorization does not start with " + std::string(word) + " (received " +
                    excerpt(value) + ")");
  }
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  value.remove_prefix(word.size());
  std::string realm, profile, type;
  bool has_realm = false, has_profile = false, has_type = false;
  const bool well_formed = for_each_attribute(value, [&](std::string_view k, std::string_view v) {
    if (iequals(k, "realm")) { realm = std::string(v); has_realm = true; }
    if (iequals(k, "profile")) { profile = std::string(v); has_profile = true; }
    if (iequals(k, "type") || iequals(k, "dsl")) { type = std::string(v); has_type = true; }
  });
  const auto bad = [](const char* code, std::string detail) {
    return fail(VerifyFailure::kBadAuthorization, code, 400, "Authorization: " + std::move(detail));
  };
  if (!well_formed) return bad("1023007", "not a list of key=\"value\" after " + std::string(word));
  if (!has_realm) return bad("1023007", "realm missing");
  if (!has_profile) return bad("1023008", "profile missing");
  if (realm != "SDP") return bad("1023009", "realm must be \"SDP\"");
  if (profile != "UsernameToken") return bad("1023010", "profile must be \"UsernameToken\"");
  if (!has_type) return bad("1023012", "type (or dsl) missing");
  if (!iequals(type, "Appkey")) return bad("1023011", "type must be \"Appkey\"");
  VerifyOutcome ok;
  ok.ok = true;
  return ok;
}

std::string stale_detail(const VerifyOutcome& outcome, std::chrono::system_clock::time_point now,
                         std::chrono::seconds window) {
  return "Created " + outcome.token.created + " is " +
         describe_clock_offset(outcome.clock_offset,
                               "the clock here (" + format_created(now) + ")") +
         "; at most " + std::to_string(window.count()) + " s either way is accepted";
}

}  // namespace

VerifyOutcome verify_signature(
    SignatureScheme scheme, const VerifyInput& input,
    const std::function<const Signer*(std::string_view username)>& signer_for,
    std::chrono::system_clock::time_point now, std::chrono::seconds window) {
  VerifyOutcome outcome = [&] {
    const std::string header(token_header_name(scheme));
    if (input.authorization.empty()) {
      return fail(VerifyFailure::kMissingAuthorization, "1023006", 400,
                  "the Authorization header is missing");
    }
    if (VerifyOutcome auth = check_authorization(scheme, input.authorization); !auth.ok) return auth;
    if (input.token.empty()) {
      return fail(VerifyFailure::kMissingToken,
                  scheme == SignatureScheme::kAksk ? "1023033" : "1023026", 400,
                  "the " + header + " header is missing (Authorization names " +
                      std::string(scheme_word(scheme)) + ")");
    }
    Result<UsernameToken> token = parse_username_token(input.token);
    if (!token) {
      std::string code = token.error().result_code;
      if (scheme == SignatureScheme::kWsse) {
        // The legacy scheme numbered the same defects 1023027..1023030.
        if (code == "1023034") code = "1023027";
        if (code == "1023035") code = "1023028";
        if (code == "1023036") code = "1023029";
        if (code == "1023037") code = "1023030";
      }
      return fail(VerifyFailure::kMalformedToken, std::move(code), 400,
                  header + ": " + token.error().message);
    }
    VerifyOutcome parsed;
    parsed.token = std::move(token).value();
    Result<std::chrono::system_clock::time_point> created = parse_created(parsed.token.created);
    if (!created) {
      VerifyOutcome bad = fail(VerifyFailure::kMalformedCreated, "1023031", 400,
                               header + ": " + created.error().message);
      bad.token = std::move(parsed.token);
      return bad;
    }
    parsed.created = *created;
    // Not `*created - now`: for a Created near 1678 or 2261 that overflows (a fuzzing find).
    parsed.clock_offset = internal::seconds_between(now, *created);
    const Signer* signer = signer_for(parsed.token.username);
    if (signer == nullptr || signer->scheme() != scheme) {
      parsed.failure = VerifyFailure::kUnknownApp;
      parsed.result_code = "1010003";
      parsed.detail = "Username " + excerpt(parsed.token.username) + " is not an app key known here";
      return parsed;
    }
    const std::string expected = signer->digest(parsed.token.nonce, parsed.token.created);
    if (!constant_time_equals(expected, parsed.token.password_digest)) {
      parsed.failure = VerifyFailure::kBadDigest;
      parsed.result_code = "1010010";
      parsed.detail = scheme == SignatureScheme::kAksk
                          ? "PasswordDigest does not match: a wrong app secret, or not "
                            "Base64(HMAC-SHA256(secret, Nonce + Created))"
                          : "PasswordDigest does not match: a wrong app secret, or not "
                            "Base64(SHA-256(Nonce + Created + secret))";
      return parsed;
    }
    if (*created < now - window || *created > now + window) {
      parsed.failure = VerifyFailure::kStale;
      parsed.result_code = "1010013";
      parsed.detail = stale_detail(parsed, now, window);
      return parsed;
    }
    parsed.ok = true;
    return parsed;
  }();
  outcome.scheme = scheme;
  return outcome;
}

SignatureScheme received_scheme(const SignedRequest& request) noexcept {
  if (starts_with_word(request.authorization, "WSSE")) return SignatureScheme::kWsse;
  if (starts_with_word(request.authorization, "AKSK")) return SignatureScheme::kAksk;
  return request.x_wsse && !request.x_aksk ? SignatureScheme::kWsse : SignatureScheme::kAksk;
}

VerifyOutcome verify_request(
    const SignedRequest& request, bool accept_wsse,
    const std::function<const Signer*(SignatureScheme, std::string_view username)>& signer_for,
    std::chrono::system_clock::time_point now, std::chrono::seconds window) {
  const SignatureScheme scheme = received_scheme(request);
  if (scheme == SignatureScheme::kWsse && !accept_wsse) {
    VerifyOutcome refused = fail(
        VerifyFailure::kSchemeNotAccepted, "1023006", 400,
        "received the legacy WSSE scheme (Authorization: WSSE, X-WSSE) but only AKSK "
        "(Authorization: AKSK, X-AKSK) is accepted here; accepting WSSE is a setting "
        "(VerifierOptions::accept_legacy_wsse, --accept-wsse)");
    refused.scheme = scheme;
    return refused;
  }
  const std::optional<std::string_view>& token =
      scheme == SignatureScheme::kAksk ? request.x_aksk : request.x_wsse;
  VerifyOutcome outcome = verify_signature(
      scheme, VerifyInput{request.authorization, token.value_or(std::string_view())},
      [&](std::string_view username) { return signer_for(scheme, username); }, now, window);
  const std::optional<std::string_view>& other =
      scheme == SignatureScheme::kAksk ? request.x_wsse : request.x_aksk;
  if (outcome.failure == VerifyFailure::kMissingToken && other) {
    outcome.detail += "; the request carries " +
                      std::string(token_header_name(scheme == SignatureScheme::kAksk
                                                        ? SignatureScheme::kWsse
                                                        : SignatureScheme::kAksk)) +
                      " instead: Authorization and the token header must name the same scheme";
  }
  return outcome;
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall
