#ifndef PRIVACYCALL_SRC_COMMON_MAKE_ERROR_HPP
#define PRIVACYCALL_SRC_COMMON_MAKE_ERROR_HPP

// The Error of a failure the SDK itself detects: a category and a message, nothing from the
// platform. Every part of the SDK that refuses something builds its Error here.

#include <privacycall/error.hpp>

#include <string>
#include <utility>

namespace privacycall::internal {

/// An Error of `category` saying `message`; not retryable, no HTTP status or result code.
inline Error make_error(ErrorCategory category, std::string message) {
  Error error;
  error.category = category;
  error.message = std::move(message);
  return error;
}

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_SRC_COMMON_MAKE_ERROR_HPP
