#ifndef PRIVACYCALL_WEBHOOK_REDIS_PUSH_QUEUE_HPP
#define PRIVACYCALL_WEBHOOK_REDIS_PUSH_QUEUE_HPP

/// @file
/// A PushQueue on a Redis Stream, shared by a fleet of receivers through one consumer group:
/// a push answered 200 by any replica is delivered by whichever replica is alive.
///
/// - enqueue(): XADD `<prefix><stream>` (then WAIT for replicas when asked); the receiver
///   answers 200 only after it returned.
/// - Workers XREADGROUP new entries in batches (up to `batch` per read), hand them to the
///   handlers one by one, and acknowledge what they delivered (XACK, XDEL) in one script that
///   also writes the deliveries' dedupe commits, sent with the next read: under load, a push
///   costs its dedupe claim plus a share of one round trip per batch. Entries left pending by
///   a consumer that went silent for `claim_idle` (a replica killed mid-delivery) are taken
///   over with XAUTOCLAIM, which each worker runs when the stream is idle and at least every
///   min(claim_idle / 2, 1 s) otherwise.
/// - stop() lets each worker finish the delivery it is in, acknowledges what was delivered, and
///   hands back the entries it had read but not delivered (XCLAIM ... IDLE claim_idle), so that
///   the other replicas take them over at once rather than claim_idle later.
/// - A delivery that throws is retried by the same worker after a backoff (the entry stays
///   pending meanwhile, its idle time refreshed so no other replica takes it); after
///   `max_failures` failed deliveries the entry moves to the dead-letter stream
///   `<prefix><stream>:dead` with the last error, where dead_letters() lists it and
///   replay_dead_letter() puts it back.
///
/// Durability is Redis's: with `appendonly yes` and `appendfsync always` an acknowledged
/// XADD survives a crash of Redis itself; `appendfsync everysec` may lose the last second.

#include <privacycall/abi.hpp>
#include <privacycall/webhook/nonce_store.hpp>
#include <privacycall/webhook/push_queue.hpp>
#include <privacycall/webhook/redis/connection.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace privacycall::webhook::redis {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// Settings of a RedisPushQueue.
struct RedisQueueOptions {
  /// Stream key (under RedisConnectionOptions::key_prefix); the dead letters are `<stream>:dead`.
  std::string stream = "pushes";
  /// The fleet's consumer group: every receiver of one deployment uses the same.
  std::string group = "receivers";
  /// This receiver's name in the group, unique in the fleet; empty: host name, process id and
  /// a random part.
  std::string consumer;
  /// Worker threads of this receiver, each with its own connection.
  std::size_t workers = 2;
  /// Entries pending this long with another consumer are taken over. Longer than the slowest
  /// handler: a delivery still running then may be repeated elsewhere (deduplication answers).
  std::chrono::milliseconds claim_idle{std::chrono::seconds(30)};
  /// First retry delay after a failed delivery; doubles per failure up to max_backoff.
  std::chrono::milliseconds initial_backoff{500};
  /// Ceiling of the retry delay.
  std::chrono::milliseconds max_backoff{std::chrono::minutes(5)};
  /// Failed deliveries (handler threw) after which an entry becomes a dead letter.
  std::size_t max_failures = 10;
  /// When non-zero, enqueue() also waits for this many replicas to have the entry (WAIT),
  /// up to replica_timeout, and fails otherwise (the receiver answers 503; the entry may still
  /// be delivered, and the re-push is then a duplicate).
  std::size_t replicas = 0;
  /// Bound on that wait.
  std::chrono::milliseconds replica_timeout{std::chrono::milliseconds(100)};
  /// Most entries a worker reads at once (XREADGROUP COUNT). Larger batches cost fewer round
  /// trips under load; entries read wait in the worker for the ones before them, so keep
  /// batch x slowest handler well under claim_idle. At least 1.
  std::size_t batch = 32;
  /// How long a worker's XREADGROUP blocks waiting for new entries.
  std::chrono::milliseconds poll_interval{std::chrono::milliseconds(500)};
};

/// One entry taken by a consumer, not yet acknowledged.
struct TakenPush {
  std::string id;         ///< stream entry id
  QueuedPush push;        ///< what was enqueued
  std::uint64_t failures = 0;  ///< failed deliveries before this one (any replica)
};

/// An entry set aside after too many failed deliveries.
struct DeadLetter {
  std::string id;          ///< id in the dead-letter stream
  std::string original_id; ///< id it had in the queue
  QueuedPush push;         ///< what was enqueued
  std::string error;       ///< what the last delivery threw
  std::uint64_t failures = 0;  ///< failed deliveries
};

/// What fail() did with an entry.
struct FailureOutcome {
  std::uint64_t failures = 0;  ///< failed deliveries so far, this one included
  bool dead_lettered = false;  ///< moved to the dead-letter stream
};

/// What remember_and_enqueue() did.
struct RememberedPush {
  NonceSighting sighting = NonceSighting::kNew;  ///< what was known of the nonce
  std::string id;  ///< the entry's id when queued (kNew only)
};

/// The queue. Thread-safe. The low-level calls (take, ack, fail) are what the workers use;
/// they are public for tools and tests.
class RedisPushQueue final : public PushQueue {
 public:
  /// Checks the connection string now (kValidation Error when it is wrong); connects lazily
  /// (the consumer group is created on first use).
  static Result<std::unique_ptr<RedisPushQueue>> open(RedisConnectionOptions connection,
                                                      RedisQueueOptions options = {});
  ~RedisPushQueue() override;  ///< stops the workers, as stop() does
  RedisPushQueue(const RedisPushQueue&) = delete;
  RedisPushQueue& operator=(const RedisPushQueue&) = delete;

  Result<std::string> enqueue(const QueuedPush& push) override;
  void start(Deliver deliver) override;
  /// Stops the workers after their current delivery; what they delivered is acknowledged, and
  /// the entries they had read but not delivered (or held for a retry) are handed back to the
  /// fleet: their idle time is set to claim_idle, so another replica takes them over at once.
  void stop() override;
  /// Polls the fleet's queue until it is empty (nothing queued or pending).
  bool wait_until_drained(std::chrono::milliseconds timeout) override;
  /// depth = XLEN, pending = the group's pending count, dead_lettered = XLEN of the dead
  /// letters. The last snapshot read when Redis cannot be reached.
  PushQueueStats stats() const override;

  /// Records a nonce and queues its push in one round trip (one script: SET NX PX, XADD only
  /// when the nonce is new). A re-push (kSameBody) is not queued again: its first push was.
  Result<RememberedPush> remember_and_enqueue(const NonceUse& use,
                                              std::chrono::system_clock::time_point now,
                                              const QueuedPush& push);
  /// The Dispatcher's call: the one script above when `nonces` is a RedisNonceStore of this
  /// queue's keyspace (same server, database and key prefix); nullopt otherwise (two steps).
  std::optional<Result<NonceSighting>> remember_and_enqueue(NonceStore& nonces, const NonceUse& use,
                                                            std::chrono::system_clock::time_point now,
                                                            const QueuedPush& push) override;

  /// "host:port/db prefix" (never the password); see RedisNonceStore::keyspace.
  std::string keyspace() const;
  /// Whether Redis answers PING now, within the command timeout (for a readiness check).
  bool reachable();

  /// Takes one entry for this consumer: first one pending with a silent consumer for
  /// claim_idle (XAUTOCLAIM), else a new one, waiting up to `wait` (XREADGROUP BLOCK).
  Result<std::optional<TakenPush>> take(std::chrono::milliseconds wait);
  /// Acknowledges a delivered entry (XACK, XDEL). The workers acknowledge in batches.
  Result<bool> ack(const std::string& id);
  /// Counts a failed delivery; at max_failures, moves the entry to the dead letters.
  Result<FailureOutcome> fail(const std::string& id, const std::string& error);

  /// The first `max` dead letters, oldest first.
  Result<std::vector<DeadLetter>> dead_letters(std::size_t max = 100);
  /// Puts a dead letter back into the queue (as a new entry, failures reset); returns its new
  /// id. kValidation Error when there is no such dead letter.
  Result<std::string> replay_dead_letter(const std::string& dead_letter_id);

  /// This receiver's consumer name in the group.
  const std::string& consumer() const;

 private:
  struct Impl;
  explicit RedisPushQueue(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook::redis

#endif  // PRIVACYCALL_WEBHOOK_REDIS_PUSH_QUEUE_HPP
