// Consumer of privacycall::webhook alone, the receiver without libcurl: a push signed with the
// common layer's Signer passes the WebhookVerifier once and is refused as a replay after, a
// wrong secret is refused, and the push's body parses into a CallEvent. tests/consumer/run.sh
// checks that libcurl is in neither its link line nor its loaded libraries.

#include <privacycall/signature.hpp>
#include <privacycall/webhook/parse.hpp>
#include <privacycall/webhook/verifier.hpp>

#include <chrono>
#include <string>
#include <variant>

#include "expect.hpp"

namespace {

const char* const kAppKey = "consumer-app";
const char* const kAppSecret = "Dx8UiBwk0yy8IkvK29wd8zbTD2pd";

}  // namespace

int main() {
  namespace webhook = privacycall::webhook;
  using privacycall::VerifyFailure;

  // The platform's side: headers for a fixed nonce and Created.
  const std::string created = "2018-05-26T00:35:30Z";
  const auto at = privacycall::parse_created(created).value();
  const privacycall::Signer platform(kAppKey, kAppSecret);
  const auto signed_headers = platform.sign("ac1c911c4792492687f8f6b2264a491e", created);
  const webhook::HeaderMap headers{{"Authorization", signed_headers.authorization},
                                   {"x-aksk", signed_headers.token_value}};

  // The receiver's side, 30 s later.
  webhook::VerifierOptions options;
  options.clock = [at] { return at + std::chrono::seconds(30); };
  webhook::WebhookVerifier verifier(options);
  verifier.add_app(kAppKey, kAppSecret);
  const auto accepted = verifier.verify(headers);
  EXPECT(accepted.ok && accepted.app_key == kAppKey);
  const auto replayed = verifier.verify(headers);
  EXPECT(!replayed.ok && replayed.failure == VerifyFailure::kReplayed);

  webhook::WebhookVerifier other_secret(options);
  other_secret.add_app(kAppKey, "another-secret");
  const auto forged = other_secret.verify(headers);
  EXPECT(!forged.ok && forged.failure == VerifyFailure::kBadDigest && forged.http_status == 401);

  const auto parsed = webhook::parse_notification(
      R"({"eventType":"disconnect","statusInfo":{"sessionId":"s-1","caller":"+8613800000021","stateCode":0}})");
  EXPECT(parsed.ok());
  if (!parsed) return consumer::result("webhook_consumer");
  const auto* event = std::get_if<webhook::CallEvent>(&*parsed);
  EXPECT(event != nullptr && event->event_type == webhook::CallEventType::kDisconnect &&
         event->session_id == "s-1" && event->state_code == webhook::HangupCause(0));
  const auto broken = webhook::parse_notification(R"({"eventType":"disconnect")");
  EXPECT(!broken && broken.error().category == privacycall::ErrorCategory::kDecode);

  return consumer::result("webhook_consumer");
}
