#ifndef PRIVACYCALL_LOG_HPP
#define PRIVACYCALL_LOG_HPP

/// @file
/// The log hook: how the SDK reports what it does, already redacted.

#include <privacycall/abi.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// Severity of a log record.
enum class LogLevel {
  kDebug,    ///< Detail for diagnosing; the SDK itself logs nothing at this level today.
  kInfo,     ///< Normal operation: a call that succeeded, a server started, a duplicate push.
  kWarning,  ///< A call that failed, or something an operator should look at.
  kError,    ///< Something the SDK could not handle: a handler threw, a write failed.
};

/// Stable lower-case name of a level ("debug", "info", "warning", "error").
const char* to_string(LogLevel level) noexcept;

/// One log record. `message` is a complete line for humans; the other fields carry the same
/// facts for machines. Records never contain the app secret, the X-AKSK / X-WSSE header or,
/// unless ClientOptions::mask_phone_numbers is false, a full phone number.
struct LogRecord {
  LogLevel level = LogLevel::kInfo;  ///< Severity
  std::string message;               ///< The whole record as one redacted line
  /// For request records: HTTP method and path (query string with numbers masked).
  std::string method;
  std::string path;  ///< Request path and masked query string; see method
  /// HTTP status of the answer; empty when none arrived (transport failure, timeout).
  std::optional<int> http_status;
  /// Time this attempt took, from send to answer or failure.
  std::optional<std::chrono::microseconds> latency;
  /// Which attempt of the request this is, from 1; 0 for records not about a request.
  int attempt = 0;
  /// The platform's `resultcode`, empty when it sent none.
  std::string result_code;
  /// The SDK operation a record is about, e.g. "axb.bind" for an exception escaping its
  /// async callback; empty for request records.
  std::string operation;
};

/// Receives log records; may be called from any thread, so it must be thread-safe.
using LogHook = std::function<void(const LogRecord&)>;

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_LOG_HPP
