// The main job: bind A and B to a privacy number, query, modify and unbind, printing each step.
//
// With PRIVACYCALL_BASE_URL, PRIVACYCALL_APP_KEY and PRIVACYCALL_APP_SECRET set it talks to the
// real platform (then also set PRIVACYCALL_CALLER_NUM and PRIVACYCALL_CALLEE_NUM to real
// numbers, and optionally PRIVACYCALL_RELATION_NUM to one of your privacy numbers).
// Without them it starts the FakePlatform in-process on 127.0.0.1 and needs nothing else.

#include <privacycall/client.hpp>
#include <privacycall/testing/fake_platform.hpp>

#include <cstdlib>
#include <iostream>
#include <memory>

namespace {

std::string env_or(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

void step(const std::string& text) { std::cout << "==> " << text << std::endl; }

}  // namespace

int main() try {
  using namespace std::chrono_literals;

  std::unique_ptr<privacycall::testing::FakePlatform> simulator;
  auto options = privacycall::ClientOptions::from_environment();
  if (options) {
    step("using the platform at " + options->base_url);
  } else {
    simulator = std::make_unique<privacycall::testing::FakePlatform>();
    options = simulator->client_options();
    step("no PRIVACYCALL_* credentials: started the simulator at " + simulator->base_url());
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
  step("bind " + caller.masked() + " <-> " + callee.masked());
  const auto bound = client.axb().bind(bind).value();
  std::cout << "    subscriptionId " << bound.subscription_id.value << ", X = "
            << privacycall::PhoneNumber::mask_phone_number(bound.relation_num) << "\n";

  step("query the binding");
  const auto queried = client.axb().query(bound.subscription_id).value();
  for (const auto& b : queried.bindings) {
    std::cout << "    " << privacycall::PhoneNumber::mask_phone_number(b.caller_num) << " <-> "
              << privacycall::PhoneNumber::mask_phone_number(b.callee_num) << " via "
              << privacycall::PhoneNumber::mask_phone_number(b.relation_num)
              << " userData=" << b.user_data.value_or("") << "\n";
  }

  step("modify: B becomes " + new_callee.masked());
  privacycall::AxbModifyRequest modify(bound.subscription_id);
  modify.callee_num = new_callee;
  client.axb().modify(modify).value();
  const auto after = client.axb().query(bound.subscription_id).value();
  std::cout << "    callee now " << privacycall::PhoneNumber::mask_phone_number(after.bindings.at(0).callee_num) << "\n";

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
