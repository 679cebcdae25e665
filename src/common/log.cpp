#include <privacycall/log.hpp>

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

const char* to_string(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kError: return "error";
  }
  return "info";
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall
