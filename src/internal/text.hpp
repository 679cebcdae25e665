#ifndef PRIVACYCALL_INTERNAL_TEXT_HPP
#define PRIVACYCALL_INTERNAL_TEXT_HPP

// ASCII helpers for header names, header attributes and enumerated wire values, shared by
// the signer, the transport and the webhook receiver.

#include <cstddef>
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

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_INTERNAL_TEXT_HPP
