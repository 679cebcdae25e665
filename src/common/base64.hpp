#ifndef PRIVACYCALL_SRC_COMMON_BASE64_HPP
#define PRIVACYCALL_SRC_COMMON_BASE64_HPP

#include <cstddef>
#include <string>

#include "common/internal_export.hpp"

namespace privacycall::internal {

/// Standard Base64 (RFC 4648 alphabet, '=' padding), through OpenSSL's EVP_EncodeBlock.
PRIVACYCALL_INTERNAL_EXPORT std::string base64_encode(const unsigned char* data, std::size_t size);

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_SRC_COMMON_BASE64_HPP
