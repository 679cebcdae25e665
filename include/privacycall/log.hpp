#ifndef PRIVACYCALL_LOG_HPP
#define PRIVACYCALL_LOG_HPP

/// @file
/// The log hook: how the SDK reports what it does, already redacted.

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace privacycall {

/// Severity of a log record.
enum class LogLevel { kDebug, kInfo, kWarning, kError };

/// Stable lower-case name of a level ("debug", "info", "warning", "error").
const char* to_string(LogLevel level) noexcept;

/// One log record. `message` is a complete line for humans; the other fields carry the same
/// facts for machines. Records never contain the app secret, the X-AKSK / X-WSSE header or,
/// unless ClientOptions::mask_phone_numbers is false, a full phone number.
struct LogRecord {
  LogLevel level = LogLevel::kInfo;
  std::string message;
  /// For request records: HTTP method and path (query string with numbers masked).
  std::string method;
  std::string path;
  std::optional<int> http_status;
  std::optional<std::chrono::microseconds> latency;
  int attempt = 0;
  std::string result_code;
};

/// Receives log records; may be called from any thread, so it must be thread-safe.
using LogHook = std::function<void(const LogRecord&)>;

}  // namespace privacycall

#endif  // PRIVACYCALL_LOG_HPP
