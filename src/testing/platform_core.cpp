#include "testing/platform_core.hpp"

#include <cstdio>
#include <ctime>

#include "common/text.hpp"

namespace privacycall::testing::internal {
namespace {

struct CodeInfo {
  std::string_view code;
  int status;
  std::string_view desc;
};

// Documented HTTP statuses where known (codes.md §4); 403 for the business codes whose status
// the docs do not show, matching the neighbouring documented rows.
constexpr CodeInfo kCodes[] = {
    {"1010001", 500, "Internal system error."},
    {"1010002", 403, "Invalid request."},
    {"1010003", 401, "Invalid app_key."},
    {"1010010", 401, "Invalid digest."},
    {"1010013", 401, "Time out limit."},
    {"1010040", 403, "The app_key is not allowed to invoke the API."},
    {"1011003", 403, "Exceeded the upper limit of resources that can be applied for."},
    {"1011004", 403, "The record does not exist."},
    {"1011005", 403, "Resources have been allocated."},
    {"1012001", 403, "Resource of number is not to be applied."},
    {"1012007", 403, "The record does not exist."},
    {"1012008", 403, "Insufficient number of resources."},
    {"1012010", 403, "The number has been bound."},
    {"1016001", 403, "The record does not exist."},
    {"1016002", 403, "The record already exists."},
    {"1020152", 403, "Invalid sessionId."},
    {"1020167", 403, "No idle extend Number."},
    {"1023006", 400, "Authorization not contained in the HTTP header."},
    {"1023007", 400, "realm not contained in Authorization."},
    {"1023008", 400, "profile not contained in Authorization."},
    {"1023009", 400, "The value of realm in Authorization must be SDP."},
    {"1023010", 400, "The value of profile in Authorization must be UsernameToken."},
    {"1023011", 400, "The value of type in Authorization must be app_key."},
    {"1023012", 400, "type not contained in Authorization."},
    {"1023013", 400, "WSSE not contained in Authorization."},
    {"1023026", 400, "X-WSSE not contained in the HTTP header."},
    {"1023033", 400, "HTTP header not found X-AKSK field."},
    {"1023034", 400, "UserName not contained in X-AKSK."},
    {"1023035", 400, "Nonce not contained in X-AKSK."},
    {"1023036", 400, "Created not contained in X-AKSK."},
    {"1023037", 400, "PasswordDigest not contained in X-AKSK."},
    {"1023038", 400, "UsernameToken not contained in X-AKSK."},
};

}  // namespace

std::string format_subscribe_time(TimePoint t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S", &utc);
  return buffer;
}

SimReply success(nlohmann::json fields) {
  SimReply reply;
  reply.body = {{"resultcode", "0"}, {"resultdesc", "Success"}};
  for (auto& [key, value] : fields.items()) reply.body[key] = std::move(value);
  return reply;
}

SimReply failure(std::string_view code, std::string detail) {
  SimReply reply;
  reply.status = 403;
  std::string desc = "Error.";
  for (const CodeInfo& info : kCodes) {
    if (info.code == code) {
      reply.status = info.status;
      desc = std::string(info.desc);
    }
  }
  reply.body = {{"resultcode", std::string(code)}, {"resultdesc", detail.empty() ? desc : detail}};
  return reply;
}

const nlohmann::json* Params::raw(const char* name) {
  if (request_.method == "GET" || request_.method == "DELETE") {
    const auto it = request_.query.find(name);
    if (it == request_.query.end()) return nullptr;
    query_value_ = it->second;
    return &query_value_;
  }
  if (!request_.body.is_object()) return nullptr;
  const auto it = request_.body.find(name);
  if (it == request_.body.end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<std::string> Params::text(const char* name) {
  const nlohmann::json* value = raw(name);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) {
    invalid(std::string(name) + " must be a string");
    return std::nullopt;
  }
  return value->get<std::string>();
}

std::optional<std::string> Params::required_text(const char* name) {
  auto value = text(name);
  if (!value && !error_) missing(name);
  return value;
}

std::optional<PhoneNumber> Params::required_number(const char* name) {
  auto value = number(name);
  if (!value && !error_) missing(name);
  return value;
}

std::optional<std::string> Params::user_data(const char* name) {
  auto value = text(name);
  // Characters, not bytes; the value came out of JSON, so it is UTF-8.
  const std::size_t characters = value ? privacycall::internal::utf8_length(*value).value_or(0) : 0;
  if (value && (characters == 0 || characters > 256 || value->find_first_of("{}") != std::string::npos)) {
    invalid("Invalid request. " + std::string(name) + " must be 1-256 characters without braces.");
  }
  return value;
}

std::optional<PhoneNumber> Params::number(const char* name) {
  const auto value = text(name);
  if (!value) return std::nullopt;
  auto parsed = PhoneNumber::parse(*value);
  if (!parsed) {
    invalid("Invalid request. " + std::string(name) + " is not in global format.");
    return std::nullopt;
  }
  return std::move(parsed).value();
}

std::optional<long long> Params::integer(const char* name, long long min, long long max) {
  const nlohmann::json* value = raw(name);
  if (value == nullptr) return std::nullopt;
  std::optional<long long> number;
  if (value->is_number_integer()) {
    number = value->get<long long>();
  } else if (value->is_string()) {
    const std::string& s = value->get_ref<const std::string&>();
    bool digits = !s.empty() && s.size() <= 18;
    for (std::size_t i = 0; digits && i < s.size(); ++i) digits = (s[i] >= '0' && s[i] <= '9') || (i == 0 && s[i] == '-' && s.size() > 1);
    if (digits) number = std::stoll(s);
  }
  if (!number || *number < min || *number > max) {
    invalid("Invalid request. " + std::string(name) + " is out of range.");
    return std::nullopt;
  }
  return number;
}

std::optional<bool> Params::flag(const char* name) {
  const nlohmann::json* value = raw(name);
  if (value == nullptr) return std::nullopt;
  if (value->is_boolean()) return value->get<bool>();
  if (value->is_string()) {
    if (*value == "true") return true;
    if (*value == "false") return false;
  }
  invalid("Invalid request. " + std::string(name) + " must be \"true\" or \"false\".");
  return std::nullopt;
}

std::optional<std::string> Params::one_of(const char* name, std::initializer_list<const char*> values) {
  const auto value = text(name);
  if (!value) return std::nullopt;
  for (const char* allowed : values) {
    if (*value == allowed) return value;
  }
  invalid("Invalid request. " + std::string(name) + " has an unsupported value.");
  return std::nullopt;
}

const nlohmann::json* Params::object(const char* name) {
  const nlohmann::json* value = raw(name);
  if (value == nullptr) return nullptr;
  if (!value->is_object()) {
    invalid("Invalid request. " + std::string(name) + " must be an object.");
    return nullptr;
  }
  return value;
}

void Params::missing(const char* name) { invalid("Invalid request. " + std::string(name) + " is missing."); }

void Params::invalid(const std::string& detail) {
  if (!error_) error_ = failure("1010002", detail);
}

PlatformCore::PlatformCore(FakePlatformOptions opts)
    : options([&] {
        if (opts.numbers.empty()) opts.numbers = default_numbers();
        return std::move(opts);
      }()),
      clock(options.time_scale) {}

const FakeNumber* PlatformCore::find_number(const std::string& number) const {
  for (const FakeNumber& candidate : options.numbers) {
    if (candidate.number == number) return &candidate;
  }
  return nullptr;
}

std::vector<const FakeNumber*> PlatformCore::candidates(const std::optional<std::string>& area, bool loose) const {
  std::vector<const FakeNumber*> found;
  for (const FakeNumber& n : options.numbers) {
    if (area && n.area_code == *area) found.push_back(&n);
  }
  if (loose || !area) {
    for (const FakeNumber& n : options.numbers) {
      if (!area || n.area_code != *area) found.push_back(&n);
    }
  }
  return found;
}

std::string PlatformCore::next_token() {
  // Not a secret (the simulator is loopback-only), just not guessable from a neighbour.
  return next_subscription_id().substr(4);
}

std::string PlatformCore::next_subscription_id() {
  // Unique within the process and not guessable from a neighbour: counter plus a mixed tag.
  const unsigned long long n = ++counter_;
  unsigned long long mixed = n * 0x9E3779B97F4A7C15ULL;
  mixed ^= mixed >> 29;
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "sim-%06llu-%016llx", n, mixed);
  return buffer;
}

}  // namespace privacycall::testing::internal
