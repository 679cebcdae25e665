#ifndef PRIVACYCALL_SRC_COMMON_SHA256_HPP
#define PRIVACYCALL_SRC_COMMON_SHA256_HPP

// SHA-256 and HMAC-SHA256 through OpenSSL's EVP interface, the one OpenSSL 3 keeps (the
// low-level SHA256_* and HMAC_* calls are deprecated there).

#include <array>
#include <initializer_list>
#include <memory>
#include <string_view>

#include "common/internal_export.hpp"

namespace privacycall::internal {

using Sha256Digest = std::array<unsigned char, 32>;

/// SHA-256 of the parts, as if they were one text.
PRIVACYCALL_INTERNAL_EXPORT Sha256Digest sha256(std::initializer_list<std::string_view> parts);

/// HMAC-SHA256 of the parts, as if they were one message, under a key used only this once.
PRIVACYCALL_INTERNAL_EXPORT Sha256Digest hmac_sha256(std::string_view key, std::string_view part1, std::string_view part2);

/// An HMAC-SHA256 key, prepared once: the key schedule (the hash states after key^ipad and
/// key^opad) is computed here, and every mac() starts from it. Copyable; mac() may be called
/// from several threads at once.
class PRIVACYCALL_INTERNAL_EXPORT HmacSha256Key {
 public:
  explicit HmacSha256Key(std::string_view key);
  ~HmacSha256Key();
  HmacSha256Key(const HmacSha256Key& other);
  HmacSha256Key& operator=(const HmacSha256Key& other);
  HmacSha256Key(HmacSha256Key&&) noexcept;
  HmacSha256Key& operator=(HmacSha256Key&&) noexcept;

  /// HMAC-SHA256 of the parts, as if they were one message.
  Sha256Digest mac(std::string_view part1, std::string_view part2) const;

 private:
  struct Keyed;  // the OpenSSL context holding the key schedule, and contexts to reuse
  std::unique_ptr<Keyed> keyed_;
};

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_SRC_COMMON_SHA256_HPP
