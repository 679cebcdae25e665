// AXYB mode: A is bound to X, then B to Y under the same subscriptionId. B dials X to reach A
// (A sees Y); A dials Y to reach B (B sees X).
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
  const privacycall::PhoneNumber landlord("+8613800000021");
  const privacycall::PhoneNumber tenant("+8613900000042");

  try {
    // 1. AX: the landlord gets an X from Beijing (010) for one hour.
    privacycall::AxybBindAxRequest ax(landlord, privacycall::AreaCode("010"));
    ax.settings.duration = 1h;
    const auto bound_ax = client.axyb().bind_ax(ax).value();
    std::cout << "landlord " << landlord.masked() << " is X " << bound_ax.relation_num.masked()
              << "\n";

    // 2. YB: the tenant joins the same relation and gets a Y.
    const auto bound_yb =
        client.axyb().bind_yb(privacycall::AxybBindYbRequest(bound_ax.subscription_id, tenant)).value();
    // Y as a PhoneNumber, which the unbind below needs: a malformed answer fails here.
    const privacycall::PhoneNumber y(bound_yb.relation_num.raw());
    std::cout << "tenant " << tenant.masked() << " is Y " << y.masked() << "\n";

    // 3. The relation as the platform holds it.
    for (const auto& r : client.axyb().query(bound_ax.subscription_id).value().relations) {
      std::cout << "relation: A " << r.num_a.masked() << ", X " << r.num_x.masked() << ", Y " << r.num_y.masked()
                << ", B " << r.num_b.masked() << "\n";
    }

    // 4. The tenant moves out: drop only the YB leg, then the whole relation.
    client.axyb().unbind(privacycall::AxybUnbindYbByY(bound_ax.subscription_id, y)).value();
    std::cout << "removed the tenant's Y\n";
    client.axyb().unbind(bound_ax.subscription_id).value();
    std::cout << "removed the relation\n";
  } catch (const privacycall::Exception& e) {
    std::cerr << "failed: " << e.error().to_string() << "\n";
    return 1;
  }
  return 0;
}
