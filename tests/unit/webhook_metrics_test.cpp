// The receiver's metrics: outcomes counted by kind, the latency histogram's buckets, and the
// Prometheus text they are written as (exact lines, escaping, family structure).

#include <privacycall/webhook/metrics.hpp>

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>

#include "support/catch.hpp"
#include "support/webhook_test_support.hpp"
#include "webhook/prometheus_text.hpp"

using namespace privacycall::webhook;
using privacycall::Signer;
using webhook_test::platform;
using webhook_test::signed_request;
using namespace std::chrono_literals;

namespace {

std::string event_body(const std::string& session, const std::string& type = "answer") {
  return R"({"eventType":")" + type + R"(","statusInfo":{"sessionId":")" + session +
         R"(","timestamp":"2019-01-24 07:03:28"}})";
}

std::string callin_block_body(const std::string& session) {
  return R"({"eventType":"callin","statusInfo":{"sessionId":")" + session +
         R"(","timestamp":"2019-01-24 07:02:50","caller":"+8613800000022","called":"+8617000000001","notifyMode":"Block"}})";
}

std::string fee_body(const std::string& session) {
  return R"({"eventType":"fee","feeLst":[{"sessionId":")" + session + R"(","icid":"i-)" + session + R"("}]})";
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The lines of one family: its HELP and TYPE lines and its samples.
std::vector<std::string> family(const std::string& text, const std::string& name) {
  std::vector<std::string> out;
  bool inside = false;
  for (const std::string& line : lines_of(text)) {
    if (line.rfind("# HELP ", 0) == 0) inside = line.rfind("# HELP " + name + " ", 0) == 0;
    if (inside) out.push_back(line);
  }
  return out;
}

// The samples of a family whose value is not 0.
std::vector<std::string> nonzero_samples(const std::string& text, const std::string& name) {
  std::vector<std::string> out;
  for (const std::string& line : family(text, name)) {
    if (line[0] != '#' && line.substr(line.size() - 2) != " 0") out.push_back(line);
  }
  return out;
}

}  // namespace

TEST_CASE("metrics: label values and help text are escaped as the exposition format says") {
  using internal::escape_help;
  using internal::escape_label_value;
  CHECK(escape_label_value("plain_value") == "plain_value");
  CHECK(escape_label_value("a\\b") == "a\\\\b");
  CHECK(escape_label_value("say \"hi\"") == "say \\\"hi\\\"");
  CHECK(escape_label_value("two\nlines") == "two\\nlines");
  CHECK(escape_label_value("\\\"\n") == "\\\\\\\"\\n");
  CHECK(escape_label_value("é, {}=") == "é, {}=");  // UTF-8 and punctuation pass as they are
  // In HELP text a double quote needs no escape.
  CHECK(escape_help("a \"b\" \\ c\nd") == "a \"b\" \\\\ c\\nd");

  std::string out;
  internal::PrometheusText text(out);
  text.family("x_total", "counter", "Help with a \\ and a\nline feed.");
  text.sample("x_total", {{"path", "/a\"b\\c\nd"}, {"kind", "fee"}}, 7);
  text.sample("x_total", {}, 0);
  CHECK(out ==
        "# HELP x_total Help with a \\\\ and a\\nline feed.\n"
        "# TYPE x_total counter\n"
        "x_total{path=\"/a\\\"b\\\\c\\nd\",kind=\"fee\"} 7\n"
        "x_total 0\n");
}

TEST_CASE("metrics: durations are written as exact decimal seconds") {
  using internal::seconds_text;
  CHECK(seconds_text(0ns) == "0");
  CHECK(seconds_text(1ns) == "0.000000001");
  CHECK(seconds_text(100us) == "0.0001");
  CHECK(seconds_text(250us) == "0.00025");
  CHECK(seconds_text(1500ms) == "1.5");
  CHECK(seconds_text(10s) == "10");
  CHECK(seconds_text(3723s + 4ns) == "3723.000000004");
  CHECK(seconds_text(-5ns) == "0");
}

TEST_CASE("metrics: a duration counts in the first bucket whose bound is at or above it") {
  LatencyHistogram histogram;
  histogram.observe(0ns);                    // (0, 100 us]
  histogram.observe(-3ns);                   // as zero
  histogram.observe(100us);                  // on the bound: still the first bucket
  histogram.observe(100us + 1ns);            // (100 us, 250 us]
  histogram.observe(2ms);                    // (1 ms, 2.5 ms]
  histogram.observe(10s);                    // the last bound
  histogram.observe(11s);                    // +Inf
  const LatencyHistogram::Snapshot snapshot = histogram.snapshot();
  CHECK(snapshot.buckets[0] == 3);
  CHECK(snapshot.buckets[1] == 1);
  CHECK(snapshot.buckets[4] == 1);
  CHECK(snapshot.buckets[LatencyHistogram::kBuckets - 2] == 1);
  CHECK(snapshot.buckets[LatencyHistogram::kBuckets - 1] == 1);
  CHECK(snapshot.count() == 7);
  CHECK(snapshot.sum == 100us + 100us + 1ns + 2ms + 10s + 11s);

  std::string out;
  internal::PrometheusText(out).histogram("h_seconds", "Help.", snapshot);
  CHECK(out ==
        "# HELP h_seconds Help.\n"
        "# TYPE h_seconds histogram\n"
        "h_seconds_bucket{le=\"0.0001\"} 3\n"
        "h_seconds_bucket{le=\"0.00025\"} 4\n"
        "h_seconds_bucket{le=\"0.0005\"} 4\n"
        "h_seconds_bucket{le=\"0.001\"} 4\n"
        "h_seconds_bucket{le=\"0.0025\"} 5\n"
        "h_seconds_bucket{le=\"0.005\"} 5\n"
        "h_seconds_bucket{le=\"0.01\"} 5\n"
        "h_seconds_bucket{le=\"0.025\"} 5\n"
        "h_seconds_bucket{le=\"0.05\"} 5\n"
        "h_seconds_bucket{le=\"0.1\"} 5\n"
        "h_seconds_bucket{le=\"0.25\"} 5\n"
        "h_seconds_bucket{le=\"1\"} 5\n"
        "h_seconds_bucket{le=\"2.5\"} 5\n"
        "h_seconds_bucket{le=\"10\"} 6\n"
        "h_seconds_bucket{le=\"+Inf\"} 7\n"
        "h_seconds_sum 21.002200001\n"
        "h_seconds_count 7\n");
}

TEST_CASE("metrics: each push is counted once under its kind and outcome") {
  std::atomic<bool> fail_next_event{false};
  WebhookHandlers handlers;
  handlers.on_call_event = [&](const CallEvent&) {
    if (fail_next_event.exchange(false)) throw std::runtime_error("handler failed");
  };
  handlers.on_fee = [](const FeeNotification&) {};
  handlers.on_x_mode_callin = [](const CallEvent&) -> XModeAnswer { throw std::runtime_error("no route"); };
  DispatcherOptions options;
  options.log = [](privacycall::LogLevel, std::string_view) {};
  Dispatcher dispatcher(webhook_test::verifier(), handlers, options);
  const auto status = [&](const WebhookRequest& request) { return dispatcher.handle(request).status; };

  CHECK(status(signed_request(platform(), event_body("m-1"))) == 200);  // delivered
  CHECK(status(signed_request(platform(), event_body("m-1"))) == 200);  // duplicate
  fail_next_event = true;
  CHECK(status(signed_request(platform(), event_body("m-2"))) == 500);  // failed
  CHECK(status(signed_request(platform(), event_body("m-2"))) == 200);  // re-pushed: delivered
  CHECK(status(signed_request(platform(), fee_body("m-3"))) == 200);
  CHECK(status(signed_request(platform(), callin_block_body("m-4"))) == 200);  // fallback answer
  CHECK(status(signed_request(platform(), webhook_test::notification_example("sms_notify.json"))) == 200);  // no handler
  CHECK(status(signed_request(Signer(webhook_test::kAppKey, "forged"), event_body("m-5"))) == 401);
  CHECK(status(signed_request(Signer("stranger", "secret"), event_body("m-6"))) == 401);
  CHECK(status(signed_request(platform(), "{not json")) == 400);

  const DispatcherStats stats = dispatcher.stats();
  CHECK(stats.pushes(PushKind::kCallEvent, PushOutcome::kDelivered) == 2);
  CHECK(stats.pushes(PushKind::kCallEvent, PushOutcome::kDuplicate) == 1);
  CHECK(stats.pushes(PushKind::kCallEvent, PushOutcome::kFailed) == 1);
  CHECK(stats.pushes(PushKind::kFee, PushOutcome::kDelivered) == 1);
  CHECK(stats.pushes(PushKind::kXModeCallin, PushOutcome::kFallback) == 1);
  CHECK(stats.pushes.total(PushOutcome::kDelivered) == 3);
  CHECK(stats.rejected.signature.bad_digest == 1);
  CHECK(stats.rejected.signature.unknown_app == 1);
  CHECK(stats.handle_latency.count() == 10);  // every request, refused ones included

  const std::string text = metrics_text(stats);
  CHECK(nonzero_samples(text, "privacycall_webhook_pushes_total") ==
        std::vector<std::string>{
            R"(privacycall_webhook_pushes_total{kind="call_event",outcome="delivered"} 2)",
            R"(privacycall_webhook_pushes_total{kind="call_event",outcome="duplicate"} 1)",
            R"(privacycall_webhook_pushes_total{kind="call_event",outcome="failed"} 1)",
            R"(privacycall_webhook_pushes_total{kind="x_mode_callin",outcome="fallback"} 1)",
            R"(privacycall_webhook_pushes_total{kind="fee",outcome="delivered"} 1)",
            R"(privacycall_webhook_pushes_total{kind="sms",outcome="unhandled"} 1)",
        });
  CHECK(nonzero_samples(text, "privacycall_webhook_rejected_total") ==
        std::vector<std::string>{
            R"(privacycall_webhook_rejected_total{reason="malformed_body"} 1)",
            R"(privacycall_webhook_rejected_total{reason="unknown_app"} 1)",
            R"(privacycall_webhook_rejected_total{reason="bad_digest"} 1)",
        });
  CHECK(family(text, "privacycall_webhook_handle_seconds").back() == "privacycall_webhook_handle_seconds_count 10");
}

TEST_CASE("metrics: a spooled push counts as queued, then as delivered by the worker") {
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("pc-metrics-spool-" + webhook_test::unique_nonce())).string();
  {
    WebhookHandlers handlers;
    handlers.on_call_event = [](const CallEvent&) {};
    DispatcherOptions options;
    options.log = [](privacycall::LogLevel, std::string_view) {};
    Dispatcher dispatcher(webhook_test::verifier(), handlers, options);
    SpoolOptions spool;
    spool.directory = dir;
    REQUIRE(dispatcher.enable_spool(spool).ok());
    CHECK(dispatcher.handle(signed_request(platform(), event_body("q-1"))).status == 200);
    REQUIRE(dispatcher.wait_until_spool_drained(10s));
    const DispatcherStats stats = dispatcher.stats();
    CHECK(stats.pushes(PushKind::kCallEvent, PushOutcome::kQueued) == 1);
    CHECK(stats.pushes(PushKind::kCallEvent, PushOutcome::kDelivered) == 1);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("metrics: every family is well formed, written once, and queue gauges only when given") {
  DispatcherStats stats;
  stats.pushes.counts[static_cast<std::size_t>(PushKind::kNumberStatus)]
                     [static_cast<std::size_t>(PushOutcome::kUnavailable)] = 4;
  stats.block_handlers_running = 2;
  const std::string without_queue = metrics_text(stats);
  CHECK(without_queue.find("privacycall_webhook_queue_") == std::string::npos);
  const std::string text = metrics_text(stats, PushQueueStats{5, 2, 1});
  CHECK(family(text, "privacycall_webhook_queue_depth") ==
        std::vector<std::string>{"# HELP privacycall_webhook_queue_depth Queued pushes not yet acknowledged.",
                                 "# TYPE privacycall_webhook_queue_depth gauge", "privacycall_webhook_queue_depth 5"});
  CHECK(family(text, "privacycall_webhook_queue_pending").back() == "privacycall_webhook_queue_pending 2");
  CHECK(family(text, "privacycall_webhook_queue_dead_lettered").back() == "privacycall_webhook_queue_dead_lettered 1");
  CHECK(family(text, "privacycall_webhook_block_handlers_running").back() ==
        "privacycall_webhook_block_handlers_running 2");
  CHECK(nonzero_samples(text, "privacycall_webhook_pushes_total") ==
        std::vector<std::string>{
            R"(privacycall_webhook_pushes_total{kind="number_status",outcome="unavailable_503"} 4)"});
  // Outcomes a kind cannot have are left out: a Block push is never queued, only Block pushes
  // fall back.
  CHECK(text.find(R"(kind="sms_block",outcome="queued")") == std::string::npos);
  CHECK(text.find(R"(kind="fee",outcome="fallback")") == std::string::npos);
  CHECK(text.find(R"(kind="sms_block",outcome="fallback"} 0)") != std::string::npos);

  // The grammar of the text format: comments are HELP then TYPE of a family not seen before;
  // each sample belongs to the family just declared (a histogram's to its _bucket, _sum and
  // _count); the text ends with a line feed.
  const std::regex help(R"(# HELP ([a-z_]+) [^\n]+)");
  const std::regex type(R"(# TYPE ([a-z_]+) (counter|gauge|histogram))");
  const std::regex sample(R"(([a-z_]+)(\{([a-z_]+="[^"\\]*",)*[a-z_]+="[^"\\]*"\})? ([0-9]+(\.[0-9]+)?))");
  REQUIRE(text.back() == '\n');
  std::set<std::string> seen;
  std::string current, current_type;
  std::smatch match;
  const std::vector<std::string> lines = lines_of(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    INFO(lines[i]);
    if (std::regex_match(lines[i], match, help)) {
      current = match[1];
      CHECK(seen.insert(current).second);
      REQUIRE(i + 1 < lines.size());
      REQUIRE(std::regex_match(lines[i + 1], match, type));
      CHECK(match[1] == current);
      current_type = match[2];
      ++i;
      continue;
    }
    REQUIRE(std::regex_match(lines[i], match, sample));
    const std::string name = match[1];
    if (current_type == "histogram") {
      CHECK((name == current + "_bucket" || name == current + "_sum" || name == current + "_count"));
    } else {
      CHECK(name == current);
    }
  }
  CHECK(seen.size() == 8);
}
