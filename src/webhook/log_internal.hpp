#ifndef PRIVACYCALL_SRC_WEBHOOK_LOG_INTERNAL_HPP
#define PRIVACYCALL_SRC_WEBHOOK_LOG_INTERNAL_HPP

#include <privacycall/webhook/log.hpp>

#include <string_view>

#include "common/internal_export.hpp"

namespace privacycall::webhook::internal {

/// Sends a line to `hook`, or warnings and errors to stderr when it is empty. Never throws.
PRIVACYCALL_INTERNAL_EXPORT void emit(const LogHook& hook, LogLevel level, std::string_view message) noexcept;

}  // namespace privacycall::webhook::internal

#endif  // PRIVACYCALL_SRC_WEBHOOK_LOG_INTERNAL_HPP
