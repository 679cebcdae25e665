#ifndef PRIVACYCALL_WEBHOOK_LOG_HPP
#define PRIVACYCALL_WEBHOOK_LOG_HPP

/// @file
/// The log hook of the webhook receiver: where it reports what it refused and why.

#include <functional>
#include <string_view>

namespace privacycall::webhook {

/// Severity of a receiver log line.
enum class LogLevel {
  kDebug,    ///< per-request detail (duplicates, accepted pushes)
  kInfo,     ///< lifecycle (server started, spool recovered entries)
  kWarning,  ///< something a operator should look at (verification disabled, rejected pushes)
  kError,    ///< a push could not be handled and will come again (handler threw, disk full)
};

/// Stable lower-case name of a level ("debug", "info", "warning", "error").
std::string_view to_string(LogLevel level) noexcept;

/// Receives the receiver's log lines. Messages never contain app secrets, X-AKSK values or
/// full phone numbers. Called from request and worker threads, so it must be thread-safe.
/// An empty hook sends warnings and errors to stderr and drops the rest.
using LogHook = std::function<void(LogLevel level, std::string_view message)>;

}  // namespace privacycall::webhook

#endif  // PRIVACYCALL_WEBHOOK_LOG_HPP
