// libFuzzer target: the X-AKSK / X-WSSE header parser and the whole verification path.
#include <privacycall/signature.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // First line: Authorization; the rest: the token header.
  const std::size_t newline = input.find('\n');
  const std::string_view authorization = input.substr(0, newline);
  const std::string_view token = newline == std::string_view::npos ? input : input.substr(newline + 1);

  auto parsed = privacycall::parse_username_token(token);
  if (parsed.ok()) {
    // Formatting what we parsed must parse back to the same fields.
    auto again = privacycall::parse_username_token(privacycall::format_username_token(*parsed));
    if (!again.ok() || again->nonce != parsed->nonce || again->created != parsed->created) __builtin_trap();
  }
  (void)privacycall::parse_created(token);
  static const privacycall::Signer signer("fuzz-app", "fuzz-secret");
  for (auto scheme : {privacycall::SignatureScheme::kAksk, privacycall::SignatureScheme::kWsse}) {
    const auto outcome = privacycall::verify_signature(
        scheme, {authorization, token}, [](std::string_view) { return &signer; },
        std::chrono::system_clock::now(), std::chrono::seconds(300));
    if (outcome.ok && outcome.token.username.empty()) __builtin_trap();
  }
  return 0;
}
