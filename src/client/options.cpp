#include <privacycall/options.hpp>

#include <cstdlib>

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

std::optional<ClientOptions> ClientOptions::from_environment() {
  const auto read = [](const char* name) -> std::string {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string() : std::string(value);
  };
  ClientOptions options;
  options.base_url = read("PRIVACYCALL_BASE_URL");
  options.app_key = read("PRIVACYCALL_APP_KEY");
  options.app_secret = read("PRIVACYCALL_APP_SECRET");
  if (options.base_url.empty() || options.app_key.empty() || options.app_secret.empty()) {
    return std::nullopt;
  }
  return options;
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall
