#include <privacycall/webhook/log.hpp>

#include "webhook/log_internal.hpp"

#include <cstdio>
#include <string>

namespace privacycall::webhook::internal {

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

}  // namespace privacycall::webhook::internal
