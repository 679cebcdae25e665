// libFuzzer target: every mode's response decoders, fed through the public API by a transport
// that answers each request with the fuzz input as body (first byte picks the HTTP status).
#include <privacycall/client.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

class ReplayTransport : public privacycall::HttpTransport {
 public:
  privacycall::Result<privacycall::HttpResponse> send(const privacycall::HttpRequest&) override {
    privacycall::HttpResponse response;
    response.status = status;
    response.body = body;
    return response;
  }
  int status = 200;
  std::string body;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const int kStatuses[] = {200, 200, 200, 301, 400, 401, 403, 429, 500, 503};
  static auto transport = std::make_shared<ReplayTransport>();
  static const privacycall::Client client([] {
    privacycall::ClientOptions options;
    options.base_url = "http://127.0.0.1:9";
    options.app_key = "fuzz";
    options.app_secret = "fuzz";
    options.retry = privacycall::RetryPolicy::none();
    options.transport = transport;
    return options;
  }());
  if (size == 0) return 0;
  transport->status = kStatuses[data[0] % (sizeof kStatuses / sizeof kStatuses[0])];
  transport->body.assign(reinterpret_cast<const char*>(data) + 1, size - 1);

  const privacycall::PhoneNumber a("+8613800000021"), b("+8613800000022");
  const auto check = [](const auto& result) {
    // A success must come from a 200 answer whose resultcode is "0".
    if (result.ok() && result->result_code != "0") __builtin_trap();
    if (!result.ok() && result.error().to_string().empty()) __builtin_trap();
  };
  const privacycall::SubscriptionId id{"s"};
  const privacycall::AreaCode area{"0755"};
  check(client.axb().bind(privacycall::AxbBindRequest(a, b)));
  check(client.axb().query(id));
  check(client.axb().modify(privacycall::AxbModifyRequest(id)));
  check(client.axb().unbind(id));
  // Every other mode's decoders: bindings, lists, the AXE pages and counts.
  check(client.ax().bind(privacycall::AxBindRequest(a, b)));
  check(client.ax().query(privacycall::AxBindingsOfUser(a)));
  check(client.axe().bind(privacycall::AxeBindRequest(a, area)));
  check(client.axe().query(id));
  check(client.axe().query_v2(privacycall::AxeQueryV2Request(privacycall::AxeBindingsOnNumber(b))));
  check(client.axe().count(privacycall::AxeCountPage{}));
  check(client.axyb().bind_ax(privacycall::AxybBindAxRequest(a, area)));
  check(client.axyb().query(privacycall::AxybRelationsOnNumber(b)));
  return 0;
}
