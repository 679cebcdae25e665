// libFuzzer target: every notification parser (call events, CDR batches, SMS Notify/Block,
// number status, unknown kinds) through parse_notification, then the accessors a handler calls
// and the dispatcher's delivery (deduplication keys, per-record subsets) with every handler set.
// Also a differential oracle for the push reader's single SAX pass: it must accept exactly the
// texts nlohmann::json::parse accepts (within the depth limit).
#include <privacycall/webhook/dispatcher.hpp>
#include <privacycall/webhook/parse.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

namespace {

using namespace privacycall::webhook;

void check_time(const std::optional<WireTime>& time) {
  // The parsed time is a function of the raw text.
  if (time && time->time != parse_wire_time(time->raw)) __builtin_trap();
}

Dispatcher& dispatcher() {
  static Dispatcher instance = [] {
    VerifierOptions verifier;
    verifier.insecure_accept_unsigned_requests_for_local_development_only = true;
    verifier.log = [](privacycall::LogLevel, std::string_view) {};
    WebhookHandlers handlers;
    handlers.on_call_event = [](const CallEvent&) {};
    handlers.on_fee = [](const FeeNotification& fee) {
      if (fee.records.empty()) __builtin_trap();  // an all-duplicate batch must not be delivered
    };
    handlers.on_number_status = [](const NumberStatusNotification&) {};
    handlers.on_sms = [](const SmsNotification&) {};
    handlers.on_unknown = [](const UnknownNotification&) {};
    DispatcherOptions options;
    MemoryDedupOptions dedup;
    dedup.max_entries = 4096;  // keep memory flat over a long run
    options.dedup_store = std::make_shared<MemoryDedupStore>(dedup);
    options.log = [](privacycall::LogLevel, std::string_view) {};
    return Dispatcher(std::make_shared<WebhookVerifier>(std::move(verifier)), std::move(handlers),
                      std::move(options));
  }();
  return instance;
}

// Within the depth and list limits parse_notification calls a body invalid JSON exactly when
// nlohmann::json::parse refuses it.
void check_verdict_against_nlohmann(std::string_view body, const privacycall::Result<Notification>& parsed) {
  if (!parsed.ok() && parsed.error().message.find("nests deeper") != std::string::npos) return;
  if (!parsed.ok() && parsed.error().message.find("holds more than") != std::string::npos) return;
  const bool refused = !parsed.ok() && parsed.error().message.find("not valid JSON") != std::string::npos;
  bool reference_refused = false;
  try {
    (void)nlohmann::json::parse(body.begin(), body.end());
  } catch (const std::exception&) {
    reference_refused = true;
  }
  if (refused != reference_refused) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const privacycall::Result<Notification> parsed = parse_notification(body);
  check_verdict_against_nlohmann(body, parsed);
  if (!parsed.ok()) {
    if (parsed.error().category != privacycall::ErrorCategory::kDecode) __builtin_trap();
    return 0;
  }
  std::visit(
      [](const auto& n) {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, CallEvent>) {
          (void)n.is_block_callin();
          check_time(n.timestamp);
        } else if constexpr (std::is_same_v<T, FeeNotification>) {
          for (const FeeRecord& r : n.records) {
            (void)r.talk_duration();
            check_time(r.call_in_time);
            check_time(r.call_end_time);
          }
        } else if constexpr (std::is_same_v<T, SmsNotification>) {
          (void)n.is_block();
          check_time(n.time_stamp);
        }
      },
      *parsed);
  // Block pushes too: deliver() hands them to the Notify handlers without threads.
  dispatcher().deliver(body);
  return 0;
}
