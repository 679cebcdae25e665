#include <privacycall/webhook/redis/connection.hpp>

#include <cctype>
#include <string>

namespace privacycall::webhook::redis {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN
namespace {

Error invalid(const std::string& what) {
  Error error;
  error.category = ErrorCategory::kValidation;
  error.message = "redis URL: " + what;
  return error;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Undoes %XX escapes (a password may hold '@' or ':'); `part` names it in the error.
Result<std::string> percent_decoded(std::string_view text, const std::string& part) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    const int high = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
    const int low = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
    if (high < 0 || low < 0) return invalid("the " + part + " has a '%' not followed by two hex digits");
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

std::string RedisEndpoint::redacted() const {
  std::string url = tls ? "rediss://" : "redis://";
  if (!user.empty() || !password.empty()) {
    url += user;
    if (!password.empty()) url += ":***";
    url += '@';
  }
  url += host.find(':') != std::string::npos ? "[" + host + "]" : host;
  url += ':' + std::to_string(port) + '/' + std::to_string(database);
  return url;
}

Result<RedisEndpoint> parse_redis_url(std::string_view url) {
  RedisEndpoint endpoint;
  std::string_view rest;
  if (url.rfind("redis://", 0) == 0) {
    rest = url.substr(8);
  } else if (url.rfind("rediss://", 0) == 0) {
    // hiredis has TLS from 1.0 only, as a separate library; this build links neither.
    return invalid("rediss:// (TLS) is not supported by this build (its hiredis has no TLS); "
                   "use redis:// on a trusted network or a TLS tunnel");
  } else {
    const std::size_t colon = url.find("://");
    return invalid(colon == std::string_view::npos
                       ? std::string("no scheme; expected redis://host:port/db")
                       : "unknown scheme '" + std::string(url.substr(0, colon)) + "'; expected redis://");
  }
  const std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    std::string_view db = rest.substr(slash + 1);
    if (!db.empty()) {
      if (!all_digits(db) || db.size() > 5) {
        return invalid("database '" + std::string(db) + "' is not a number");
      }
      endpoint.database = std::stoi(std::string(db));
    }
  }
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    const std::size_t colon = userinfo.find(':');
    Result<std::string> user = percent_decoded(userinfo.substr(0, colon), "user");
    if (!user) return std::move(user).error();
    endpoint.user = std::move(user).value();
    if (colon != std::string_view::npos) {
      Result<std::string> password = percent_decoded(userinfo.substr(colon + 1), "password");
      if (!password) return std::move(password).error();
      endpoint.password = std::move(password).value();
    }
  }
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return invalid("host '[' has no closing ']'");
    endpoint.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return invalid("unexpected text after the host's ']'");
      port = after.substr(1);
      if (port.empty()) return invalid("port is empty after ':'");
    }
  } else {
    const std::size_t colon = authority.find(':');
    endpoint.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) return invalid("port is empty after ':'");
    }
  }
  if (endpoint.host.empty()) return invalid("no host");
  if (!port.empty()) {
    const long value = all_digits(port) && port.size() <= 5 ? std::stol(std::string(port)) : 0;
    if (value < 1 || value > 65535) {
      return invalid("port '" + std::string(port) + "' is not a number in 1..65535");
    }
    endpoint.port = static_cast<std::uint16_t>(value);
  }
  return endpoint;
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook::redis
