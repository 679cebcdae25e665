#ifndef PRIVACYCALL_TESTS_SUPPORT_WEBHOOK_TEST_SUPPORT_HPP
#define PRIVACYCALL_TESTS_SUPPORT_WEBHOOK_TEST_SUPPORT_HPP

// Helpers shared by the webhook tests: fixture files and requests signed the way the platform
// signs its pushes (the app's own key, X-AKSK UsernameToken).

#include <privacycall/signature.hpp>
#include <privacycall/webhook/http_message.hpp>
#include <privacycall/webhook/verifier.hpp>

#include <atomic>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

namespace webhook_test {

inline constexpr const char* kAppKey = "app-key-1";
inline constexpr const char* kAppSecret = "app-secret-1";

/// The platform's side of the test app: signs pushes with kAppKey and kAppSecret.
inline const privacycall::Signer& platform() {
  static const privacycall::Signer signer(kAppKey, kAppSecret);
  return signer;
}

/// A verifier of the test app's pushes (kAppKey, kAppSecret), with default options.
inline std::shared_ptr<privacycall::webhook::WebhookVerifier> verifier() {
  auto verifier = std::make_shared<privacycall::webhook::WebhookVerifier>();
  verifier->add_app(kAppKey, kAppSecret);
  return verifier;
}

/// Text of tests/data/spec_examples/notifications/<name>.
inline std::string notification_example(const std::string& name) {
  std::ifstream in(std::string(PRIVACYCALL_TEST_DATA_DIR) + "/spec_examples/notifications/" + name,
                   std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// A nonce never used before in this process (nonces must be unique or the verifier refuses
/// the request as a replay).
inline std::string unique_nonce() {
  static std::atomic<unsigned long long> counter{0};
  return "n" + std::to_string(counter.fetch_add(1)) + privacycall::random_nonce();
}

/// Headers the platform sends with a push, signed by `signer` now.
inline privacycall::webhook::HeaderMap signed_headers(const privacycall::Signer& signer) {
  const privacycall::SignedHeaders signed_headers =
      signer.sign(unique_nonce(), privacycall::format_created(std::chrono::system_clock::now()));
  privacycall::webhook::HeaderMap headers;
  // Lower case, as in the platform's documented examples.
  headers.add("content-type", "application/json;charset=UTF-8");
  headers.add("authorization", signed_headers.authorization);
  headers.add(signed_headers.token_header == "X-AKSK" ? "x-aksk" : "x-wsse",
              signed_headers.token_value);
  return headers;
}

/// A POST of `body` to `path`, freshly signed.
inline privacycall::webhook::WebhookRequest signed_request(const privacycall::Signer& signer,
                                                           std::string body,
                                                           std::string path = "/status") {
  privacycall::webhook::WebhookRequest request;
  request.method = "POST";
  request.path = std::move(path);
  request.headers = signed_headers(signer);
  request.body = std::move(body);
  return request;
}

}  // namespace webhook_test

#endif  // PRIVACYCALL_TESTS_SUPPORT_WEBHOOK_TEST_SUPPORT_HPP
