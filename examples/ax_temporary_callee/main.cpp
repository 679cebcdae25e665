// AX mode: A gets a privacy number X that anyone may call to reach A. Before A calls someone
// through X, a temporary callee says whom that call reaches.
//
// Runs against the in-process FakePlatform; with real credentials build the Client from
// privacycall::ClientOptions::from_environment() instead.

#include <privacycall/client.hpp>
#include <privacycall/testing/fake_platform.hpp>

#include <iostream>

int main() {
  using namespace std::chrono_literals;
  privacycall::testing::FakePlatform platform;
  const privacycall::Client client(platform.client_options());
  const privacycall::PhoneNumber courier("+8613800000021");
  const privacycall::PhoneNumber customer("+8613900000042");

  try {
    // 1. Give the courier an X from Shenzhen (0755).
    privacycall::AxBindRequest bind(courier, privacycall::AreaCode("0755"));
    bind.settings.user_data = "delivery-1001";
    const auto bound = client.ax().bind(bind).value();
    const privacycall::PhoneNumber x(bound.private_num.raw());
    std::cout << "bound courier " << courier.masked() << " to X " << x.masked() << " (" << bound.subscription_id.value
              << ")\n";

    // 2. The courier is about to call the customer: set the temporary callee for 2 minutes.
    privacycall::AxTemporaryCalleeRequest callee(bound.subscription_id, customer);
    callee.duration = 120s;
    client.ax().set_temporary_callee(callee).value();
    std::cout << "courier's next call through " << x.masked() << " reaches " << customer.masked() << "\n";

    // 3. Look the binding up by the courier's number.
    const auto found = client.ax().query(privacycall::AxBindingsOfUser(courier)).value();
    std::cout << "courier holds " << found.bindings.size() << " X number(s)\n";

    // 4. Delivery done: release X.
    client.ax().unbind(privacycall::AxUnbindRequest(bound.subscription_id)).value();
    std::cout << "unbound " << x.masked() << "\n";
  } catch (const privacycall::Exception& e) {
    std::cerr << "failed: " << e.error().to_string() << "\n";
    return 1;
  }
  return 0;
}
