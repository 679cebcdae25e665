#ifndef PRIVACYCALL_SRC_WEBHOOK_SPOOL_PUSH_QUEUE_HPP
#define PRIVACYCALL_SRC_WEBHOOK_SPOOL_PUSH_QUEUE_HPP

// The Spool as a PushQueue: the single-process queue behind Dispatcher::enable_spool.

#include <privacycall/webhook/push_queue.hpp>
#include <privacycall/webhook/spool.hpp>

#include "common/internal_export.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace privacycall::webhook::internal {

// A spool record holds a QueuedPush as "\0<push key>\0<body>". A body alone (a journal
// written before push keys were kept) is read as a push without a key: JSON never starts
// with a NUL byte, so the two cannot be confused.
PRIVACYCALL_INTERNAL_EXPORT std::string encode_queued_push(const QueuedPush& push);
PRIVACYCALL_INTERNAL_EXPORT QueuedPush decode_queued_push(std::string_view record);

class SpoolPushQueue final : public PushQueue {
 public:
  // Opens the spool in `options.directory` (see Spool::open); its worker starts with start().
  // `options.on_give_up` receives the body of a push given up on, as before push keys.
  static Result<std::unique_ptr<SpoolPushQueue>> open(SpoolOptions options);

  Result<std::string> enqueue(const QueuedPush& push) override;
  void start(Deliver deliver) override;
  void stop() override;
  bool wait_until_drained(std::chrono::milliseconds timeout) override;
  PushQueueStats stats() const override;

  // Entries found undelivered on disk at open.
  std::uint64_t recovered() const;

 private:
  SpoolPushQueue() = default;
  std::mutex mutex_;   // guards deliver_ against a start() racing the worker
  Deliver deliver_;
  std::unique_ptr<Spool> spool_;
};

}  // namespace privacycall::webhook::internal

#endif  // PRIVACYCALL_SRC_WEBHOOK_SPOOL_PUSH_QUEUE_HPP
