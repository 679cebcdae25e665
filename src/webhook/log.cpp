#include <privacycall/webhook/log.hpp>

#include "webhook/log_internal.hpp"

#include <cstdio>
#include <string>

namespace privacycall::webhook {

std::string_view to_string(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kError: return "error";
  }
  return "unknown";
}

namespace internal {

void emit(const LogHook& hook, LogLevel level, std::string_view message) noexcept {
  try {
    if (hook) {
      hook(level, message);
      return;
    }
    if (level == LogLevel::kWarning || level == LogLevel::kError) {
      // One fprintf call per line so concurrent lines do not interleave mid-line.
      const std::string line = "privacycall webhook " + std::string(to_string(level)) + ": " +
                               std::string(message) + "\n";
      std::fputs(line.c_str(), stderr);
    }
  } catch (...) {
    // A throwing log hook must not turn a handled push into a failed one.
  }
}

}  // namespace internal
}  // namespace privacycall::webhook
