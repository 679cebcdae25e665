#ifndef PRIVACYCALL_SRC_COMMON_TEXT_HPP
#define PRIVACYCALL_SRC_COMMON_TEXT_HPP

// ASCII helpers for header names, header attributes and enumerated wire values, and the
// UTF-8 rules JSON text must follow, shared by the signer, the transport, the request
// validators and the webhook receiver.

#include <cstddef>
#include <optional>
#include <string_view>

namespace privacycall::internal {

/// ASCII case-insensitive equality (header names, "Block" vs "block").
inline bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

/// `text` without leading and trailing spaces and tabs.
inline std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

/// The size of the well-formed UTF-8 sequence of two to four bytes at the start of `text` (no
/// overlongs, surrogates or code points beyond U+10FFFF, as nlohmann checks them); 0 when
/// there is none.
inline std::size_t utf8_sequence_size(std::string_view text) noexcept {
  if (text.empty()) return 0;
  const auto lead = static_cast<unsigned char>(text[0]);
  std::size_t continuation_bytes = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    continuation_bytes = 1;
  } else if (lead == 0xE0) {
    continuation_bytes = 2;
    low = 0xA0;
  } else if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF) {
    continuation_bytes = 2;
  } else if (lead == 0xED) {
    continuation_bytes = 2;
    high = 0x9F;
  } else if (lead == 0xF0) {
    continuation_bytes = 3;
    low = 0x90;
  } else if (lead >= 0xF1 && lead <= 0xF3) {
    continuation_bytes = 3;
  } else if (lead == 0xF4) {
    continuation_bytes = 3;
    high = 0x8F;
  } else {
    return 0;
  }
  if (text.size() <= continuation_bytes) return 0;
  for (std::size_t i = 1; i <= continuation_bytes; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < low || byte > high) return 0;
    low = 0x80;
    high = 0xBF;
  }
  return continuation_bytes + 1;
}

/// The number of characters (code points) in `text`; nullopt when it is not well-formed UTF-8,
/// which JSON cannot carry.
inline std::optional<std::size_t> utf8_length(std::string_view text) noexcept {
  std::size_t characters = 0;
  for (std::size_t i = 0; i < text.size(); ++characters) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t size = utf8_sequence_size(text.substr(i));
    if (size == 0) return std::nullopt;
    i += size;
  }
  return characters;
}

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_SRC_COMMON_TEXT_HPP
