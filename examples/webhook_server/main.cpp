// An embedded webhook receiver: privacycall::webhook::WebhookServer feeds a Dispatcher that
// verifies each push's signature with the app's key and secret, drops re-pushed duplicates and
// hands every call event and CDR to our handlers exactly once.
//
// The in-process FakePlatform plays the platform: its call-status and CDR URLs point at our
// server, we bind A and B to X, A calls X, and the simulator pushes the call's signed events
// and CDR. We wait for them without sleeping, print them with the numbers masked, and exit 1
// unless each arrived exactly once.
//
// Against the real platform the receiver is the same: set the app's call-status URL and CDR
// URL in the console to this server (behind TLS or a reverse proxy), and add_app() the app's
// real key and secret.

#include <privacycall/client.hpp>
#include <privacycall/log.hpp>
#include <privacycall/testing/fake_platform.hpp>
#include <privacycall/webhook/dispatcher.hpp>
#include <privacycall/webhook/server.hpp>
#include <privacycall/webhook/verifier.hpp>

#include <condition_variable>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

std::string masked(const std::optional<privacycall::WireNumber>& number) { return number ? number->masked() : "-"; }

}  // namespace

int main() try {
  using namespace std::chrono_literals;
  namespace webhook = privacycall::webhook;

  // What the handlers saw. They run on the server's threads, so everything is under a mutex,
  // and `arrived` wakes main() whenever something came.
  std::mutex mutex;
  std::condition_variable arrived;
  std::map<std::string, int> deliveries;  // event type -> times handed to us
  std::vector<webhook::FeeRecord> cdrs;

  webhook::WebhookHandlers handlers;
  handlers.on_call_event = [&](const webhook::CallEvent& e) {
    std::lock_guard<std::mutex> lock(mutex);
    ++deliveries[e.event_type.raw()];
    std::cout << "    event " << e.event_type.raw() << ": caller " << masked(e.caller) << ", called "
              << masked(e.called) << (e.state_code ? ", stateCode " + std::to_string(e.state_code->raw()) : "")
              << "\n";
    arrived.notify_all();
  };
  handlers.on_fee = [&](const webhook::FeeNotification& fee) {
    std::lock_guard<std::mutex> lock(mutex);
    for (const auto& record : fee.records) {
      cdrs.push_back(record);
      std::cout << "    CDR: " << masked(record.caller_num) << " -> " << masked(record.fwd_dst_num)
                << " via " << masked(record.bind_num) << ", talk time "
                << record.talk_duration().value_or(0s).count() << " s\n";
    }
    arrived.notify_all();
  };

  // The receiver accepts only pushes signed with the app's secret (the FakePlatform's defaults
  // here). Its log hook uses the SDK's privacycall::LogLevel.
  privacycall::testing::FakePlatformOptions sim;
  auto verifier = std::make_shared<webhook::WebhookVerifier>();
  verifier->add_app(sim.app_key, sim.app_secret);
  webhook::DispatcherOptions dispatcher_options;
  dispatcher_options.paths = {"/status", "/fee"};
  dispatcher_options.log = [](privacycall::LogLevel level, std::string_view message) {
    if (level >= privacycall::LogLevel::kWarning) {
      std::cout << "    receiver " << privacycall::to_string(level) << ": " << message << "\n";
    }
  };
  auto dispatcher = std::make_shared<webhook::Dispatcher>(verifier, handlers, dispatcher_options);
  webhook::WebhookServerOptions server_options;
  server_options.host = "127.0.0.1";  // loopback only
  server_options.port = 0;            // any free port
  webhook::WebhookServer server(dispatcher, server_options);
  const std::string url = "http://127.0.0.1:" + std::to_string(server.start().value());
  std::cout << "==> webhook server listening on " << url << "\n";

  // The simulated platform pushes call events to /status and CDRs to /fee.
  sim.status_url = url + "/status";
  sim.fee_url = url + "/fee";
  privacycall::testing::FakePlatform platform(sim);
  const privacycall::Client client(platform.client_options());

  const privacycall::PhoneNumber a("+8613800000021");
  const privacycall::PhoneNumber b("+8613800000022");
  const privacycall::PhoneNumber x("+8675500000001");
  std::cout << "==> bind " << a.masked() << " <-> " << b.masked() << " on " << x.masked() << "\n";
  client.axb().bind(privacycall::AxbBindRequest(a, b, x)).value();

  std::cout << "==> " << a.masked() << " calls " << x.masked() << "\n";
  const std::string session =
      platform.simulate_call(privacycall::testing::FakeCall{a.str(), x.str(), std::nullopt, 42s}).value();

  // Wait (bounded) until the last event and the CDR were handed to us, then until the
  // simulator has nothing left to push, so a stray re-push would have shown up as well.
  {
    std::unique_lock<std::mutex> lock(mutex);
    if (!arrived.wait_for(lock, 20s, [&] { return deliveries.count("disconnect") != 0 && !cdrs.empty(); })) {
      std::cerr << "the call's events and CDR did not arrive\n";
      return 1;
    }
  }
  if (!platform.wait_for_pushes(20s)) {
    std::cerr << "the simulator still had pushes pending\n";
    return 1;
  }
  server.stop();

  std::lock_guard<std::mutex> lock(mutex);
  bool ok = true;
  for (const char* type : {"callin", "callout", "alerting", "answer", "disconnect"}) {
    if (deliveries[type] != 1) {
      std::cerr << "event " << type << " was delivered " << deliveries[type] << " times, not once\n";
      ok = false;
    }
  }
  if (cdrs.size() != 1 || cdrs.front().session_id != session || cdrs.front().fwd_dst_num != b.str()) {
    std::cerr << "expected one CDR of session " << session << " forwarded to B, got " << cdrs.size() << "\n";
    ok = false;
  }
  const auto stats = server.stats().dispatcher;
  std::cout << "==> session " << session << ": " << stats.delivered << " pushes delivered, "
            << stats.duplicates << " duplicates, " << stats.rejected.unauthenticated << " rejected\n";
  std::cout << (ok ? "==> every event and the CDR arrived exactly once\n" : "==> FAILED\n");
  return ok ? 0 : 1;
} catch (const privacycall::Exception& e) {
  std::cerr << "webhook_server example failed: " << e.error().to_string() << "\n";
  return 1;
}
