// `listen --redis` and `queue list|replay`: the receiver fleet on Redis.

#include "fleet.hpp"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <iostream>
#include <limits>
#include <memory>

#include "command.hpp"

#ifdef PRIVACYCALL_CLI_REDIS
#include <privacycall/webhook/redis/fleet.hpp>
#endif

namespace privacycall::cli {
namespace {

constexpr const char* kNoRedis =
    "this build has no Redis support (privacycall::webhook_redis was not built: install hiredis and "
    "configure with -DPRIVACYCALL_REDIS=ON)";

Flag redis_url_flag() {
  return text("redis", "", "redis://[[user]:password@]host[:port][/db] of the fleet's Redis");
}

Flag stream_flag() {
  return text("stream", "", "the fleet's Redis Stream (its dead letters are STREAM:dead)").defaults_to("pushes");
}

#ifdef PRIVACYCALL_CLI_REDIS
std::string default_consumer() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') return "receiver-" + std::to_string(::getpid());
  return std::string(host) + "-" + std::to_string(::getpid());
}

// The URL checked now, so that a malformed one is a usage error naming what is wrong.
webhook::redis::RedisConnectionOptions connection_for(const std::string& url, const webhook::LogHook& log) {
  const Result<webhook::redis::RedisEndpoint> endpoint = webhook::redis::parse_redis_url(url);
  if (!endpoint) throw UsageError("--redis: " + endpoint.error().message);
  webhook::redis::RedisConnectionOptions connection;
  connection.url = url;
  connection.log = log;
  return connection;
}

std::shared_ptr<webhook::redis::RedisPushQueue> open_queue(const std::string& url, const std::string& stream) {
  webhook::redis::RedisQueueOptions options;
  options.stream = stream;
  // Quiet: a failed call is reported once, by the command, with its exit status.
  auto queue = webhook::redis::RedisPushQueue::open(connection_for(url, [](LogLevel, std::string_view) {}), options);
  if (!queue) throw UsageError("--redis: " + queue.error().message);
  return std::move(queue).value();
}

nlohmann::json to_json(const webhook::redis::DeadLetter& letter) {
  return {{"id", letter.id},       {"original_id", letter.original_id}, {"failures", letter.failures},
          {"error", letter.error}, {"push_key", letter.push.push_key},  {"body", letter.push.body}};
}

int queue_list(CommandContext& c) {
  const std::string url = *c.args.take("redis");
  const std::string stream = c.args.take("stream").value_or("pushes");
  const auto max = c.args.take_int("max");
  c.args.finish();
  auto letters = open_queue(url, stream)->dead_letters(static_cast<std::size_t>(max.value_or(100)));
  if (!letters) {
    c.err << "privacycall: error: " << letters.error().to_string() << std::endl;
    return kExitFailed;
  }
  for (const auto& letter : *letters) c.out << to_json(letter).dump() << "\n";
  return kExitOk;
}

int queue_replay(CommandContext& c) {
  const std::string url = *c.args.take("redis");
  const std::string stream = c.args.take("stream").value_or("pushes");
  std::vector<std::string> ids = c.args.take_all("id");
  const bool all = c.args.take_switch("all");
  c.args.finish();
  one_of("id", !ids.empty(), "all", all);
  auto queue = open_queue(url, stream);
  if (all) {
    auto letters = queue->dead_letters(std::numeric_limits<std::size_t>::max());
    if (!letters) {
      c.err << "privacycall: error: " << letters.error().to_string() << std::endl;
      return kExitFailed;
    }
    for (const auto& letter : *letters) ids.push_back(letter.id);
  }
  for (const std::string& id : ids) {
    auto replayed = queue->replay_dead_letter(id);
    if (!replayed) {
      c.err << "privacycall: error: " << replayed.error().to_string() << std::endl;
      return replayed.error().category == ErrorCategory::kValidation ? kExitUsage : kExitFailed;
    }
    c.out << nlohmann::json{{"dead_letter", id}, {"id", *replayed}}.dump() << "\n";
  }
  return kExitOk;
}
#else
int no_redis(CommandContext& c) {
  c.err << "privacycall: " << kNoRedis << std::endl;
  return kExitUsage;
}
#endif

}  // namespace

Flags fleet_flags() {
  return {redis_url_flag(),
          text("group", "", "the fleet's consumer group: the same for every receiver of one deployment (with --redis)")
              .defaults_to("receivers"),
          text("consumer", "", "this receiver's name in the group, unique in the fleet (with --redis; default: "
                               "host name and process id)"),
          integer("claim-idle-ms", "", 1, 86400000,
                  "take over pushes another receiver left undelivered this long (with --redis)")
              .defaults_to("30000"),
          integer("max-failures", "", 1, 1000000,
                  "failed deliveries after which a push becomes a dead letter (with --redis)")
              .defaults_to("10")};
}

FleetSettings take_fleet_settings(Args& args) {
  FleetSettings settings;
  settings.redis_url = args.take("redis");
  settings.group = args.take("group").value_or("receivers");
  settings.consumer = args.take("consumer");
  settings.claim_idle_ms = args.take_int("claim-idle-ms");
  settings.max_failures = args.take_int("max-failures");
  if (!settings.redis_url && (settings.consumer || settings.claim_idle_ms || settings.max_failures)) {
    throw UsageError("--consumer, --claim-idle-ms and --max-failures go with --redis");
  }
  return settings;
}

FleetWiring wire_fleet(const FleetSettings& settings, const webhook::LogHook& log, webhook::VerifierOptions& verifier,
                       webhook::DispatcherOptions& dispatcher) {
  if (!settings.redis_url) return {[](webhook::Dispatcher&) {}, nullptr};
#ifdef PRIVACYCALL_CLI_REDIS
  webhook::redis::RedisFleetOptions options;
  options.connection = connection_for(*settings.redis_url, log);
  options.queue.group = settings.group;
  options.queue.consumer = settings.consumer.value_or(default_consumer());
  if (settings.claim_idle_ms) options.queue.claim_idle = std::chrono::milliseconds(*settings.claim_idle_ms);
  if (settings.max_failures) options.queue.max_failures = static_cast<std::size_t>(*settings.max_failures);
  auto fleet = webhook::redis::RedisFleet::open(options);
  if (!fleet) throw UsageError("--redis: " + fleet.error().message);
  fleet->configure(verifier);
  fleet->configure(dispatcher);
  auto shared = std::make_shared<webhook::redis::RedisFleet>(std::move(fleet).value());
  return {[shared](webhook::Dispatcher& d) {
            // Redis may be down at start: the workers keep trying, and pushes get 503 meanwhile.
            (void)shared->attach(d);
          },
          [shared] { return shared->reachable(); }};
#else
  (void)log;
  (void)verifier;
  (void)dispatcher;
  throw UsageError(std::string("--redis: ") + kNoRedis);
#endif
}

std::vector<Command> queue_commands() {
#ifdef PRIVACYCALL_CLI_REDIS
  const auto list = queue_list;
  const auto replay = queue_replay;
#else
  const auto list = no_redis;
  const auto replay = no_redis;
#endif
  return {{"queue", "list", "list the fleet's dead letters (pushes whose handler kept failing), one JSON line each",
           {std::move(redis_url_flag()).required_flag(), stream_flag(),
            integer("max", "", 1, 1000000, "at most this many, oldest first").defaults_to("100")},
           list},
          {"queue", "replay", "put dead letters back into the fleet's queue, to be delivered again",
           {std::move(redis_url_flag()).required_flag(), stream_flag(),
            text("id", "", "a dead letter's id (from queue list)").repeatable_flag(),
            on_off("all", "every dead letter")},
           replay}};
}

}  // namespace privacycall::cli
