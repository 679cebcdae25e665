// privacycall sim: the FakePlatform as a process, until SIGINT or SIGTERM.

#include <privacycall/testing/fake_platform.hpp>

#include <cstdint>
#include <cstdlib>
#include <iostream>

#include "command.hpp"
#include "stop_signals.hpp"

namespace privacycall::cli {
namespace {

testing::FakeNumber parse_x_number(const std::string& text) {
  const auto colon = text.find(':');
  const std::string number = text.substr(0, colon);
  auto parsed = PhoneNumber::parse(number);
  if (!parsed) throw UsageError("--x-number: " + parsed.error().message);
  return {number, colon == std::string::npos ? std::string("0755") : text.substr(colon + 1)};
}

// Fault injection: rates are probabilities per API request, from 0 to 1.
Flags fault_flags() {
  return {real("error-rate", "probability of HTTP 503 / 1010001 without processing the request").defaults_to("0"),
          real("flow-control-rate", "probability of HTTP 429 / 1010010 (flow control) without processing").defaults_to("0"),
          real("drop-before-rate", "probability of cutting the connection before processing").defaults_to("0"),
          real("drop-after-rate", "probability of processing, then cutting the connection before the answer")
              .defaults_to("0"),
          real("truncate-rate", "probability of processing, then sending half the answer's body").defaults_to("0"),
          real("slow-body-rate", "probability of processing, then sending the answer a few bytes at a time")
              .defaults_to("0"),
          integer("latency-ms", "", 0, 600000, "delay before every API answer").defaults_to("0"),
          integer("slow-body-pause-ms", "", 0, 60000, "pause between the pieces of a slow body").defaults_to("20"),
          integer("fault-seed", "", 0, INT64_MAX, "seeds the fault draws, so that a run can be repeated").defaults_to("1"),
          integer("clock-skew-s", "", -86400, 86400,
                  "the simulated platform's clock is this many seconds ahead (negative: behind); its Date header "
                  "and its Created check use it")
              .defaults_to("0")};
}

void take_faults(Args& args, testing::FaultOptions& faults) {
  const auto rate = [&args](const char* name, double& target) {
    const auto text = args.take(name);
    if (!text) return;
    char* end = nullptr;
    const double value = std::strtod(text->c_str(), &end);
    if (text->empty() || *end != '\0' || value < 0 || value > 1) {
      throw UsageError(std::string("--") + name + " must be a probability from 0 to 1");
    }
    target = value;
  };
  rate("error-rate", faults.server_error_rate);
  rate("flow-control-rate", faults.flow_control_rate);
  rate("drop-before-rate", faults.drop_before_processing_rate);
  rate("drop-after-rate", faults.drop_after_processing_rate);
  rate("truncate-rate", faults.truncated_body_rate);
  rate("slow-body-rate", faults.slow_body_rate);
  if (auto ms = args.take_int("latency-ms")) faults.latency = std::chrono::milliseconds(*ms);
  if (auto ms = args.take_int("slow-body-pause-ms")) faults.slow_body_pause = std::chrono::milliseconds(*ms);
  if (auto seed = args.take_int("fault-seed")) faults.seed = static_cast<unsigned long long>(*seed);
  const double total = faults.server_error_rate + faults.flow_control_rate + faults.drop_before_processing_rate +
                       faults.drop_after_processing_rate + faults.truncated_body_rate + faults.slow_body_rate;
  if (total > 1) throw UsageError("the fault rates add up to more than 1");
}

int sim(CommandContext& c) {
  testing::FakePlatformOptions options;
  if (auto port = c.args.take_int("port")) options.port = static_cast<int>(*port);
  if (auto key = c.args.take("app-key")) options.app_key = *key;
  if (auto secret = c.args.take("app-secret")) options.app_secret = *secret;
  if (auto host = c.args.take_choice("host")) options.host = *host;
  if (auto scale = c.args.take_double("time-scale")) options.time_scale = *scale;
  if (auto pairs = c.args.take_int("max-axb-pairs")) options.max_axb_pairs_per_number = static_cast<int>(*pairs);
  for (const auto& text : c.args.take_all("x-number")) options.numbers.push_back(parse_x_number(text));
  take_faults(c.args, options.faults);
  if (auto skew = c.args.take_int("clock-skew-s")) options.clock_skew = std::chrono::seconds(*skew);
  options.accept_wsse = c.args.take_switch("accept-wsse");
  if (c.args.take_choice("push-scheme") == std::optional<std::string>("wsse")) {
    options.push_scheme = SignatureScheme::kWsse;
  }
  options.repush_with_original_header = c.args.take_switch("repush-original-header");
  if (auto url = c.args.take("status-url")) options.status_url = *url;
  if (auto url = c.args.take("fee-url")) options.fee_url = *url;
  if (auto url = c.args.take("sms-url")) options.sms_url = *url;
  c.args.finish();

  StopSignals stop_signals;  // before any thread starts

  testing::FakePlatform platform(options);
  c.out << "listening on " << platform.base_url() << "\n";
  c.out << "app_key " << platform.options().app_key << "\n";
  for (const auto& number : platform.options().numbers) {
    c.out << "x-number " << number.number << " area " << number.area_code << "\n";
  }
  c.out << std::flush;
  const int signal = stop_signals.wait();
  platform.stop();
  c.err << "privacycall sim: stopped by signal " << signal << std::endl;
  return kExitOk;
}

}  // namespace

std::vector<Command> sim_commands() {
  const Flags flags{
      integer("port", "", 0, 65535, "port to listen on; 0 picks a free one").defaults_to("0"),
      choice("host", "", {"127.0.0.1", "::1"}, "loopback address to listen on").defaults_to("127.0.0.1"),
      text("app-key", "", "the app key it accepts").defaults_to("fake-app-key"),
      text("app-secret", "", "the app secret it accepts").defaults_to("fake-app-secret"),
      real("time-scale", "simulated seconds per real second (expiries and re-pushes run that much faster)")
          .defaults_to("1"),
      integer("max-axb-pairs", "", 1, 5000, "A/B pairs one X may carry").defaults_to("5000"),
      text("x-number", "", "NUMBER[:AREA], a privacy number of the app (area default 0755); without it five "
                           "Shenzhen and five Beijing numbers")
          .repeatable_flag(),
      text("status-url", "", "where call events and X-number status are pushed (and X-mode calls ask)"),
      text("fee-url", "", "where CDRs are pushed"),
      text("sms-url", "", "where SMS Notify and Block pushes go"),
      on_off("accept-wsse", "also accept requests signed with the legacy WSSE scheme (X-WSSE)"),
      choice("push-scheme", "", {"aksk", "wsse"}, "scheme the pushes are signed with").defaults_to("aksk"),
      on_off("repush-original-header", "re-push with the first attempt's signature headers instead of signing anew")};
  return {{"sim", "", "run the FakePlatform simulator on loopback until SIGINT/SIGTERM", flags + fault_flags(), sim}};
}

}  // namespace privacycall::cli
