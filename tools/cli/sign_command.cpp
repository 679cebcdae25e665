// privacycall sign: the two signature headers for the connection's credentials, to compare
// with what one's own code sends.

#include <privacycall/signature.hpp>

#include <ostream>

#include "command.hpp"

namespace privacycall::cli {
namespace {

int sign(CommandContext& c) {
  const auto scheme_name = c.args.take_choice("scheme");
  const auto nonce = c.args.take("nonce");
  const auto created = c.args.take("created");
  c.args.finish();
  if (c.connection.app_key.empty()) throw UsageError("no app key: give --app-key or set PRIVACYCALL_APP_KEY");
  if (c.connection.app_secret.empty()) {
    throw UsageError("no app secret: set PRIVACYCALL_APP_SECRET (or give --app-secret)");
  }
  const SignatureScheme scheme = scheme_name ? (*scheme_name == "wsse" ? SignatureScheme::kWsse : SignatureScheme::kAksk)
                                             : c.connection.signature_scheme;
  const Signer signer(c.connection.app_key, c.connection.app_secret, scheme);
  SignedHeaders headers = signer.sign();
  if (nonce || created) {
    const auto fresh = parse_username_token(headers.token_value).value();
    headers = signer.sign(nonce.value_or(fresh.nonce), created.value_or(fresh.created));
  }
  const auto token = parse_username_token(headers.token_value);
  if (!token) throw UsageError("--nonce: " + token.error().message);
  if (created) {
    // Printed anyway, so that a refused value can be reproduced; but said.
    if (auto parsed = parse_created(*created); !parsed) {
      c.err << "privacycall sign: note: the platform would refuse this Created: " << parsed.error().message
            << std::endl;
    }
  }
  c.out << "Authorization: " << headers.authorization << "\n"
        << headers.token_header << ": " << headers.token_value << std::endl;
  return kExitOk;
}

}  // namespace

std::vector<Command> sign_commands() {
  return {{"sign", "",
           "print the Authorization and X-AKSK (or X-WSSE) headers for the connection's app key and secret",
           {choice("scheme", "", {"aksk", "wsse"}, "signature scheme; default: --signature-scheme (aksk)"),
            text("nonce", "Nonce", "the nonce to sign (1-128 of [0-9A-Za-z_-]); default: a random one"),
            text("created", "Created", "the time to sign, as sent (yyyy-MM-ddTHH:mm:ssZ); default: now")},
           sign}};
}

}  // namespace privacycall::cli
