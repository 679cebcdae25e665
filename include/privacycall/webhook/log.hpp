#ifndef PRIVACYCALL_WEBHOOK_LOG_HPP
#define PRIVACYCALL_WEBHOOK_LOG_HPP

/// @file
/// The log hook of the webhook receiver: where it reports what it refused and why. Its levels
/// are the SDK's privacycall::LogLevel (log.hpp): kDebug for per-request detail (duplicates,
/// accepted pushes), kInfo for lifecycle (server started, spool recovered entries), kWarning
/// for what an operator should look at (verification disabled, rejected pushes), kError for a
/// push that could not be handled and will come again (handler threw, disk full).

#include <privacycall/abi.hpp>
#include <privacycall/log.hpp>

#include <functional>
#include <string_view>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// Receives the receiver's log lines. Messages never contain app secrets, X-AKSK values or
/// full phone numbers. Called from request and worker threads, so it must be thread-safe.
/// An empty hook sends warnings and errors to stderr and drops the rest.
using LogHook = std::function<void(privacycall::LogLevel level, std::string_view message)>;

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook

#endif  // PRIVACYCALL_WEBHOOK_LOG_HPP
