#include "common/base64.hpp"

#include <openssl/evp.h>

#include <climits>
#include <stdexcept>

namespace privacycall::internal {

std::string base64_encode(const unsigned char* data, std::size_t size) {
  if (size > static_cast<std::size_t>(INT_MAX) / 4 * 3) throw std::length_error("base64_encode: input too large");
  // Sized once (with room for the NUL that EVP_EncodeBlock writes after the text) and written
  // in place; EVP_EncodeBlock adds no line breaks.
  std::string out((size + 2) / 3 * 4 + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

}  // namespace privacycall::internal
