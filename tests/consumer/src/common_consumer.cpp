// Consumer of privacycall::common alone: signing with a fixed nonce and time, verification and
// phone numbers.

#include <privacycall/phone_number.hpp>
#include <privacycall/signature.hpp>

#include <chrono>
#include <string>

#include "expect.hpp"

int main() {
  using privacycall::SignatureScheme;
  // The documented AKSK example: digest = Base64(HMAC-SHA256(secret, nonce + created)).
  const std::string created = "2018-05-26T00:35:30Z";
  const auto at = privacycall::parse_created(created).value();
  const privacycall::Signer signer(
      "consumer-app", "Dx8UiBwk0yy8IkvK29wd8zbTD2pd", SignatureScheme::kAksk, [at] { return at; },
      [] { return std::string("ac1c911c4792492687f8f6b2264a491e"); });
  const auto headers = signer.sign();
  EXPECT(headers.token_header == "X-AKSK");
  EXPECT(headers.token_value ==
         "UsernameToken Username=\"consumer-app\",PasswordDigest=\"qm7ZsNBFuHaa9QUdYtMjh4mlTqMDcbe5oET+fqQ4N7o=\","
         "Nonce=\"ac1c911c4792492687f8f6b2264a491e\",Created=\"2018-05-26T00:35:30Z\"");

  const auto lookup = [&signer](std::string_view username) {
    return username == "consumer-app" ? &signer : nullptr;
  };
  const auto accepted = privacycall::verify_signature(SignatureScheme::kAksk,
                                                      {headers.authorization, headers.token_value},
                                                      lookup, at, std::chrono::minutes(5));
  EXPECT(accepted.ok);
  const auto stale = privacycall::verify_signature(SignatureScheme::kAksk,
                                                   {headers.authorization, headers.token_value}, lookup,
                                                   at + std::chrono::hours(1), std::chrono::minutes(5));
  EXPECT(!stale.ok && stale.failure == privacycall::VerifyFailure::kStale);

  EXPECT(privacycall::PhoneNumber("+8613800000021").masked() == "+86138****0021");
  const auto bad_number = privacycall::PhoneNumber::parse("13800000021");
  EXPECT(!bad_number && bad_number.error().category == privacycall::ErrorCategory::kValidation);

  return consumer::result("common_consumer");
}
