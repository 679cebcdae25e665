// privacycall listen: a webhook receiver printing one JSON line per notification delivered.

#include <privacycall/webhook/codes.hpp>
#include <privacycall/webhook/dispatcher.hpp>
#include <privacycall/webhook/server.hpp>
#include <privacycall/webhook/verifier.hpp>

#include <nlohmann/json.hpp>

#include <csignal>
#include <iostream>

#include "command.hpp"
#include "json_line.hpp"
#include "line_writer.hpp"

namespace privacycall::cli {
namespace {

using nlohmann::json;

// The members of each line, added in sorted order: the order nlohmann's DOM gave them before
// the lines were written straight (json_line.hpp).
void put(JsonLine& out, std::string_view key, const std::optional<std::string>& value) {
  if (value) out.text(key, *value);
}

void put(JsonLine& out, std::string_view key, const std::optional<int>& value) {
  if (value) out.number(key, *value);
}

void put(JsonLine& out, std::string_view key, const std::optional<webhook::WireTime>& value) {
  if (value) out.text(key, value->raw);
}

// What listen answered a Block push, when it was one.
using Answer = std::optional<std::string_view>;

void write_line(JsonLine& out, const webhook::CallEvent& e, Answer answer = std::nullopt) {
  out.open_object();
  if (answer) out.text("answer", *answer);
  put(out, "call_rel_direction", e.call_rel_direction);
  put(out, "called", e.called);
  put(out, "caller", e.caller);
  put(out, "digit_info", e.digit_info);
  out.text("event_type", e.event_type);
  out.text("kind", "call_event");
  put(out, "notify_mode", e.notify_mode);
  put(out, "session_id", e.session_id);
  put(out, "state_code", e.state_code);
  put(out, "state_desc", e.state_desc);
  if (e.state_code) out.text("state_meaning", webhook::describe_hangup_cause(*e.state_code));
  put(out, "subscription_id", e.subscription_id);
  put(out, "timestamp", e.timestamp);
  put(out, "user_data", e.user_data);
  out.close_object();
}

void write_record(JsonLine& out, const webhook::FeeRecord& r) {
  out.open_object();
  put(out, "bind_num", r.bind_num);
  put(out, "call_end_time", r.call_end_time);
  put(out, "call_in_time", r.call_in_time);
  put(out, "callee_num", r.callee_num);
  put(out, "caller_num", r.caller_num);
  put(out, "direction", r.direction);
  put(out, "extend_num", r.extend_num);
  put(out, "fwd_answer_time", r.fwd_answer_time);
  put(out, "fwd_display_num", r.fwd_display_num);
  put(out, "fwd_dst_num", r.fwd_dst_num);
  put(out, "fwd_unasw_rsn", r.fwd_unasw_rsn);
  put(out, "icid", r.icid);
  put(out, "notify_mode", r.notify_mode);
  put(out, "record_domain", r.record_domain);
  put(out, "record_file_download_url", r.record_file_download_url);
  put(out, "record_flag", r.record_flag);
  put(out, "record_object_name", r.record_object_name);
  put(out, "session_id", r.session_id);
  put(out, "subscription_id", r.subscription_id);
  if (auto talk = r.talk_duration()) out.number("talk_seconds", talk->count());
  put(out, "ul_fail_reason", r.ul_fail_reason);
  put(out, "user_data", r.user_data);
  out.close_object();
}

void write_line(JsonLine& out, const webhook::FeeNotification& n) {
  out.open_object();
  out.text("kind", "fee");
  out.open_array("records");
  for (const auto& record : n.records) write_record(out, record);
  out.close_array();
  out.close_object();
}

void write_line(JsonLine& out, const webhook::NumberStatusNotification& n) {
  out.open_object();
  out.open_array("entries");
  for (const auto& entry : n.entries) {
    out.open_object();
    put(out, "cause", entry.cause_code);
    put(out, "number", entry.number);
    put(out, "status", entry.status_code);
    out.close_object();
  }
  out.close_array();
  out.text("kind", "number_status");
  out.close_object();
}

void write_line(JsonLine& out, const webhook::SmsNotification& n, Answer answer = std::nullopt) {
  out.open_object();
  if (answer) out.text("answer", *answer);
  put(out, "called", n.called);
  put(out, "calling", n.calling);
  put(out, "event", n.event);
  out.text("kind", "sms");
  put(out, "notification_mode", n.notification_mode);
  put(out, "send_result", n.send_result);
  put(out, "sms_content", n.sms_content);
  put(out, "sms_identifier", n.sms_identifier);
  put(out, "subscription_id", n.subscription_id);
  put(out, "time_stamp", n.time_stamp);
  put(out, "virtual_number", n.virtual_number);
  out.close_object();
}

void write_line(JsonLine& out, const webhook::UnknownNotification& n) {
  out.open_object();
  put(out, "event_type", n.event_type);
  out.text("kind", "unknown");
  // Rare, and any JSON at all: nlohmann writes it, compact.
  out.raw("raw", json::parse(n.raw_json, nullptr, false).dump());
  out.close_object();
}

int listen(CommandContext& c) {
  webhook::WebhookServerOptions server_options;
  if (auto port = c.args.take_int("port")) server_options.port = static_cast<std::uint16_t>(*port);
  if (auto host = c.args.take_choice("host")) server_options.host = *host;
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
  c.args.finish();
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
  auto verifier = std::make_shared<webhook::WebhookVerifier>(verifier_options);
  if (app_key) verifier->add_app(*app_key, *app_secret);

  // One line per delivered notification, whole, even when handlers run at once. The first
  // line must be "listening on ...": a spool recovered at start delivers its entries at once,
  // so the lines wait for start() below.
  LineWriter lines(c.out);
  // Each line is written into its serving thread's own buffer, which keeps its capacity.
  auto print = [&lines](const auto& notification, auto... answer) {
    thread_local std::string buffer;
    JsonLine line(buffer);
    write_line(line, notification, answer...);
    lines.write(buffer);
  };
  webhook::WebhookHandlers handlers;
  handlers.on_call_event = [print](const webhook::CallEvent& e) { print(e); };
  handlers.on_x_mode_callin = [print, route_to](const webhook::CallEvent& e) {
    if (route_to) {
      webhook::XModeConnect connect(*route_to);
      print(e, Answer("connect"));
      return webhook::XModeAnswer::connect(connect);
    }
    print(e, Answer("close"));
    return webhook::XModeAnswer::close();
  };
  handlers.on_fee = [print](const webhook::FeeNotification& n) { print(n); };
  handlers.on_number_status = [print](const webhook::NumberStatusNotification& n) { print(n); };
  handlers.on_sms = [print](const webhook::SmsNotification& n) { print(n); };
  handlers.on_sms_block = [print, discard_sms](const webhook::SmsNotification& n) {
    print(n, Answer(discard_sms ? "discard" : "forward"));
    return discard_sms ? webhook::SmsBlockAnswer::discard() : webhook::SmsBlockAnswer::route_by_binding();
  };
  handlers.on_unknown = [print](const webhook::UnknownNotification& n) { print(n); };

  webhook::DispatcherOptions dispatcher_options;
  dispatcher_options.log = verifier_options.log;
  server_options.log = verifier_options.log;
  auto dispatcher = std::make_shared<webhook::Dispatcher>(verifier, handlers, dispatcher_options);
  if (spool) {
    webhook::SpoolOptions spool_options;
    spool_options.directory = *spool;
    auto recovered = dispatcher->enable_spool(spool_options);
    if (!recovered) throw std::runtime_error("cannot open the spool: " + recovered.error().message);
  }

  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  webhook::WebhookServer server(dispatcher, server_options);
  auto port = server.start();
  if (!port) {
    c.err << "privacycall: error: " << port.error().to_string() << std::endl;
    return kExitFailed;
  }
  const std::string host = server_options.host == "::1" ? "[::1]" : server_options.host;
  lines.start("listening on http://" + host + ":" + std::to_string(*port));
  int signal = 0;
  sigwait(&stop_signals, &signal);
  server.stop();
  dispatcher->stop();
  return kExitOk;
}

}  // namespace

std::vector<Command> listen_commands() {
  const Flags flags{
      integer("port", "", 0, 65535, "port to listen on; 0 picks a free one").defaults_to("0"),
      choice("host", "", {"127.0.0.1", "::1"}, "address to listen on").defaults_to("127.0.0.1"),
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
  return {{"listen", "", "receive the platform's pushes and print one JSON line per notification", flags, listen}};
}

}  // namespace privacycall::cli
