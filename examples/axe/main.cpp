// AXE mode: one privacy number X serves many people, each behind an extension. Callers dial X,
// enter the extension and reach that person; the v2.0 query lists every binding page by page.
//
// Runs against the in-process FakePlatform; with real credentials build the Client from
// privacycall::ClientOptions::from_environment() instead.

#include <privacycall/client.hpp>
#include <privacycall/testing/fake_platform.hpp>

#include <iostream>
#include <string>

int main() {
  using namespace std::chrono_literals;
  privacycall::testing::FakePlatform platform;
  const privacycall::Client client(platform.client_options());
  const privacycall::PhoneNumber x("+8675500000001");

  try {
    // 1. Bind five agents to X; the platform assigns each a free extension.
    for (int i = 1; i <= 5; ++i) {
      const privacycall::PhoneNumber agent("+861380000002" + std::to_string(i));
      privacycall::AxeBindRequest bind(agent, x);
      bind.settings.bind_expired_time = 24h;  // sent as timeUnit "0" (hours), bindExpiredTime 24
      bind.settings.callback_expired_time = 30min;
      const auto bound = client.axe().bind(bind).value();
      std::cout << "agent " << agent.masked() << " is " << x.masked() << " ext " << bound.extend_num << "\n";
    }

    // 2. Walk every binding on X, two per page, following the platform's cursor.
    int page_number = 0;
    for (const auto& page : client.axe().query_pages(privacycall::AxeBindingsOnNumber(x), 2)) {
      std::cout << "page " << ++page_number << ":";
      for (const auto& binding : page.value().bindings) std::cout << " ext " << binding.extend_num;
      std::cout << "\n";
    }

    // 3. How many bindings X carries.
    const auto counted = client.axe().count(x).value();
    std::cout << x.masked() << " carries " << counted.numbers.at(0).count.value_or(0) << " bindings\n";

    // 4. Remove extension 0003.
    client.axe().unbind(privacycall::AxeExtension(x, "0003")).value();
    std::cout << "unbound ext 0003; " << client.axe().query_all(privacycall::AxeBindingsOnNumber(x)).value().size()
              << " bindings left\n";
  } catch (const privacycall::Exception& e) {
    std::cerr << "failed: " << e.error().to_string() << "\n";
    return 1;
  }
  return 0;
}
