#ifndef PRIVACYCALL_SRC_COMMON_BASE64_HPP
#define PRIVACYCALL_SRC_COMMON_BASE64_HPP

#include <cstddef>
#include <string>

namespace privacycall::internal {

/// Standard Base64 (RFC 4648 alphabet, '=' padding).
inline std::string base64_encode(const unsigned char* data, std::size_t size) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  // Sized once and written through a pointer: appending char by char cost twice the time of
  // the rest of a signature's encoding.
  std::string out((size + 2) / 3 * 4, '=');
  char* to = out.data();
  std::size_t i = 0;
  for (; i + 2 < size; i += 3) {
    const unsigned triple = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    *to++ = kAlphabet[(triple >> 18) & 63];
    *to++ = kAlphabet[(triple >> 12) & 63];
    *to++ = kAlphabet[(triple >> 6) & 63];
    *to++ = kAlphabet[triple & 63];
  }
  if (i < size) {
    const unsigned rest = (data[i] << 16) | (i + 1 < size ? data[i + 1] << 8 : 0);
    *to++ = kAlphabet[(rest >> 18) & 63];
    *to++ = kAlphabet[(rest >> 12) & 63];
    if (i + 1 < size) *to = kAlphabet[(rest >> 6) & 63];  // else the '=' stays
  }
  return out;
}

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_SRC_COMMON_BASE64_HPP
