// The main job: bind A and B to a privacy number, query and modify the binding; with the
// simulator, also place a call through X and receive its events and CDR in this program's own
// webhook receiver, fetch the recording's download URL; finally unbind. Prints each step.
//
// With PRIVACYCALL_BASE_URL, PRIVACYCALL_APP_KEY and PRIVACYCALL_APP_SECRET set it talks to the
// real platform (then also set PRIVACYCALL_CALLER_NUM and PRIVACYCALL_CALLEE_NUM to real
// numbers, and optionally PRIVACYCALL_RELATION_NUM to one of your privacy numbers).
// Without them it starts the FakePlatform in-process on 127.0.0.1 and needs nothing else.

#include <privacycall/client.hpp>
#include <privacycall/testing/fake_platform.hpp>
#include <privacycall/webhook/dispatcher.hpp>
#include <privacycall/webhook/server.hpp>
#include <privacycall/webhook/verifier.hpp>

#include <condition_variable>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>

namespace {

std::string env_or(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

void step(const std::string& text) { std::cout << "==> " << text << std::endl; }

}  // namespace

int main() try {
  using namespace std::chrono_literals;

  // Our webhook receiver: verifies the platform's signature, dedupes re-pushes, and hands each
  // notification to these handlers once.
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::string> events;
  std::optional<privacycall::webhook::FeeRecord> cdr;
  privacycall::webhook::WebhookHandlers handlers;
  handlers.on_call_event = [&](const privacycall::webhook::CallEvent& e) {
    std::lock_guard<std::mutex> lock(mutex);
    events.push_back(e.event_type.raw());
    std::cout << "    webhook: call event " << e.event_type.raw() << " caller "
              << (e.caller ? e.caller->masked() : std::string("-")) << "\n";
    changed.notify_all();
  };
  handlers.on_fee = [&](const privacycall::webhook::FeeNotification& fee) {
    std::lock_guard<std::mutex> lock(mutex);
    for (const auto& record : fee.records) cdr = record;
    std::cout << "    webhook: CDR for session " << cdr->session_id.value_or("?") << "\n";
    changed.notify_all();
  };

  std::unique_ptr<privacycall::testing::FakePlatform> simulator;
  std::unique_ptr<privacycall::webhook::WebhookServer> receiver;
  auto options = privacycall::ClientOptions::from_environment();
  if (options) {
    step("using the platform at " + options->base_url);
  } else {
    auto verifier = std::make_shared<privacycall::webhook::WebhookVerifier>();
    privacycall::testing::FakePlatformOptions sim;
    verifier->add_app(sim.app_key, sim.app_secret);
    receiver = std::make_unique<privacycall::webhook::WebhookServer>(
        std::make_shared<privacycall::webhook::Dispatcher>(verifier, handlers));
    const auto port = receiver->start().value();
    const std::string receiver_url = "http://127.0.0.1:" + std::to_string(port);
    sim.status_url = receiver_url + "/status";
    sim.fee_url = receiver_url + "/fee";
    simulator = std::make_unique<privacycall::testing::FakePlatform>(sim);
    options = simulator->client_options();
    step("no PRIVACYCALL_* credentials: started the simulator at " + simulator->base_url() +
         " and a webhook receiver at " + receiver_url);
  }
  options->log = [](const privacycall::LogRecord& record) { std::cout << "    log: " << record.message << "\n"; };
  const privacycall::Client client(*options);

  const privacycall::PhoneNumber caller(env_or("PRIVACYCALL_CALLER_NUM", "+8613800000021"));
  const privacycall::PhoneNumber callee(env_or("PRIVACYCALL_CALLEE_NUM", "+8613800000022"));
  const privacycall::PhoneNumber new_callee(env_or("PRIVACYCALL_NEW_CALLEE_NUM", "+8613800000023"));

  privacycall::AxbBindRequest bind(caller, callee);
  if (const char* x = std::getenv("PRIVACYCALL_RELATION_NUM")) {
    bind.relation = privacycall::PhoneNumber(x);
  } else {
    bind.relation = privacycall::AreaCode("0755", privacycall::AreaMatchMode::kLoose);
  }
  bind.settings.duration = 1h;  // the binding removes itself if this demo dies half-way
  bind.settings.max_duration = 30min;
  bind.settings.user_data = "quickstart-order-1";
  bind.settings.record_flag = true;
  step("bind " + caller.masked() + " <-> " + callee.masked());
  const auto bound = client.axb().bind(bind).value();
  std::cout << "    subscriptionId " << bound.subscription_id.value << ", X = "
            << bound.relation_num.masked() << "\n";

  step("query the binding");
  const auto queried = client.axb().query(bound.subscription_id).value();
  for (const auto& b : queried.bindings) {
    std::cout << "    " << b.caller_num.masked() << " <-> " << b.callee_num.masked() << " via "
              << b.relation_num.masked()
              << " userData=" << b.user_data.value_or("") << "\n";
  }

  step("modify: B becomes " + new_callee.masked());
  privacycall::AxbModifyRequest modify(bound.subscription_id);
  modify.callee_num = new_callee;
  client.axb().modify(modify).value();
  const auto after = client.axb().query(bound.subscription_id).value();
  std::cout << "    callee now " << after.bindings.at(0).callee_num.masked() << "\n";

  if (simulator) {
    step("A calls X; the simulator connects the call and pushes its events and CDR");
    privacycall::testing::FakeCall call{caller.str(), bound.relation_num.raw(), std::nullopt, 45s};
    const std::string session = simulator->simulate_call(call).value();
    std::unique_lock<std::mutex> lock(mutex);
    if (!changed.wait_for(lock, 20s, [&] { return cdr.has_value() && events.size() >= 5; })) {
      std::cerr << "the call's notifications did not arrive\n";
      return 1;
    }
    std::cout << "    session " << session << ": " << events.size() << " events, talk time "
              << cdr->talk_duration().value_or(0s).count() << " s\n";
    step("fetch the recording's download URL");
    const auto url = client.recordings().download_url(cdr->record_object_name.value_or(""),
                                                      cdr->record_domain.value_or("")).value();
    std::cout << "    " << url.substr(0, url.find('?')) << "?...\n";
  }

  step("unbind");
  client.axb().unbind(bound.subscription_id).value();
  const auto gone = client.axb().query(bound.subscription_id);
  std::cout << "    query after unbind: resultcode " << (gone.ok() ? "0" : gone.error().result_code) << "\n";
  if (gone.ok()) return 1;

  step("done");
  return 0;
} catch (const privacycall::Exception& e) {
  std::cerr << "quickstart failed: " << e.error().to_string() << "\n";
  return 1;
}
