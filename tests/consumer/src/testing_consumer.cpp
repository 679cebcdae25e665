// Consumer of privacycall::testing: a Client bound to a FakePlatform on loopback does a whole
// AXB round trip.

#include <privacycall/client.hpp>
#include <privacycall/testing/fake_platform.hpp>

#include "expect.hpp"

int main() {
  privacycall::testing::FakePlatform platform;
  const privacycall::Client client(platform.client_options());

  privacycall::AxbBindRequest request(privacycall::PhoneNumber("+8613800000021"),
                                      privacycall::PhoneNumber("+8613800000022"),
                                      privacycall::AreaCode("0755"));
  request.settings.user_data = "consumer";
  const auto bound = client.axb().bind(request);
  EXPECT(bound.ok());
  if (!bound) return consumer::result("testing_consumer");
  EXPECT(bound->relation_num.raw().rfind("+86755", 0) == 0);

  const auto queried = client.axb().query(bound->subscription_id);
  EXPECT(queried && queried->bindings.size() == 1 && queried->bindings[0].user_data == "consumer");
  EXPECT(client.axb().unbind(bound->subscription_id).ok());
  const auto gone = client.axb().query(bound->subscription_id);
  EXPECT(!gone && gone.error().result_code == "1016001");
  EXPECT(platform.requests().size() == 4);

  return consumer::result("testing_consumer");
}
