#ifndef PRIVACYCALL_WEBHOOK_SPOOL_HPP
#define PRIVACYCALL_WEBHOOK_SPOOL_HPP

/// @file
/// A durable local queue: a push is written and fsync'ed to a journal before the receiver
/// answers 200, and a worker thread hands it to the handlers with retries. If the process dies
/// (kill -9, crash) after the 200, the entry is delivered again at the next start.
///
/// On-disk layout (directory `SpoolOptions::directory`):
///
/// - `journal.pcs`: records `magic "PCJ1" | seq u64 | length u32 | crc32 u32 | payload`
///   (little-endian; the CRC-32 covers seq, length and payload). Appends are fsync'ed
///   (fdatasync, grouped across concurrent appenders) before append() returns.
/// - `done.pcs`: 16-byte records `magic "PCD1" | seq u64 | crc32 u32` written after an entry
///   was delivered. They are not fsync'ed: losing one in a power cut only means a second
///   delivery (delivery is at-least-once; pushes are at-least-once anyway).
/// - `spool.lock`: empty; the open Spool holds an exclusive flock() on it, so that a second
///   Spool (in any process) cannot open the directory.
///
/// Recovery reads both files up to the first record that is incomplete or fails its checksum
/// (a torn write of a crash), truncates the torn tail away, and queues every journal entry
/// without a done mark. Compaction: once the journal has grown past
/// `compact_threshold_bytes` and at least half of it is delivered, the worker rewrites the
/// undelivered records to `journal.pcs.tmp`, fsyncs it, renames it over the journal, fsyncs
/// the directory and then empties `done.pcs` (a crash in between leaves done marks for
/// sequence numbers that no longer exist, which are ignored; sequence numbers keep growing
/// across restarts so a stale mark never matches a new entry).

#include <privacycall/abi.hpp>
#include <privacycall/result.hpp>
#include <privacycall/webhook/log.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// Settings of a Spool.
struct SpoolOptions {
  /// Directory holding the journal (created if missing). One Spool per directory: open()
  /// fails while another Spool (in any process) has it open.
  std::string directory;
  /// First retry delay after a failed delivery; doubles per failure up to max_backoff.
  std::chrono::milliseconds initial_backoff{500};
  /// Ceiling of the retry delay, however many failures came before.
  std::chrono::milliseconds max_backoff{std::chrono::minutes(5)};
  /// Deliveries tried per entry before giving up (0 = forever). A given-up entry is marked
  /// done, logged as an error and passed to on_give_up.
  std::size_t max_attempts = 0;
  /// append() refuses (so the receiver answers 503 and the platform re-pushes later) once the
  /// journal holds this many bytes.
  std::uint64_t max_journal_bytes = std::uint64_t{1} << 30;
  /// Journal size from which compaction is considered.
  std::uint64_t compact_threshold_bytes = std::uint64_t{4} << 20;
  /// Largest single payload accepted.
  std::size_t max_payload_bytes = std::size_t{16} << 20;
  /// Where warnings (torn tails, failures) go.
  LogHook log;
  /// Called with an entry the spool gave up on (after max_attempts).
  std::function<void(std::uint64_t sequence, std::string_view payload)> on_give_up;
};

/// Counters of a Spool.
struct SpoolStats {
  std::uint64_t appended = 0;          ///< entries appended since open
  std::uint64_t recovered = 0;         ///< undelivered entries found at open
  std::uint64_t delivered = 0;         ///< successful deliveries
  std::uint64_t failed_attempts = 0;   ///< deliveries that threw
  std::uint64_t given_up = 0;          ///< entries dropped after max_attempts
  std::uint64_t torn_records = 0;      ///< damaged tail records skipped at open
  std::uint64_t compactions = 0;       ///< journal rewrites dropping delivered entries
  std::size_t pending = 0;             ///< entries not yet delivered
  std::uint64_t journal_bytes = 0;     ///< current journal size
};

/// The durable queue. Thread-safe.
class Spool {
 public:
  /// Hands one payload to the application. Throwing means "not handled": retried later.
  using Deliver = std::function<void(std::string_view payload)>;

  /// Opens (creating or recovering) the spool in `options.directory`. The worker is not
  /// running yet; call start(). An Error when the directory or files cannot be used.
  static Result<std::unique_ptr<Spool>> open(SpoolOptions options, Deliver deliver);

  ~Spool();  ///< stops the worker
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  /// Writes a payload durably; returns its sequence number once it is on disk. An Error when
  /// the disk write fails or the journal is full (answer 503 then).
  Result<std::uint64_t> append(std::string_view payload);

  /// Starts the delivery worker (idempotent).
  void start();
  /// Stops the worker after its current delivery; undelivered entries stay on disk.
  void stop();

  /// Blocks until nothing is pending or `timeout` passes; true when drained.
  bool wait_until_drained(std::chrono::milliseconds timeout);

  /// A snapshot of the counters since open.
  SpoolStats stats() const;

 private:
  struct Impl;
  explicit Spool(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook

#endif  // PRIVACYCALL_WEBHOOK_SPOOL_HPP
