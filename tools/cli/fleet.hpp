#ifndef PRIVACYCALL_CLI_FLEET_HPP
#define PRIVACYCALL_CLI_FLEET_HPP

// `listen --redis`: one receiver of a fleet sharing nonces, dedupe and the push queue on one
// Redis. Built with Redis support only when privacycall::webhook_redis is
// (PRIVACYCALL_CLI_REDIS); without it, --redis is refused with exit status 2.

#include <privacycall/webhook/dispatcher.hpp>
#include <privacycall/webhook/verifier.hpp>

#include <functional>
#include <optional>
#include <string>

#include "args.hpp"
#include "flags.hpp"

namespace privacycall::cli {

/// --redis, --group, --consumer, --claim-idle-ms, --max-failures (of `listen`).
Flags fleet_flags();

/// The fleet settings of a command line.
struct FleetSettings {
  std::optional<std::string> redis_url;  ///< no --redis: a single receiver
  std::string group;
  std::optional<std::string> consumer;
  std::optional<long long> claim_idle_ms;
  std::optional<long long> max_failures;
};
FleetSettings take_fleet_settings(Args& args);

/// What `listen` does with the fleet once its dispatcher exists.
struct FleetWiring {
  /// Attaches the fleet's queue to the dispatcher (nothing to do without --redis).
  std::function<void(webhook::Dispatcher&)> attach;
  /// /readyz: whether Redis answers (empty without --redis).
  std::function<bool()> ready;
};

/// Puts the fleet's stores into the options, and returns what remains to wire once the
/// dispatcher is made. UsageError for a malformed --redis URL (naming what is wrong) or a build
/// without Redis support. A Redis that is down is not an error: pushes get 503 and /readyz
/// answers 503 until it answers.
FleetWiring wire_fleet(const FleetSettings& settings, const webhook::LogHook& log, webhook::VerifierOptions& verifier,
                       webhook::DispatcherOptions& dispatcher);

}  // namespace privacycall::cli


#endif  // PRIVACYCALL_CLI_FLEET_HPP
