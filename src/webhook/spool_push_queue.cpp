#include "webhook/spool_push_queue.hpp"

#include <utility>

namespace privacycall::webhook::internal {

std::string encode_queued_push(const QueuedPush& push) {
  std::string record;
  record.reserve(push.push_key.size() + push.body.size() + 2);
  record += '\0';
  record += push.push_key;
  record += '\0';
  record += push.body;
  return record;
}

QueuedPush decode_queued_push(std::string_view record) {
  QueuedPush push;
  if (record.empty() || record.front() != '\0') {
    push.body = std::string(record);
    return push;
  }
  const std::size_t end_of_key = record.find('\0', 1);
  if (end_of_key == std::string_view::npos) {  // cannot be written so; read it as a body
    push.body = std::string(record.substr(1));
    return push;
  }
  push.push_key = std::string(record.substr(1, end_of_key - 1));
  push.body = std::string(record.substr(end_of_key + 1));
  return push;
}

Result<std::unique_ptr<SpoolPushQueue>> SpoolPushQueue::open(SpoolOptions options) {
  if (options.on_give_up) {
    options.on_give_up = [give_up = std::move(options.on_give_up)](std::uint64_t sequence,
                                                                   std::string_view record) {
      give_up(sequence, decode_queued_push(record).body);
    };
  }
  std::unique_ptr<SpoolPushQueue> queue(new SpoolPushQueue());
  SpoolPushQueue* self = queue.get();
  Result<std::unique_ptr<Spool>> spool =
      Spool::open(std::move(options), [self](std::string_view record) {
        Deliver deliver;
        {
          std::lock_guard<std::mutex> lock(self->mutex_);
          deliver = self->deliver_;
        }
        deliver(decode_queued_push(record));
      });
  if (!spool) return std::move(spool).error();
  queue->spool_ = std::move(spool).value();
  return queue;
}

Result<std::string> SpoolPushQueue::enqueue(const QueuedPush& push) {
  Result<std::uint64_t> sequence = spool_->append(encode_queued_push(push));
  if (!sequence) return std::move(sequence).error();
  return std::to_string(*sequence);
}

void SpoolPushQueue::start(Deliver deliver) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    deliver_ = std::move(deliver);
  }
  spool_->start();
}

void SpoolPushQueue::stop() { spool_->stop(); }

bool SpoolPushQueue::wait_until_drained(std::chrono::milliseconds timeout) {
  return spool_->wait_until_drained(timeout);
}

PushQueueStats SpoolPushQueue::stats() const {
  const SpoolStats spool = spool_->stats();
  PushQueueStats stats;
  stats.depth = spool.pending;
  stats.pending = 0;  // one worker, no hand-over: an entry is either queued or delivered
  stats.dead_lettered = spool.given_up;
  return stats;
}

std::uint64_t SpoolPushQueue::recovered() const { return spool_->stats().recovered; }

}  // namespace privacycall::webhook::internal
