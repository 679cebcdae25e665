#include "client/query.hpp"

namespace privacycall::internal {

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string Query::encode_impl(bool mask) const {
  std::string out;
  for (const Param& p : params_) {
    if (!out.empty()) out += '&';
    out += percent_encode(p.name);
    out += '=';
    if (mask && p.is_phone_number) {
      // Keep the mask's asterisks readable: "%2B86138****0021" rather than "%2A%2A%2A%2A".
      std::string masked = percent_encode(PhoneNumber::mask_phone_number(p.value));
      for (std::size_t at; (at = masked.find("%2A")) != std::string::npos;) masked.replace(at, 3, "*");
      out += masked;
    } else {
      out += percent_encode(p.value);
    }
  }
  return out;
}

}  // namespace privacycall::internal
