// privacycall listen: a webhook receiver printing one JSON line per notification delivered,
// with /healthz, /readyz and /metrics, draining gracefully on SIGTERM.

#include <privacycall/webhook/codes.hpp>
#include <privacycall/webhook/dispatcher.hpp>
#include <privacycall/webhook/server.hpp>
#include <privacycall/webhook/verifier.hpp>

#include <chrono>
#include <iostream>

#include "command.hpp"
#include "fleet.hpp"
#include "line_writer.hpp"
#include "notification_line.hpp"
#include "stop_signals.hpp"

namespace privacycall::cli {
namespace {

// This thread's builder of lines: handlers run on many threads at once (the server's, the
// spool's, the Block handlers'), and each thread reuses the DOM and text of its last line.
NotificationLines& thread_lines() {
  thread_local NotificationLines lines;
  return lines;
}

// Shorter than the 30 s a supervisor such as Kubernetes waits before SIGKILL.
constexpr std::chrono::seconds kDefaultDrainGrace{20};

int listen(CommandContext& c) {
  webhook::WebhookServerOptions server_options;
  if (auto port = c.args.take_int("port")) server_options.port = static_cast<std::uint16_t>(*port);
  if (auto host = c.args.take_choice("host")) server_options.host = *host;
  server_options.ops.enabled = true;
  server_options.ops.host = server_options.host;
  if (auto ops_port = c.args.take_int("ops-port")) server_options.ops.port = static_cast<std::uint16_t>(*ops_port);
  const std::chrono::seconds drain_grace(c.args.take_int("drain-grace").value_or(kDefaultDrainGrace.count()));
  const auto app_key = c.args.take("app-key");
  const auto app_secret = c.args.take("app-secret");
  const bool no_verify = c.args.take_switch("no-verify");
  const auto route_to = c.args.take_number("route-to");
  const auto spool = c.args.take("spool");
  const bool discard_sms = c.args.take_choice("sms-block-answer") == std::optional<std::string>("discard");
  const bool quiet = c.args.take_switch("quiet");
  webhook::VerifierOptions verifier_options;
  verifier_options.accept_legacy_wsse = c.args.take_switch("accept-wsse");
  verifier_options.repush_grace = c.args.take_switch("repush-grace");
  const FleetSettings fleet = take_fleet_settings(c.args);
  c.args.finish();
  if (spool && fleet.redis_url) throw UsageError("--spool and --redis do not go together: the fleet's queue is in Redis");
  if (no_verify == (app_key || app_secret)) {
    throw UsageError("give --app-key and --app-secret, or --no-verify (development only)");
  }
  if (!no_verify && !(app_key && app_secret)) throw UsageError("--app-key and --app-secret go together");

  verifier_options.insecure_accept_unsigned_requests_for_local_development_only = no_verify;
  // Refusals (warnings) and duplicates (info) are on stderr unless --quiet: nothing is dropped
  // without a word.
  const privacycall::LogLevel threshold = quiet ? privacycall::LogLevel::kError : privacycall::LogLevel::kInfo;
  verifier_options.log = [&c, threshold](privacycall::LogLevel level, std::string_view message) {
    if (level >= threshold) c.err << "privacycall listen: " << message << std::endl;
  };
  webhook::DispatcherOptions dispatcher_options;
  const FleetWiring fleet_wiring = wire_fleet(fleet, verifier_options.log, verifier_options, dispatcher_options);
  server_options.ops.readiness = fleet_wiring.ready;
  auto verifier = std::make_shared<webhook::WebhookVerifier>(verifier_options);
  if (app_key) verifier->add_app(*app_key, *app_secret);

  StopSignals stop_signals;  // before any thread starts (the spool's, the server's)

  // One line per delivered notification, whole, even when handlers run at once. The first
  // line must be "listening on ...": a spool recovered at start delivers its entries at once,
  // so the lines wait for start() below.
  LineWriter lines(c.out, c.out_fd);
  webhook::WebhookHandlers handlers;
  handlers.on_call_event = [&lines](const webhook::CallEvent& e) { lines.write(thread_lines().of(e)); };
  handlers.on_x_mode_callin = [&lines, route_to](const webhook::CallEvent& e) {
    if (route_to) {
      webhook::XModeConnect connect(*route_to);
      lines.write(thread_lines().of(e, "connect"));
      return webhook::XModeAnswer::connect(connect);
    }
    lines.write(thread_lines().of(e, "close"));
    return webhook::XModeAnswer::close();
  };
  handlers.on_fee = [&lines](const webhook::FeeNotification& n) { lines.write(thread_lines().of(n)); };
  handlers.on_number_status = [&lines](const webhook::NumberStatusNotification& n) {
    lines.write(thread_lines().of(n));
  };
  handlers.on_sms = [&lines](const webhook::SmsNotification& n) { lines.write(thread_lines().of(n)); };
  handlers.on_sms_block = [&lines, discard_sms](const webhook::SmsNotification& n) {
    lines.write(thread_lines().of(n, discard_sms ? "discard" : "forward"));
    return discard_sms ? webhook::SmsBlockAnswer::discard() : webhook::SmsBlockAnswer::route_by_binding();
  };
  handlers.on_unknown = [&lines](const webhook::UnknownNotification& n) { lines.write(thread_lines().of(n)); };

  dispatcher_options.log = verifier_options.log;
  server_options.log = verifier_options.log;
  auto dispatcher = std::make_shared<webhook::Dispatcher>(verifier, handlers, dispatcher_options);
  if (spool) {
    webhook::SpoolOptions spool_options;
    spool_options.directory = *spool;
    auto recovered = dispatcher->enable_spool(spool_options);
    if (!recovered) throw std::runtime_error("cannot open the spool: " + recovered.error().message);
  }
  fleet_wiring.attach(*dispatcher);

  webhook::WebhookServer server(dispatcher, server_options);
  auto port = server.start();
  if (!port) {
    c.err << "privacycall: error: " << port.error().to_string() << std::endl;
    return kExitFailed;
  }
  const std::string host = server_options.host == "::1" ? "[::1]" : server_options.host;
  if (server_options.ops.port) {
    c.err << "privacycall listen: /healthz, /readyz and /metrics on http://" << host << ":" << server.ops_port()
          << std::endl;
  }
  lines.start("listening on http://" + host + ":" + std::to_string(*port));
  stop_signals.wait();
  // Graceful: /readyz says draining and new pushes are refused (the platform pushes them
  // again), pushes in flight are answered; then the spool's worker finishes its delivery and
  // leaves the rest on disk for the next start.
  const bool drained = server.drain(drain_grace);
  dispatcher->stop();
  server.stop();
  if (!drained) {
    c.err << "privacycall listen: pushes were still in flight after --drain-grace" << std::endl;
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace

std::vector<Command> listen_commands() {
  const Flags flags{
      integer("port", "", 0, 65535, "port to listen on; 0 picks a free one").defaults_to("0"),
      choice("host", "", {"127.0.0.1", "::1"}, "address to listen on").defaults_to("127.0.0.1"),
      integer("ops-port", "", 0, 65535,
              "serve /healthz, /readyz and /metrics on this port instead of --port; 0 picks a free one"),
      integer("drain-grace", "", 0, 3600, "seconds pushes in flight get to finish after SIGTERM or SIGINT")
          .defaults_to(std::to_string(kDefaultDrainGrace.count())),
      text("app-key", "", "the app key pushes are signed with (with --app-secret)"),
      text("app-secret", "", "its secret (command lines are visible to other users of the machine)"),
      on_off("no-verify", "accept unsigned pushes: development only"),
      on_off("accept-wsse", "also accept pushes signed with the legacy WSSE scheme (X-WSSE)"),
      on_off("repush-grace", "accept Notify pushes up to 300 minutes old (re-pushes with the original header); "
                             "see docs/security.md for what it trades"),
      phone("route-to", "", "answer X-mode Block callins with connect to this number (default: close)"),
      choice("sms-block-answer", "", {"forward", "discard"}, "answer to SMS Block pushes").defaults_to("forward"),
      text("spool", "", "directory of a durable spool: pushes are stored before the 200"),
      on_off("quiet", "do not report refusals and duplicates on stderr (errors only)")};
  return {{"listen", "", "receive the platform's pushes and print one JSON line per notification",
           flags + fleet_flags(), listen}};
}

}  // namespace privacycall::cli
