#include <privacycall/webhook/redis/push_queue.hpp>

#include <privacycall/webhook/redis/nonce_store.hpp>

#include <privacycall/signature.hpp>
#include <privacycall/webhook/store_unavailable.hpp>

#include "webhook/log_internal.hpp"
#include "webhook_redis/client.hpp"
#include "webhook_redis/deferred_commits.hpp"
#include "webhook_redis/scripts.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
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

struct PRIVACYCALL_HIDDEN RedisPushQueue::Impl {
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

  // The entries of an XREADGROUP / XAUTOCLAIM / XCLAIM list (those deleted meanwhile left
  // out), as having failed `failures` times.
  static std::vector<TakenPush> entries_of(const Value& entries, std::uint64_t failures = 0) {
    std::vector<TakenPush> taken;
    for (const Value& entry : entries.elements) {
      TakenPush push;
      if (!read_entry(entry, push.id, push.push)) continue;
      push.failures = failures;
      taken.push_back(std::move(push));
    }
    return taken;
  }

  // The new entries of an XREADGROUP reply: none of them has failed yet.
  static std::vector<TakenPush> fresh_entries(const Value& read) {
    if (read.is_nil() || read.elements.empty() || read.elements[0].elements.size() < 2) return {};
    return entries_of(read.elements[0].elements[1]);
  }

  // XREADGROUP of up to `count` new entries, waiting up to `block` for one (zero: not at all).
  Command read_command(std::size_t count, std::chrono::milliseconds block) const {
    Command read{"XREADGROUP", "GROUP", options.group, options.consumer, "COUNT", std::to_string(count)};
    if (block.count() > 0) read.insert(read.end(), {"BLOCK", std::to_string(block.count())});
    read.insert(read.end(), {"STREAMS", stream, ">"});
    return read;
  }

  // Takes over up to `count` entries pending with a silent consumer for claim_idle, with how
  // often each failed already (any replica's attempts; one HMGET for them all).
  Result<std::vector<TakenPush>> claim_abandoned(Connection& connection, std::size_t count) {
    Result<Value> claimed = checked(connection.run({"XAUTOCLAIM", stream, options.group, options.consumer,
                                                    std::to_string(options.claim_idle.count()), "0-0",
                                                    "COUNT", std::to_string(count)}));
    if (!claimed) return std::move(claimed).error();
    if (claimed->elements.size() < 2) return std::vector<TakenPush>();
    std::vector<TakenPush> taken = entries_of(claimed->elements[1]);
    if (taken.empty()) return taken;
    Command counts{"HMGET", failures};
    for (const TakenPush& push : taken) counts.push_back(push.id);
    Result<Value> known = checked(connection.run(counts));
    if (!known) return std::move(known).error();
    for (std::size_t i = 0; i < taken.size() && i < known->elements.size(); ++i) {
      if (!known->elements[i].is_nil()) taken[i].failures = std::stoull(known->elements[i].text);
    }
    return taken;
  }

  Result<std::optional<TakenPush>> take(Connection& connection, std::chrono::milliseconds wait) {
    Result<bool> group = ensure_group(connection);
    if (!group) return std::move(group).error();
    Result<std::vector<TakenPush>> claimed = claim_abandoned(connection, 1);
    if (!claimed) return std::move(claimed).error();
    if (!claimed->empty()) return std::optional<TakenPush>(std::move(claimed->front()));
    const auto block = std::max(wait, std::chrono::milliseconds(1));
    Result<Value> read = checked(connection.run(read_command(1, block), block));
    if (!read) return std::move(read).error();
    std::vector<TakenPush> fresh = fresh_entries(*read);
    if (fresh.empty()) return std::optional<TakenPush>();
    return std::optional<TakenPush>(std::move(fresh.front()));
  }

  // The ack script for `ids`, writing `commits` with them.
  Command ack_command(const std::vector<std::string>& ids,
                      const std::vector<internal::DeferredCommits::Commit>& commits) const {
    std::vector<std::string> keys{stream, failures};
    std::vector<std::string> args{options.group, std::to_string(ids.size())};
    args.insert(args.end(), ids.begin(), ids.end());
    for (const auto& commit : commits) {
      keys.push_back(commit.key);
      args.push_back(commit.value);
      args.push_back(std::to_string(std::max<long long>(1, commit.ttl.count())));
    }
    return ack_script.command(keys, args);
  }

  // Acknowledges `ids` and writes `commits`, in one round trip; how many entries were acked.
  Result<long long> ack(Connection& connection, const std::vector<std::string>& ids,
                        const std::vector<internal::DeferredCommits::Commit>& commits = {}) {
    Command command = ack_command(ids, commits);
    Result<Value> reply = connection.run(command);
    if (!reply) return std::move(reply).error();
    Result<Value> acked = ack_script.complete(connection, std::move(command), std::move(reply).value());
    if (!acked) return std::move(acked).error();
    return acked->integer;
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

  bool is_running() {
    std::lock_guard<std::mutex> lock(mutex);
    return running;
  }

  // Waits `delay`, or less when stop() is called meanwhile.
  void pause(std::chrono::milliseconds delay) {
    std::unique_lock<std::mutex> lock(mutex);
    stopping.wait_for(lock, delay, [this] { return !running; });
  }

  class Worker;
  void work();

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

// One worker: its own connection (a blocking read holds it), the entries it has read and not
// delivered yet, those it delivered and has yet to acknowledge (with the dedupe commits their
// deliveries deferred), and those it holds for a retry.
class RedisPushQueue::Impl::Worker {
 public:
  explicit Worker(Impl& queue)
      : queue_(queue),
        connection_(queue.endpoint),
        commits_(queue.endpoint->keyspace()),
        refresh_every_(std::max(queue.options.claim_idle / 3, std::chrono::milliseconds(1))),
        claim_every_(std::clamp(queue.options.claim_idle / 2, std::chrono::milliseconds(1),
                                std::chrono::milliseconds(kMaxClaimInterval))),
        acknowledge_within_(std::clamp(queue.options.claim_idle / 4, std::chrono::milliseconds(1),
                                       std::chrono::milliseconds(kMaxAcknowledgementDelay))) {}

  void run() {
    while (queue_.is_running()) {
      if (!step()) {
        queue_.pause(std::max(queue_.endpoint->options().initial_reconnect_backoff, std::chrono::milliseconds(1)));
      }
    }
    hand_back();
  }

 private:
  // Under load, other replicas' abandoned entries are looked for at least this often, however
  // long claim_idle is: entries handed back by a replica that stopped are then taken within a
  // second. (An idle worker looks before each read.)
  static constexpr std::chrono::seconds kMaxClaimInterval{1};
  // A delivery waits at most this long (or claim_idle / 4) for its acknowledgement while the
  // rest of its batch is delivered: its dedupe commit goes with it, and must land well within
  // the claim's lease (capped at claim_idle), or another replica taking the entry over after
  // claim_idle would find the claim expired and deliver it again.
  static constexpr std::chrono::milliseconds kMaxAcknowledgementDelay{100};

  struct Retry {
    std::string id;
    std::uint64_t failures = 0;  // failed deliveries so far
  };

  // One move: a retry that is due, else the next entry read, else the abandoned entries when
  // it is time to look for them, else acknowledge what was delivered and read more. False when
  // Redis could not be reached.
  bool step() {
    const auto now = Clock::now();
    refresh_held(now);
    if (!retries_.empty() && retries_.begin()->first <= now) return retry_due();
    if (!taken_.empty()) {
      if (unacknowledged() && now - first_delivered_ >= acknowledge_within_ && !acknowledge()) return false;
      TakenPush next = std::move(taken_.front());
      taken_.pop_front();
      deliver(next);
      return true;
    }
    Result<bool> group = queue_.ensure_group(connection_);
    if (!group) return false;
    if (stream_idle_ || now >= next_claim_) {
      // Acknowledged first: an entry of ours delivered long ago must not look abandoned.
      if (!acknowledge()) return false;
      next_claim_ = now + claim_every_;
      Result<std::vector<TakenPush>> claimed = queue_.claim_abandoned(connection_, batch());
      if (!claimed) return false;
      for (TakenPush& push : *claimed) taken_.push_back(std::move(push));
      if (!taken_.empty()) return true;
    }
    return acknowledge_and_read(now);
  }

  std::size_t batch() const { return std::max<std::size_t>(1, queue_.options.batch); }

  bool unacknowledged() const { return !delivered_.empty() || !commits_.commits.empty(); }

  // Acknowledges what was delivered, alone (one round trip when there is anything to say).
  bool acknowledge() {
    if (!unacknowledged()) return true;
    Result<long long> acked = queue_.ack(connection_, delivered_, commits_.commits);
    return acknowledged(acked.ok() ? Result<bool>(true) : Result<bool>(std::move(acked).error()));
  }

  bool acknowledged(const Result<bool>& outcome) {
    if (!outcome) {
      queue_.log(LogLevel::kWarning, "could not acknowledge " + std::to_string(delivered_.size()) +
                                         " delivered queue entries (trying again): " + outcome.error().message);
      return false;
    }
    delivered_.clear();
    commits_.commits.clear();
    return true;
  }

  // Acknowledges what was delivered and reads the next batch in one round trip (a pipeline).
  // The read waits for new entries (up to poll_interval or the next retry) only when there is
  // nothing to acknowledge: behind a blocking read, the acknowledgement's reply, and its
  // retry as EVAL when Redis lost the script (a restart), would wait too, while the
  // deliveries' dedupe claims run out.
  bool acknowledge_and_read(Clock::time_point now) {
    if (ack_failed_) {  // not piled up behind a read: what was delivered is said first
      if (!acknowledge()) return false;
      ack_failed_ = false;
    }
    auto wait = queue_.options.poll_interval;
    if (!retries_.empty()) {
      wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(retries_.begin()->first - now));
    }
    const bool acknowledging = unacknowledged();
    const auto block = acknowledging ? std::chrono::milliseconds(0) : std::max(wait, std::chrono::milliseconds(1));
    std::vector<Command> commands;
    if (acknowledging) commands.push_back(queue_.ack_command(delivered_, commits_.commits));
    commands.push_back(queue_.read_command(batch(), block));
    Result<std::vector<Value>> replies = connection_.run(commands, block);
    if (!replies) return false;
    // The read first: what it took is ours, whatever became of the acknowledgement.
    Result<Value> read = queue_.checked(std::move(replies->back()));
    if (read) {
      std::vector<TakenPush> fresh = Impl::fresh_entries(*read);
      stream_idle_ = fresh.empty();
      for (TakenPush& push : fresh) taken_.push_back(std::move(push));
    }
    if (acknowledging) {
      Result<Value> acked = queue_.ack_script.complete(connection_, std::move(commands.front()),
                                                       std::move(replies->front()));
      if (!acknowledged(acked.ok() ? Result<bool>(true) : Result<bool>(std::move(acked).error()))) {
        ack_failed_ = true;
        return false;
      }
    }
    return read.ok();
  }

  // Takes back an entry held for a retry (it stays ours, its idle time reset) and delivers it.
  bool retry_due() {
    Retry retry = std::move(retries_.begin()->second);
    retries_.erase(retries_.begin());
    Result<Value> claimed = queue_.checked(
        connection_.run({"XCLAIM", queue_.stream, queue_.options.group, queue_.options.consumer, "0", retry.id}));
    if (!claimed) {
      schedule(std::move(retry), queue_.endpoint->options().initial_reconnect_backoff);
      return false;
    }
    std::vector<TakenPush> entry = Impl::entries_of(*claimed, retry.failures);
    if (!entry.empty()) deliver(entry.front());  // else gone: acknowledged elsewhere, or a dead letter
    return true;
  }

  void schedule(Retry retry, std::chrono::milliseconds delay) {
    retries_.emplace(Clock::now() + delay, std::move(retry));
  }

  // Entries read or held for a retry stay ours: their idle time is reset before it reaches
  // claim_idle, so no other replica takes them over meanwhile.
  void refresh_held(Clock::time_point now) {
    if ((taken_.empty() && retries_.empty()) || now - last_refresh_ < refresh_every_) return;
    Command refresh{"XCLAIM", queue_.stream, queue_.options.group, queue_.options.consumer, "0"};
    append_held(refresh);
    refresh.push_back("JUSTID");
    if (connection_.run(refresh)) last_refresh_ = now;
  }

  void append_held(Command& command) const {
    for (const TakenPush& push : taken_) command.push_back(push.id);
    for (const auto& retry : retries_) command.push_back(retry.second.id);
  }

  void deliver(const TakenPush& taken) {
    std::string error;
    try {
      internal::DeferredCommits::Scope deferring(commits_);
      queue_.deliver(taken.push);
    } catch (const StoreUnavailable& e) {
      // Not the handler's failure: try again once the store is back, without counting it.
      queue_.log(LogLevel::kWarning, "queue entry " + taken.id + " waits for a store: " + e.what());
      schedule({taken.id, taken.failures}, backoff_after(taken.failures + 1, queue_.options));
      return;
    } catch (const std::exception& e) {
      error = e.what();
      if (error.empty()) error = "exception without a message";
    } catch (...) {
      error = "a non-standard exception";
    }
    if (error.empty()) {
      if (delivered_.empty()) first_delivered_ = Clock::now();
      delivered_.push_back(taken.id);
      return;
    }
    // Whatever the delivery committed before it threw is written before its retry can meet it.
    if (!commits_.commits.empty()) acknowledge();
    Result<FailureOutcome> outcome = queue_.fail(connection_, taken.id, error);
    if (!outcome) {
      schedule({taken.id, taken.failures}, backoff_after(taken.failures + 1, queue_.options));
    } else if (outcome->dead_lettered) {
      queue_.log(LogLevel::kError, "queue entry " + taken.id + " moved to the dead letters after " +
                                       std::to_string(outcome->failures) + " failed deliveries: " + error);
    } else if (outcome->failures > 0) {
      queue_.log(LogLevel::kWarning, "delivery of queue entry " + taken.id + " failed (" +
                                         std::to_string(outcome->failures) + " so far); retrying: " + error);
      schedule({taken.id, outcome->failures}, backoff_after(outcome->failures, queue_.options));
    }
  }

  // On stop: acknowledges what was delivered, and gives the fleet the entries this worker
  // holds without delivering them, their idle time set to claim_idle so that the other
  // replicas' next XAUTOCLAIM takes them (rather than claim_idle from now).
  void hand_back() {
    acknowledge();
    const std::size_t held = taken_.size() + retries_.size();
    if (held == 0) return;
    Command give_back{"XCLAIM", queue_.stream, queue_.options.group, queue_.options.consumer, "0"};
    append_held(give_back);
    give_back.insert(give_back.end(), {"IDLE", std::to_string(queue_.options.claim_idle.count()), "JUSTID"});
    if (queue_.checked(connection_.run(give_back))) {
      queue_.log(LogLevel::kInfo, "handed " + std::to_string(held) + " undelivered queue entries back to the fleet");
    } else {
      queue_.log(LogLevel::kWarning, "could not hand " + std::to_string(held) +
                                         " undelivered queue entries back; the fleet takes them over after claim_idle");
    }
  }

  Impl& queue_;
  Connection connection_;
  std::deque<TakenPush> taken_;          // read, not delivered yet
  std::vector<std::string> delivered_;   // delivered, not acknowledged yet
  internal::DeferredCommits commits_;    // the dedupe commits of those deliveries
  bool ack_failed_ = false;
  std::multimap<Clock::time_point, Retry> retries_;
  bool stream_idle_ = true;              // the last read found nothing new (or none yet)
  const std::chrono::milliseconds refresh_every_;
  const std::chrono::milliseconds claim_every_;
  const std::chrono::milliseconds acknowledge_within_;
  Clock::time_point first_delivered_;    // when the oldest of delivered_ was
  Clock::time_point last_refresh_ = Clock::now();
  Clock::time_point next_claim_ = Clock::now();
};

void RedisPushQueue::Impl::work() { Worker(*this).run(); }

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
  if (!workers.empty()) {
    impl_->log(LogLevel::kInfo, "stopping the queue workers: each finishes its delivery, then hands back "
                                "the entries it read and did not deliver");
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
  return impl_->pool.with([&](Connection& connection) -> Result<bool> {
    Result<long long> acked = impl_->ack(connection, {id});
    if (!acked) return std::move(acked).error();
    return *acked == 1;
  });
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
