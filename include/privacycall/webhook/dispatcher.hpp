#ifndef PRIVACYCALL_WEBHOOK_DISPATCHER_HPP
#define PRIVACYCALL_WEBHOOK_DISPATCHER_HPP

/// @file
/// The receiver's core, independent of any HTTP framework: `(method, path, headers, body)` in,
/// `(status, headers, body)` out. It verifies the signature, parses the body, drops re-pushed
/// duplicates, calls the application's handlers and answers so that the platform's re-push
/// schedule does the right thing (DESIGN.md "Delivery semantics the receiver must honour"):
///
/// - Notify pushes are answered 200 only after the handler returned (or the push was stored in
///   the queue: the durable spool, or a PushQueue shared by a fleet); a handler that throws
///   gets 500 so the platform pushes again.
/// - A shared store (NonceStore, DedupStore, PushQueue) that cannot be reached gets 503, never
///   200: the platform pushes again later.
/// - Block pushes (X-mode `callin` with notifyMode Block, SMS Block) are answered with the
///   handler's decision, or with a configured safe fallback when the handler throws, returns
///   an invalid answer or misses its deadline.
/// - Re-pushes of handled notifications are answered 200 without calling user code. CDR
///   batches are deduplicated per record, so a partly-seen batch delivers only its new
///   records; a record counts as seen only once its handler succeeded. A re-push that carries
///   the original header (its nonce seen before with the same body) passes verification and
///   meets the same deduplication; kinds without an id of their own are deduplicated on the
///   push's app key and nonce ("n|app|nonce").
/// - Non-POST → 405, bad or missing signature → 400/401, invalid JSON or wrong shape → 400.
///   None of these reaches user code.

#include <privacycall/abi.hpp>
#include <privacycall/webhook/block_answers.hpp>
#include <privacycall/webhook/dedup_store.hpp>
#include <privacycall/webhook/http_message.hpp>
#include <privacycall/webhook/latency_histogram.hpp>
#include <privacycall/webhook/log.hpp>
#include <privacycall/webhook/notifications.hpp>
#include <privacycall/webhook/parse.hpp>
#include <privacycall/webhook/push_outcome.hpp>
#include <privacycall/webhook/push_queue.hpp>
#include <privacycall/webhook/spool.hpp>
#include <privacycall/webhook/verifier.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// The application's callbacks, one per kind. Any may be empty: pushes of that kind are then
/// acknowledged (Notify) or answered with the fallback (Block) without calling anything.
/// Handlers run on the server's request threads (or the spool worker) and must be
/// thread-safe. Throwing from a Notify handler means "not handled, push it again".
struct WebhookHandlers {
  /// Every call event except an X-mode Block `callin`.
  std::function<void(const CallEvent&)> on_call_event;
  /// X-mode Block `callin`: decide where the call goes. Runs under the Block deadline.
  std::function<XModeAnswer(const CallEvent&)> on_x_mode_callin;
  /// CDRs: the batch holds only records not handled before.
  std::function<void(const FeeNotification&)> on_fee;
  /// X-number status: every push, entries as received (deduplicated only against re-pushes
  /// with the original header: see
  /// DispatcherOptions::dedup_store).
  std::function<void(const NumberStatusNotification&)> on_number_status;
  /// SMS Notify pushes.
  std::function<void(const SmsNotification&)> on_sms;
  /// SMS Block pushes: forward or discard. Runs under the Block deadline.
  std::function<SmsBlockAnswer(const SmsNotification&)> on_sms_block;
  /// Well-formed JSON of a kind this SDK does not know (deduplicated only against re-pushes
  /// with the original header).
  std::function<void(const UnknownNotification&)> on_unknown;
};

/// Settings of a Dispatcher.
struct DispatcherOptions {
  /// Paths accepted (exact match); empty accepts any path (the body says what it is).
  std::vector<std::string> paths;
  /// Bodies larger than this are refused with 413 (the HTTP server enforces it earlier too).
  std::size_t max_body_bytes = std::size_t{1} << 20;
  /// Bounds on JSON nesting and size applied when parsing bodies.
  ParseLimits parse_limits;
  /// Time a Block handler gets before the fallback answer is sent. The platform's own timeout
  /// is not published; a caller is waiting in silence meanwhile, so keep it short.
  std::chrono::milliseconds block_deadline{std::chrono::seconds(2)};
  /// Block handlers run on a pool of at most this many threads, started as needed, so that a
  /// late one can be left behind at the deadline (it keeps running and keeps its thread). A
  /// push finding every thread busy waits for one, up to its deadline, behind at most as many
  /// other pushes; beyond that it gets the fallback at once. Either way the handler is not
  /// called, and hung handlers cannot pile up threads without bound.
  std::size_t max_block_threads = 64;
  /// How long the destructor (or close()) waits for Block handlers still running; those still
  /// running then are abandoned: their threads are detached and end when the handler returns,
  /// so a hung handler cannot hang the process's shutdown. Counted in
  /// DispatcherStats::block_handlers_abandoned.
  std::chrono::milliseconds block_handler_grace{std::chrono::seconds(5)};
  /// Answer to an X-mode Block `callin` when the handler is missing, throws, is late or
  /// returns an invalid answer. Closing the call is the safe default: connecting somewhere
  /// needs knowledge only the application has.
  XModeAnswer x_mode_fallback = XModeAnswer::close();
  /// Answer to an SMS Block push in the same situations.
  SmsBlockAnswer sms_block_fallback = SmsBlockAnswer::discard();
  /// JSON shape of X-mode answers.
  XModeAnswerForm x_mode_answer_form = XModeAnswerForm::kObject;
  /// Where handled keys are remembered; a MemoryDedupStore with default options when null.
  /// A call leaves about six keys (events and its CDR): size MemoryDedupOptions::max_entries
  /// for the calls of one TTL, or use a shared store when several receivers share the load.
  /// Number-status pushes are deduplicated only on their own app key and nonce: they carry no
  /// id or time, and the same (number, status, cause) legitimately comes again after other
  /// states; only a re-push with the original header is recognised.
  std::shared_ptr<DedupStore> dedup_store;
  /// Receives rejections, dropped bodies and handler failures; empty: no logging.
  LogHook log;
};

/// Counters, read as one snapshot.
struct DispatcherStats {
  std::uint64_t received = 0;          ///< every handle() call
  std::uint64_t delivered = 0;         ///< notifications handed to a handler successfully
  std::uint64_t duplicates = 0;        ///< pushes (or whole batches) answered as already seen
  std::uint64_t handler_failures = 0;  ///< handlers that threw, were late or answered invalidly
  std::uint64_t block_fallbacks = 0;   ///< Block pushes answered with the fallback
  std::uint64_t spooled = 0;           ///< pushes stored in the queue (or spool) before the 200
  std::uint64_t unhandled = 0;         ///< acknowledged pushes with no handler registered
  std::uint64_t block_handlers_running = 0;    ///< Block handlers running now (late ones included)
  std::uint64_t block_handlers_abandoned = 0;  ///< still running after the grace period of close()
  /// Pushes refused before reaching user code, by reason.
  struct Rejected {
    std::uint64_t method_not_allowed = 0;  ///< 405
    std::uint64_t not_found = 0;           ///< 404: path not in DispatcherOptions::paths
    std::uint64_t too_large = 0;           ///< 413
    std::uint64_t bad_auth_headers = 0;    ///< 400: Authorization/X-AKSK missing or malformed
    std::uint64_t unauthenticated = 0;     ///< 401: unknown app, bad digest, stale
    std::uint64_t replayed = 0;            ///< 401: nonce seen before
    std::uint64_t malformed_body = 0;      ///< 400: invalid JSON or wrong shape
    std::uint64_t busy = 0;                ///< 503: in progress elsewhere, or the queue refused it
    /// 503: the NonceStore or DedupStore could not be reached (StoreUnavailable).
    std::uint64_t store_unavailable = 0;
    /// The verifier's refusals by reason: those counted above as bad_auth_headers,
    /// unauthenticated and replayed (and any of another user of the same verifier).
    VerifierStats::Refused signature;
  } rejected;  ///< Requests refused, by reason
  /// Pushes that passed verification and parsing, by kind and outcome. A spooled push counts
  /// as kQueued when answered, and again when the spool's worker delivers it.
  PushCounts pushes;
  /// How long handle() took, for every request.
  LatencyHistogram::Snapshot handle_latency;
};

/// Routes verified, parsed, deduplicated pushes to handlers. Thread-safe: handle() may be
/// called from many threads at once.
class Dispatcher {
 public:
  /// `verifier` must not be null (throws std::invalid_argument): an unverified receiver
  /// accepts forged CDRs. For local development use the verifier's loudly named switch.
  Dispatcher(std::shared_ptr<WebhookVerifier> verifier, WebhookHandlers handlers,
             DispatcherOptions options = {});
  /// close(): stops the queue's workers and waits for late Block handlers, at most
  /// DispatcherOptions::block_handler_grace.
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  /// Handles one request. Never throws.
  WebhookReply handle(const WebhookRequest& request);

  /// Makes Notify pushes durable: each accepted Notify push is written to a journal in
  /// `options.directory` and fsync'ed before the 200, and a worker thread delivers it to the
  /// handlers with retries (also after a restart). Block pushes stay synchronous. Call once,
  /// before serving. Returns the number of undelivered entries recovered from disk.
  Result<std::size_t> enable_spool(SpoolOptions options);

  /// Makes Notify pushes go through `queue`: each accepted Notify push is enqueued before the
  /// 200 (503 when that fails), and the queue's workers deliver it through deliver(const
  /// QueuedPush&). Block pushes stay synchronous. Call once, before serving; the dispatcher
  /// stops the queue's workers when it stops or is destroyed. Returns the entries waiting in
  /// the queue already.
  Result<std::uint64_t> use_queue(std::shared_ptr<PushQueue> queue);

  /// The queue in use (enable_spool or use_queue), for its stats(); null without one.
  std::shared_ptr<PushQueue> queue() const;

  /// Blocks until the queue (or spool) has nothing pending (true) or `timeout` passes
  /// (false). True at once without one.
  bool wait_until_spool_drained(std::chrono::milliseconds timeout);

  /// Stops the queue's workers (entries stay queued). handle() keeps working for Block
  /// pushes.
  void stop();

  /// stop(), then waits up to DispatcherOptions::block_handler_grace for running Block
  /// handlers and abandons those still running (see DispatcherStats::block_handlers_abandoned).
  /// Later Block pushes get the fallback answer without calling the handler.
  void close();

  /// Parses, deduplicates and delivers one Notify body (usable with an application's own
  /// queue). Throws what the handler threw, so the caller retries (StoreUnavailable when the
  /// DedupStore cannot be reached); bodies that no longer parse are logged and dropped.
  void deliver(std::string_view body);
  /// The same for a queued push, also deduplicated on its push key (the queue's delivery
  /// function).
  void deliver(const QueuedPush& push);

  /// A snapshot of the counters since construction.
  DispatcherStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook

#endif  // PRIVACYCALL_WEBHOOK_DISPATCHER_HPP
