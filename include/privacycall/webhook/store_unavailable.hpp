#ifndef PRIVACYCALL_WEBHOOK_STORE_UNAVAILABLE_HPP
#define PRIVACYCALL_WEBHOOK_STORE_UNAVAILABLE_HPP

/// @file
/// The exception a shared store throws from an interface that returns no Result (DedupStore)
/// when it cannot be reached. The Dispatcher answers 503 to it, so the platform pushes again
/// later, and a queue worker retries the delivery without counting it as the handler's
/// failure.

#include <privacycall/abi.hpp>
#include <privacycall/error.hpp>

#include <stdexcept>
#include <utility>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// A shared store (dedupe, nonces, queue) could not be reached or did not answer in time.
class StoreUnavailable : public std::runtime_error {
 public:
  /// Wraps @p error; what() returns Error::to_string().
  explicit StoreUnavailable(Error error)
      : std::runtime_error(error.to_string()), error_(std::move(error)) {}
  /// Why the store could not be used.
  const Error& error() const noexcept { return error_; }

 private:
  Error error_;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook

#endif  // PRIVACYCALL_WEBHOOK_STORE_UNAVAILABLE_HPP
