#ifndef PRIVACYCALL_RETRY_HPP
#define PRIVACYCALL_RETRY_HPP

/// @file
/// When and how often a failed call is sent again.

#include <privacycall/abi.hpp>

#include <chrono>

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// Limits and backoff for retries. Which failures are retried at all depends on the operation
/// (see Idempotency): binds are retried only when the request provably never left, auth
/// failures never (the platform blocks an IP after repeated auth failures).
struct RetryPolicy {
  /// Total attempts including the first; 1 disables retries.
  int max_attempts = 3;
  /// No new attempt starts once this much time has passed since the first one.
  std::chrono::milliseconds max_elapsed = std::chrono::seconds(20);
  /// Backoff before the second attempt; doubles (times `multiplier`) up to `max_backoff`.
  /// The actual sleep is drawn uniformly from [0, backoff] ("full jitter").
  std::chrono::milliseconds initial_backoff = std::chrono::milliseconds(200);
  /// Ceiling of the backoff, however many attempts came before.
  std::chrono::milliseconds max_backoff = std::chrono::seconds(5);
  /// Growth factor of the backoff between attempts; 1 keeps it constant.
  double multiplier = 2.0;
  /// Flow-control rejections ask for a pause of about a minute; this is the backoff floor
  /// used for them (capped by max_elapsed).
  std::chrono::milliseconds flow_control_backoff = std::chrono::seconds(5);

  /// A policy that never retries.
  static RetryPolicy none() {
    RetryPolicy policy;
    policy.max_attempts = 1;
    return policy;
  }
};

/// Whether sending an operation twice is harmless.
enum class Idempotency {
  /// query, modify, unbind: retried on transport errors, timeouts, 5xx and flow control.
  /// A retry follows an attempt whose outcome is unknown, so it can meet that attempt's
  /// effect: an unbind whose first attempt timed out after removing the binding gets the
  /// platform's "binding does not exist" answer (1016001, 1011004, 1012007, ...) from its retry.
  kIdempotent,
  /// bind: a second send could create a second binding, so it is retried only when the
  /// first attempt could not have reached the platform (connection never established).
  kNonIdempotent,
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_RETRY_HPP
