// The log hook: one line per attempt with method, path, status, latency, attempt and
// resultcode; phone numbers masked; never the secret or the signature header.

#include <privacycall/client.hpp>
#include <privacycall/testing/fake_platform.hpp>

#include <mutex>

#include "client/client_core.hpp"
#include "support/catch.hpp"
#include "support/scripted_transport.hpp"

using privacycall::AxbBindingsOnNumber;
using privacycall::AxbBindRequest;
using privacycall::LogRecord;
using privacycall::PhoneNumber;
using privacycall::testing::FakePlatform;

namespace {

struct Captured {
  std::mutex mutex;
  std::vector<LogRecord> records;
  privacycall::LogHook hook() {
    return [this](const LogRecord& record) {
      std::lock_guard<std::mutex> lock(mutex);
      records.push_back(record);
    };
  }
};

}  // namespace

TEST_CASE("Request logs mask numbers and never carry secrets") {
  FakePlatform platform;
  Captured captured;
  auto options = platform.client_options();
  options.log = captured.hook();
  const privacycall::Client client(options);

  AxbBindRequest bind(PhoneNumber("+8613812340021"), PhoneNumber("+8613812340022"));
  bind.relation = PhoneNumber("+8675500000001");
  const auto id = client.axb().bind(bind).value().subscription_id;
  REQUIRE(client.axb().query(AxbBindingsOnNumber(PhoneNumber("+8675500000001"), PhoneNumber("+8613812340021"))).ok());
  REQUIRE_FALSE(client.axb().query(privacycall::SubscriptionId{"missing"}).ok());

  REQUIRE(captured.records.size() == 3);
  const auto& bind_line = captured.records[0];
  CHECK(bind_line.method == "POST");
  CHECK(bind_line.path == "/rest/caas/relationnumber/partners/v1.0");
  CHECK(bind_line.http_status == 200);
  CHECK(bind_line.result_code == "0");
  CHECK(bind_line.attempt == 1);
  CHECK(bind_line.latency.has_value());
  CHECK(bind_line.level == privacycall::LogLevel::kInfo);

  const auto& query_line = captured.records[1];
  CHECK(query_line.path.find("relationNum=%2B86755****0001") != std::string::npos);
  CHECK(query_line.path.find("callerNum=%2B86138****0021") != std::string::npos);
  CHECK(query_line.message.find("+86138****0021") == std::string::npos);  // encoded form only

  const auto& failed_line = captured.records[2];
  CHECK(failed_line.level == privacycall::LogLevel::kWarning);
  CHECK(failed_line.result_code == "1016001");
  CHECK(failed_line.http_status == 403);

  for (const auto& record : captured.records) {
    INFO(record.message);
    CHECK(record.message.find("13812340021") == std::string::npos);
    CHECK(record.message.find("13812340022") == std::string::npos);
    CHECK(record.message.find("75500000001") == std::string::npos);
    CHECK(record.message.find(platform.options().app_secret) == std::string::npos);
    CHECK(record.message.find("PasswordDigest") == std::string::npos);
    CHECK(record.message.find("X-AKSK") == std::string::npos);
    CHECK(record.message.find("attempt=") != std::string::npos);
    CHECK(record.message.find("latency_ms=") != std::string::npos);
  }
  (void)id;
}

TEST_CASE("Masking can be turned off explicitly") {
  FakePlatform platform;
  Captured captured;
  auto options = platform.client_options();
  options.log = captured.hook();
  options.mask_phone_numbers = false;
  REQUIRE(privacycall::Client(options).axb().query(AxbBindingsOnNumber(PhoneNumber("+8675500000001"))).ok());
  REQUIRE(captured.records.size() == 1);
  CHECK(captured.records[0].path.find("relationNum=%2B8675500000001") != std::string::npos);
}

TEST_CASE("Phone numbers the platform quotes in resultdesc are masked in errors") {
  auto transport = std::make_shared<privacycall_test::ScriptedTransport>(std::vector<privacycall_test::ScriptedAnswer>{
      {200, R"({"resultcode":"1012010","resultdesc":"The number +8613812340021 has been bound to 8675500000001."})"}});
  AxbBindRequest bind(PhoneNumber("+8613812340021"), PhoneNumber("+8613812340022"));
  const std::string masked = "The number +86138****0021 has been bound to 86755****0001.";

  const auto options = privacycall_test::scripted(transport);
  const auto refused = privacycall::Client(options).axb().bind(bind);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().result_code == "1012010");
  CHECK(refused.error().result_desc == masked);
  CHECK(refused.error().to_string().find("8613812340021") == std::string::npos);
  try {
    privacycall::Client(options).axb().bind(bind).value();
    FAIL("value() did not throw");
  } catch (const privacycall::Exception& e) {
    CHECK(std::string(e.what()).find("+86138****0021") != std::string::npos);
    CHECK(std::string(e.what()).find("8613812340021") == std::string::npos);
  }
  const auto async_refused = privacycall::Client(options).async().axb().bind(bind).get();
  REQUIRE_FALSE(async_refused.ok());
  CHECK(async_refused.error().result_desc == masked);

  auto in_full = options;
  in_full.mask_phone_numbers = false;
  CHECK(privacycall::Client(in_full).axb().bind(bind).error().result_desc ==
        "The number +8613812340021 has been bound to 8675500000001.");
  // Short digit runs are not numbers: counts, times and the like stay.
  CHECK(privacycall::internal::mask_phone_numbers_in("+1 at 12:30, 123456 left") == "+1 at 12:30, 123456 left");
  // Result codes (7 digits) stay readable; a bare run of 8 digits is masked like a number.
  CHECK(privacycall::internal::mask_phone_numbers_in("error 1012010 for 28000001") ==
        "error 1012010 for " + PhoneNumber::mask_phone_number("28000001"));
}
