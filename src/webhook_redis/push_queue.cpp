#include <privacycall/webhook/redis/push_queue.hpp>

#include <privacycall/webhook/redis/nonce_store.hpp>

#include <privacycall/signature.hpp>
#include <privacycall/webhook/store_unavailable.hpp>

#include "webhook/log_internal.hpp"
#include "webhook_redis/client.hpp"
#include "webhook_redis/scripts.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace privacycall::webhook::redis {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN
namespace {

using Clock = std::chrono::steady_clock;
using internal::Command;
using internal::Connection;
using internal::Value;

std::string default_consumer() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host[0] != '\0' ? host : "receiver") + "-" + std::to_string(::getpid()) + "-" +
         privacycall::random_nonce().substr(0, 8);
}

// The fields of one stream entry ([id, [field, value, ...]]) as a push; false when the entry
// has no fields (deleted meanwhile).
bool read_entry(const Value& entry, std::string& id, QueuedPush& push) {
  if (entry.elements.size() < 2 || entry.elements[1].type != Value::Type::kArray) return false;
  id = entry.elements[0].text;
  const auto& fields = entry.elements[1].elements;
  for (std::size_t i = 0; i + 1 < fields.size(); i += 2) {
    if (fields[i].text == "body") push.body = fields[i + 1].text;
    if (fields[i].text == "key") push.push_key = fields[i + 1].text;
  }
  return true;
}

std::string field(const Value& fields, const std::string& name) {
  for (std::size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
    if (fields.elements[i].text == name) return fields.elements[i + 1].text;
  }
  return {};
}

std::chrono::milliseconds backoff_after(std::uint64_t failures, const RedisQueueOptions& options) {
  std::chrono::milliseconds delay = options.initial_backoff;
  for (std::uint64_t i = 1; i < failures && delay < options.max_backoff; ++i) delay *= 2;
  return std::min(delay, options.max_backoff);
}

}  // namespace

struct RedisPushQueue::Impl {
  Impl(std::shared_ptr<internal::Endpoint> e, RedisQueueOptions o)
      : options(std::move(o)), endpoint(std::move(e)), pool(endpoint) {
    if (options.consumer.empty()) options.consumer = default_consumer();
    stream = endpoint->key(options.stream);
    failures = stream + ":failures";
    dead = stream + ":dead";
  }

  RedisQueueOptions options;
  std::shared_ptr<internal::Endpoint> endpoint;
  internal::Pool pool;
  std::string stream, failures, dead;
  internal::Script ack_script{internal::kAckScript};
  internal::Script fail_script{internal::kFailScript};
  internal::Script replay_script{internal::kReplayScript};
  internal::Script remember_and_enqueue_script{internal::kRememberAndEnqueueScript};
  mutable std::atomic<bool> group_ready{false};  // forgotten when Redis answers NOGROUP

  Deliver deliver;
  std::mutex mutex;  // guards running and workers
  std::condition_variable stopping;
  bool running = false;
  std::vector<std::thread> workers;

  mutable std::mutex stats_mutex;
  mutable PushQueueStats last_stats;

  void log(LogLevel level, const std::string& message) const {
    webhook::internal::emit(endpoint->options().log, level, message);
  }

  Result<Value> checked(Result<Value> value) const {
    if (!value) return value;
    if (value->is_error() && value->text.rfind("NOGROUP", 0) == 0) group_ready = false;
    return internal::checked(std::move(value).value(), *endpoint);
  }

  // Creates the consumer group (and the stream) unless it exists. From id 0: entries added
  // before the first receiver started are delivered too.
  Result<bool> ensure_group(Connection& connection) {
    if (group_ready) return true;
    Result<Value> created = connection.run({"XGROUP", "CREATE", stream, options.group, "0", "MKSTREAM"});
    if (!created) return std::move(created).error();
    if (created->is_error() && created->text.rfind("BUSYGROUP", 0) != 0) {
      return internal::checked(std::move(created).value(), *endpoint).error();
    }
    group_ready = true;
    return true;
  }

  // Waits for `replicas` replicas when asked: `reply` is WAIT's answer.
  Result<bool> replicated(const Value& reply) const {
    if (options.replicas == 0) return true;
    if (reply.integer >= static_cast<long long>(options.replicas)) return true;
    return endpoint->error(ErrorCategory::kTimeout,
                           "the entry reached " + std::to_string(reply.integer) + " of " +
                               std::to_string(options.replicas) + " replicas within " +
                               std::to_string(options.replica_timeout.count()) + " ms");
  }

  Command wait_command() const {
    return {"WAIT", std::to_string(options.replicas), std::to_string(options.replica_timeout.count())};
  }

  Result<std::string> enqueue(Connection& connection, const QueuedPush& push) {
    std::vector<Command> commands{{"XADD", stream, "*", "body", push.body, "key", push.push_key}};
    if (options.replicas > 0) commands.push_back(wait_command());
    Result<std::vector<Value>> replies = connection.run(commands, options.replica_timeout);
    if (!replies) return std::move(replies).error();
    Result<Value> id = internal::checked(std::move((*replies)[0]), *endpoint);
    if (!id) return std::move(id).error();
    if (options.replicas > 0) {
      Result<bool> enough = replicated((*replies)[1]);
      if (!enough) return std::move(enough).error();
    }
    return std::move(id->text);
  }

  Result<std::uint64_t> failure_count(Connection& connection, const std::string& id) {
    Result<Value> count = checked(connection.run({"HGET", failures, id}));
    if (!count) return std::move(count).error();
    return count->is_nil() ? 0 : std::stoull(count->text);
  }

  // The first entry of an XREADGROUP / XAUTOCLAIM / XCLAIM list, with its failure count.
  Result<std::optional<TakenPush>> first_entry(Connection& connection, const Value& entries) {
    for (const Value& entry : entries.elements) {
      TakenPush taken;
      if (!read_entry(entry, taken.id, taken.push)) continue;
      Result<std::uint64_t> count = failure_count(connection, taken.id);
      if (!count) return std::move(count).error();
      taken.failures = *count;
      return std::optional<TakenPush>(std::move(taken));
    }
    return std::optional<TakenPush>();
  }

  Result<std::optional<TakenPush>> take(Connection& connection, std::chrono::milliseconds wait) {
    Result<bool> group = ensure_group(connection);
    if (!group) return std::move(group).error();
    Result<Value> claimed = checked(connection.run({"XAUTOCLAIM", stream, options.group, options.consumer,
                                                    std::to_string(options.claim_idle.count()), "0-0",
                                                    "COUNT", "1"}));
    if (!claimed) return std::move(claimed).error();
    if (claimed->elements.size() >= 2) {
      Result<std::optional<TakenPush>> taken = first_entry(connection, claimed->elements[1]);
      if (!taken || taken->has_value()) return taken;
    }
    const auto block = std::max(wait, std::chrono::milliseconds(1));
    Result<Value> read = checked(connection.run({"XREADGROUP", "GROUP", options.group, options.consumer,
                                                 "COUNT", "1", "BLOCK", std::to_string(block.count()),
                                                 "STREAMS", stream, ">"},
                                                block));
    if (!read) return std::move(read).error();
    if (read->is_nil() || read->elements.empty() || read->elements[0].elements.size() < 2) {
      return std::optional<TakenPush>();
    }
    return first_entry(connection, read->elements[0].elements[1]);
  }

  // Takes back an entry this consumer holds (a retry): it stays ours, its idle time reset.
  Result<std::optional<TakenPush>> reclaim(Connection& connection, const std::string& id) {
    Result<Value> claimed =
        checked(connection.run({"XCLAIM", stream, options.group, options.consumer, "0", id}));
    if (!claimed) return std::move(claimed).error();
    return first_entry(connection, *claimed);
  }

  Result<bool> ack(Connection& connection, const std::string& id) {
    Result<Value> acked = ack_script.run(connection, {stream, failures}, {options.group, id});
    if (!acked) return std::move(acked).error();
    return acked->integer == 1;
  }

  Result<FailureOutcome> fail(Connection& connection, const std::string& id, const std::string& error) {
    Result<Value> outcome = fail_script.run(connection, {stream, failures, dead},
                                            {options.group, id, error, std::to_string(std::max<std::size_t>(1, options.max_failures))});
    if (!outcome) return std::move(outcome).error();
    FailureOutcome result;
    if (outcome->elements.size() >= 2) {
      result.failures = static_cast<std::uint64_t>(outcome->elements[0].integer);
      result.dead_lettered = outcome->elements[1].integer == 1;
    }
    return result;
  }

  // One worker: its own connection (a blocking read holds it), and its own retries.
  void work() {
    Connection connection(endpoint);
    std::multimap<Clock::time_point, std::string> retries;  // entries this worker holds
    Clock::time_point last_refresh = Clock::now();
    const auto refresh_every = std::max(options.claim_idle / 3, std::chrono::milliseconds(1));
    std::chrono::milliseconds unavailable_wait{0};

    const auto wait_or_stop = [this](std::chrono::milliseconds delay) {
      std::unique_lock<std::mutex> lock(mutex);
      stopping.wait_for(lock, delay, [this] { return !running; });
    };
    const auto schedule = [&](const std::string& id, std::chrono::milliseconds delay) {
      retries.emplace(Clock::now() + delay, id);
    };
    const auto deliver_taken = [&](const TakenPush& taken) {
      std::string error;
      try {
        deliver(taken.push);
      } catch (const StoreUnavailable& e) {
        // Not the handler's failure: try again once the store is back, without counting it.
        log(LogLevel::kWarning, "queue entry " + taken.id + " waits for a store: " + e.what());
        schedule(taken.id, backoff_after(taken.failures + 1, options));
        return;
      } catch (const std::exception& e) {
        error = e.what();
        if (error.empty()) error = "exception without a message";
      } catch (...) {
        error = "a non-standard exception";
      }
      if (error.empty()) {
        if (!ack(connection, taken.id)) schedule(taken.id, options.initial_backoff);  // delivered again, then a duplicate
        return;
      }
      Result<FailureOutcome> outcome = fail(connection, taken.id, error);
      if (!outcome) {
        schedule(taken.id, backoff_after(taken.failures + 1, options));
      } else if (outcome->dead_lettered) {
        log(LogLevel::kError, "queue entry " + taken.id + " moved to the dead letters after " +
                                  std::to_string(outcome->failures) + " failed deliveries: " + error);
      } else if (outcome->failures > 0) {
        log(LogLevel::kWarning, "delivery of queue entry " + taken.id + " failed (" +
                                    std::to_string(outcome->failures) + " so far); retrying: " + error);
        schedule(taken.id, backoff_after(outcome->failures, options));
      }
    };

    for (;;) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (!running) return;
      }
      if (unavailable_wait.count() > 0) {
        wait_or_stop(unavailable_wait);
        unavailable_wait = {};
        continue;
      }
      const auto now = Clock::now();
      // Entries held for a retry stay ours: their idle time is reset before it reaches
      // claim_idle, so no other replica takes them over meanwhile.
      if (!retries.empty() && now - last_refresh >= refresh_every) {
        Command refresh{"XCLAIM", stream, options.group, options.consumer, "0"};
        for (const auto& retry : retries) refresh.push_back(retry.second);
        refresh.push_back("JUSTID");
        if (connection.run(refresh)) last_refresh = now;
      }
      Result<std::optional<TakenPush>> taken = std::optional<TakenPush>();
      if (!retries.empty() && retries.begin()->first <= now) {
        const std::string id = retries.begin()->second;
        retries.erase(retries.begin());
        taken = reclaim(connection, id);
        if (!taken) schedule(id, endpoint->options().initial_reconnect_backoff);
      } else {
        auto wait = options.poll_interval;
        if (!retries.empty()) {
          wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(retries.begin()->first - now));
        }
        taken = take(connection, wait);
      }
      if (!taken) {
        unavailable_wait = std::max(endpoint->options().initial_reconnect_backoff, std::chrono::milliseconds(1));
        continue;
      }
      if (taken->has_value()) deliver_taken(**taken);
    }
  }

  Result<PushQueueStats> read_stats() {
    return pool.with([&](Connection& connection) -> Result<PushQueueStats> {
      Result<std::vector<Value>> replies =
          connection.run({{"XLEN", stream}, {"XPENDING", stream, options.group}, {"XLEN", dead}});
      if (!replies) return std::move(replies).error();
      PushQueueStats stats;
      stats.depth = static_cast<std::uint64_t>((*replies)[0].integer);
      const Value& pending = (*replies)[1];
      if (!pending.is_error() && !pending.elements.empty()) {
        stats.pending = static_cast<std::uint64_t>(pending.elements[0].integer);
      }
      stats.dead_lettered = static_cast<std::uint64_t>((*replies)[2].integer);
      return stats;
    });
  }
};

RedisPushQueue::RedisPushQueue(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

RedisPushQueue::~RedisPushQueue() { stop(); }

Result<std::unique_ptr<RedisPushQueue>> RedisPushQueue::open(RedisConnectionOptions connection,
                                                             RedisQueueOptions options) {
  Result<std::shared_ptr<internal::Endpoint>> endpoint = internal::make_endpoint(connection);
  if (!endpoint) return std::move(endpoint).error();
  if (options.stream.empty() || options.group.empty()) {
    Error error;
    error.category = ErrorCategory::kValidation;
    error.message = "redis queue: the stream and group names must not be empty";
    return error;
  }
  return std::unique_ptr<RedisPushQueue>(
      new RedisPushQueue(std::make_unique<Impl>(std::move(endpoint).value(), std::move(options))));
}

Result<std::string> RedisPushQueue::enqueue(const QueuedPush& push) {
  return impl_->pool.with([&](Connection& connection) { return impl_->enqueue(connection, push); });
}

Result<RememberedPush> RedisPushQueue::remember_and_enqueue(const NonceUse& use,
                                                            std::chrono::system_clock::time_point now,
                                                            const QueuedPush& push) {
  return impl_->pool.with([&](Connection& connection) -> Result<RememberedPush> {
    const internal::Endpoint& endpoint = *impl_->endpoint;
    Result<Value> outcome = impl_->remember_and_enqueue_script.run(
        connection, {internal::nonce_key(endpoint, use.key), impl_->stream},
        {std::string(use.body_digest), std::to_string(internal::ttl_ms(use.expires, now)), push.body,
         push.push_key});
    if (!outcome) return std::move(outcome).error();
    RememberedPush remembered;
    if (outcome->elements.empty()) return remembered;
    remembered.sighting = internal::sighting(outcome->elements[0]);
    if (outcome->elements.size() > 1) remembered.id = outcome->elements[1].text;
    if (remembered.sighting == NonceSighting::kNew && impl_->options.replicas > 0) {
      Result<Value> waited = connection.run(impl_->wait_command(), impl_->options.replica_timeout);
      if (!waited) return std::move(waited).error();
      Result<bool> enough = impl_->replicated(*waited);
      if (!enough) return std::move(enough).error();
    }
    return remembered;
  });
}

std::optional<Result<NonceSighting>> RedisPushQueue::remember_and_enqueue(
    NonceStore& nonces, const NonceUse& use, std::chrono::system_clock::time_point now, const QueuedPush& push) {
  const auto* shared = dynamic_cast<const RedisNonceStore*>(&nonces);
  if (shared == nullptr || shared->keyspace() != keyspace()) return std::nullopt;
  Result<RememberedPush> remembered = remember_and_enqueue(use, now, push);
  if (!remembered) return Result<NonceSighting>(std::move(remembered).error());
  return Result<NonceSighting>(remembered->sighting);
}

std::string RedisPushQueue::keyspace() const { return impl_->endpoint->keyspace(); }

bool RedisPushQueue::reachable() { return impl_->pool.ping(); }

void RedisPushQueue::start(Deliver deliver) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  if (impl_->running) return;
  impl_->deliver = std::move(deliver);
  impl_->running = true;
  for (std::size_t i = 0; i < std::max<std::size_t>(1, impl_->options.workers); ++i) {
    impl_->workers.emplace_back([this] { impl_->work(); });
  }
}

void RedisPushQueue::stop() {
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->running = false;
    workers.swap(impl_->workers);
  }
  impl_->stopping.notify_all();
  for (std::thread& worker : workers) worker.join();
}

bool RedisPushQueue::wait_until_drained(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    Result<PushQueueStats> stats = impl_->read_stats();
    if (stats && stats->depth == 0 && stats->pending == 0) return true;
    if (Clock::now() >= deadline) return false;
    std::unique_lock<std::mutex> lock(impl_->mutex);
    impl_->stopping.wait_for(lock, std::chrono::milliseconds(10));
  }
}

PushQueueStats RedisPushQueue::stats() const {
  Result<PushQueueStats> stats = impl_->read_stats();
  std::lock_guard<std::mutex> lock(impl_->stats_mutex);
  if (stats) impl_->last_stats = *stats;
  return impl_->last_stats;
}

Result<std::optional<TakenPush>> RedisPushQueue::take(std::chrono::milliseconds wait) {
  return impl_->pool.with([&](Connection& connection) { return impl_->take(connection, wait); });
}

Result<bool> RedisPushQueue::ack(const std::string& id) {
  return impl_->pool.with([&](Connection& connection) { return impl_->ack(connection, id); });
}

Result<FailureOutcome> RedisPushQueue::fail(const std::string& id, const std::string& error) {
  return impl_->pool.with([&](Connection& connection) { return impl_->fail(connection, id, error); });
}

Result<std::vector<DeadLetter>> RedisPushQueue::dead_letters(std::size_t max) {
  return impl_->pool.with([&](Connection& connection) -> Result<std::vector<DeadLetter>> {
    Result<Value> range = impl_->checked(
        connection.run({"XRANGE", impl_->dead, "-", "+", "COUNT", std::to_string(std::max<std::size_t>(1, max))}));
    if (!range) return std::move(range).error();
    std::vector<DeadLetter> letters;
    for (const Value& entry : range->elements) {
      if (entry.elements.size() < 2) continue;
      DeadLetter letter;
      letter.id = entry.elements[0].text;
      const Value& fields = entry.elements[1];
      letter.original_id = field(fields, "id");
      letter.push.body = field(fields, "body");
      letter.push.push_key = field(fields, "key");
      letter.error = field(fields, "error");
      const std::string failures = field(fields, "failures");
      letter.failures = failures.empty() ? 0 : std::stoull(failures);
      letters.push_back(std::move(letter));
    }
    return letters;
  });
}

Result<std::string> RedisPushQueue::replay_dead_letter(const std::string& dead_letter_id) {
  return impl_->pool.with([&](Connection& connection) -> Result<std::string> {
    Result<Value> id = impl_->replay_script.run(connection, {impl_->dead, impl_->stream}, {dead_letter_id});
    if (!id) return std::move(id).error();
    if (id->is_nil()) {
      Error error;
      error.category = ErrorCategory::kValidation;
      error.message = "redis queue: no dead letter " + dead_letter_id;
      return error;
    }
    return std::move(id->text);
  });
}

const std::string& RedisPushQueue::consumer() const { return impl_->options.consumer; }

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook::redis
