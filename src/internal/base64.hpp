#ifndef PRIVACYCALL_INTERNAL_BASE64_HPP
#define PRIVACYCALL_INTERNAL_BASE64_HPP

#include <cstddef>
#include <string>

namespace privacycall::internal {

/// Standard Base64 (RFC 4648 alphabet, '=' padding).
inline std::string base64_encode(const unsigned char* data, std::size_t size) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((size + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < size; i += 3) {
    const unsigned triple = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    out += kAlphabet[(triple >> 18) & 63];
    out += kAlphabet[(triple >> 12) & 63];
    out += kAlphabet[(triple >> 6) & 63];
    out += kAlphabet[triple & 63];
  }
  if (i < size) {
    const unsigned rest = (data[i] << 16) | (i + 1 < size ? data[i + 1] << 8 : 0);
    out += kAlphabet[(rest >> 18) & 63];
    out += kAlphabet[(rest >> 12) & 63];
    out += i + 1 < size ? kAlphabet[(rest >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_INTERNAL_BASE64_HPP
