#ifndef PRIVACYCALL_WEBHOOK_PUSH_QUEUE_HPP
#define PRIVACYCALL_WEBHOOK_PUSH_QUEUE_HPP

/// @file
/// Where accepted Notify pushes wait for their handlers. The receiver answers 200 only once
/// enqueue() returned; the queue's workers take each push, hand it to the handlers (through
/// deduplication), acknowledge it, retry it with backoff when a handler throws, and set it
/// aside as a dead letter after too many failures.
///
/// The single-process queue is the Spool (Dispatcher::enable_spool); a fleet of receivers
/// shares one queue (privacycall::webhook_redis), so that a push answered by one replica is
/// delivered by whichever replica is alive.

#include <privacycall/abi.hpp>
#include <privacycall/result.hpp>
#include <privacycall/webhook/nonce_store.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// One accepted push, as it waits in a queue.
struct QueuedPush {
  /// The push's body, as received.
  std::string body;
  /// The dedup key of the push itself ("n|<app key>|<nonce>"), empty when unknown. Kinds
  /// without an id of their own are deduplicated on it, so a re-push with the original header
  /// is not delivered twice.
  std::string push_key;
};

/// Counters of a PushQueue, read as one snapshot.
struct PushQueueStats {
  /// Entries accepted and not yet acknowledged (those being delivered included).
  std::uint64_t depth = 0;
  /// Entries taken by a worker and not yet acknowledged.
  std::uint64_t pending = 0;
  /// Entries set aside after too many failed deliveries.
  std::uint64_t dead_lettered = 0;
};

/// A queue of accepted pushes with its own delivery workers. Implementations must be
/// thread-safe. Delivery is at least once: a push may reach `deliver` again after a crash or a
/// takeover, and deduplication answers the repeat.
class PushQueue {
 public:
  /// Hands one push to the application. Throwing means "not handled": retried later.
  using Deliver = std::function<void(const QueuedPush& push)>;

  virtual ~PushQueue() = default;

  /// Stores `push` durably; returns a name of the entry (for logs) once it is stored. An Error
  /// when it could not be stored: the receiver answers 503 then, never 200.
  virtual Result<std::string> enqueue(const QueuedPush& push) = 0;

  /// For a queue that lives with the nonce store: remembers the push's nonce in `nonces` and,
  /// when it is new, stores the push, in one atomic step (a Redis queue: one script, one round
  /// trip); returns what was known of the nonce, or an Error (the receiver answers 503). A
  /// re-push (kSameBody) is not stored again: its first push was, with its nonce. nullopt when
  /// this queue cannot do that with `nonces` (this default): the Dispatcher then remembers the
  /// nonce and calls enqueue(), in two steps.
  virtual std::optional<Result<NonceSighting>> remember_and_enqueue(
      NonceStore& /*nonces*/, const NonceUse& /*use*/, std::chrono::system_clock::time_point /*now*/,
      const QueuedPush& /*push*/) {
    return std::nullopt;
  }

  /// Starts the workers, which hand each entry to `deliver`. Called once.
  virtual void start(Deliver deliver) = 0;
  /// Stops the workers after their current delivery; undelivered entries stay queued.
  virtual void stop() = 0;

  /// Blocks until nothing enqueued here is left undelivered, or `timeout` passes; true when
  /// drained.
  virtual bool wait_until_drained(std::chrono::milliseconds timeout) = 0;

  /// A snapshot of the counters (those of a shared queue are the fleet's).
  virtual PushQueueStats stats() const = 0;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook

#endif  // PRIVACYCALL_WEBHOOK_PUSH_QUEUE_HPP
