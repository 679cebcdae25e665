#ifndef PRIVACYCALL_TESTS_SUPPORT_SIGNATURE_VARIANTS_HPP
#define PRIVACYCALL_TESTS_SUPPORT_SIGNATURE_VARIANTS_HPP

// The signature headers as other clients write them, for tests of every variant the SDK
// accepts (docs/security.md): both schemes, `type=` or `dsl=`, any case of Appkey, "," or
// ", " between attributes, header names in any case, nonces of 8 to 128 characters of
// [0-9A-Za-z_-], Created with or without fractional seconds. The digest is computed from the
// documented formulas (compute_password_digest), not by a Signer.

#include <privacycall/signature.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace signature_variants {

struct Variant {
  std::string name;  ///< for test output
  privacycall::SignatureScheme scheme = privacycall::SignatureScheme::kAksk;
  std::string type_key = "type";    ///< "type", or "dsl" (Huawei's Java demo)
  std::string appkey = "Appkey";    ///< the value of type/dsl, in the case the client wrote
  std::string separator = ",";      ///< between attributes: "," or ", "
  std::size_t nonce_length = 32;    ///< 8..128
  bool nonce_dashes = false;        ///< put '-' and '_' into the nonce (UUIDs, URL-safe Base64)
  std::string fraction;             ///< "" or e.g. ".123": fractional seconds of Created
  bool lower_case_names = false;    ///< "authorization" / "x-aksk" instead of canonical case
};

/// Every variant the receiver and the simulator must accept.
inline std::vector<Variant> all() {
  using privacycall::SignatureScheme;
  std::vector<Variant> v;
  const auto add = [&v](std::string name, SignatureScheme scheme) -> Variant& {
    v.emplace_back();
    v.back().name = std::move(name);
    v.back().scheme = scheme;
    return v.back();
  };
  add("AKSK as documented", SignatureScheme::kAksk);
  Variant& spaced = add("AKSK, comma-space, lower-case names", SignatureScheme::kAksk);
  spaced.separator = ", ";
  spaced.lower_case_names = true;
  Variant& dsl = add("AKSK, dsl=AppKey", SignatureScheme::kAksk);
  dsl.type_key = "dsl";
  dsl.appkey = "AppKey";
  Variant& shortest = add("AKSK, type=appkey, 8-char nonce", SignatureScheme::kAksk);
  shortest.appkey = "appkey";
  shortest.nonce_length = 8;
  Variant& longest = add("AKSK, 128-char nonce with - and _", SignatureScheme::kAksk);
  longest.nonce_length = 128;
  longest.nonce_dashes = true;
  add("AKSK, Created with milliseconds", SignatureScheme::kAksk).fraction = ".123";
  add("WSSE as documented", SignatureScheme::kWsse);
  Variant& java = add("WSSE, Huawei Java demo (dsl=, comma-space, UUID nonce)", SignatureScheme::kWsse);
  java.type_key = "dsl";
  java.separator = ", ";
  java.nonce_length = 36;
  java.nonce_dashes = true;
  add("WSSE, PHP client (13-char uniqid nonce)", SignatureScheme::kWsse).nonce_length = 13;
  Variant& micro = add("WSSE, type=APPKEY, Created with microseconds, lower-case names", SignatureScheme::kWsse);
  micro.appkey = "APPKEY";
  micro.nonce_length = 20;
  micro.fraction = ".123456";
  micro.lower_case_names = true;
  return v;
}

/// A nonce of `variant`'s shape, unique in this process.
inline std::string nonce_for(const Variant& variant) {
  std::string nonce;
  while (nonce.size() < variant.nonce_length) nonce += privacycall::random_nonce();
  nonce.resize(variant.nonce_length);
  if (variant.nonce_dashes) {
    // Where a UUID has its dashes (8-4-4-4-12), and an underscore past them.
    for (std::size_t at : {8u, 13u, 18u, 23u}) {
      if (at < nonce.size()) nonce[at] = '-';
    }
    if (nonce.size() > 30) nonce[30] = '_';
  }
  return nonce;
}

/// The two headers, named as `variant` names them.
struct Headers {
  std::string authorization_name;
  std::string authorization;
  std::string token_name;
  std::string token;
};

inline Headers sign(const Variant& variant, const std::string& app_key, const std::string& secret,
                    std::chrono::system_clock::time_point now, const std::string& nonce) {
  std::string created = privacycall::format_created(now);
  created.insert(created.size() - 1, variant.fraction);  // before the Z
  const std::string digest = privacycall::compute_password_digest(variant.scheme, secret, nonce, created);
  const bool aksk = variant.scheme == privacycall::SignatureScheme::kAksk;
  const std::string& sep = variant.separator;
  Headers h;
  h.authorization_name = variant.lower_case_names ? "authorization" : "Authorization";
  h.authorization = std::string(aksk ? "AKSK" : "WSSE") + R"( realm="SDP")" + sep +
                    R"(profile="UsernameToken")" + sep + variant.type_key + "=\"" + variant.appkey + "\"";
  h.token_name = aksk ? (variant.lower_case_names ? "x-aksk" : "X-AKSK")
                      : (variant.lower_case_names ? "x-wsse" : "X-WSSE");
  h.token = R"(UsernameToken Username=")" + app_key + "\"" + sep + R"(PasswordDigest=")" + digest + "\"" +
            sep + R"(Nonce=")" + nonce + "\"" + sep + R"(Created=")" + created + "\"";
  return h;
}

inline Headers sign(const Variant& variant, const std::string& app_key, const std::string& secret,
                    std::chrono::system_clock::time_point now) {
  return sign(variant, app_key, secret, now, nonce_for(variant));
}

}  // namespace signature_variants

#endif  // PRIVACYCALL_TESTS_SUPPORT_SIGNATURE_VARIANTS_HPP
