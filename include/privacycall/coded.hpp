#ifndef PRIVACYCALL_CODED_HPP
#define PRIVACYCALL_CODED_HPP

/// @file
/// Coded<Enum>: a coded field of a platform answer or notification, decoded to an enum without
/// losing the value the platform sent. The platform adds codes over time; an answer carrying
/// one this SDK does not know must still decode, and the new code must stay readable.

#include <privacycall/abi.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// A code as the platform sent it (raw()) with its meaning (value()): Enum::kUnknown for a code
/// this SDK does not know. Text codes match ignoring ASCII case and surrounding spaces (the
/// docs' examples are not consistent about either); raw() keeps the text exactly as received.
///
/// An enum becomes codable by declaring, in its own namespace, `wire_codes(Enum)` returning a
/// a std::array of `std::pair<Enum, int>` (integer codes) or
/// `std::pair<Enum, std::string_view>` (text codes), one entry per known value. The enum must
/// have a `kUnknown` member, which has no entry.
template <typename Enum>
class Coded {
  using Entry = typename decltype(wire_codes(Enum{}))::value_type;
  using CodeView = typename Entry::second_type;

 public:
  /// int for integer codes, std::string for text codes.
  using Raw = std::conditional_t<std::is_same_v<CodeView, std::string_view>, std::string, CodeView>;

  /// A known value with its wire code as raw(). Coded(Enum::kUnknown) holds an empty raw()
  /// (0 or ""): build a code the SDK does not know with from_raw().
  Coded(Enum value) : value_(value), raw_(code_of(value)) {}  // NOLINT: implicit by design

  /// The code @p raw as received: its value, or Enum::kUnknown when the table does not list it.
  static Coded from_raw(Raw raw) {
    Coded coded(Enum::kUnknown);
    coded.value_ = value_of(raw);
    coded.raw_ = std::move(raw);
    return coded;
  }

  /// The meaning of raw(); Enum::kUnknown for a code this SDK does not know.
  Enum value() const noexcept { return value_; }
  /// The code exactly as the platform sent it.
  const Raw& raw() const noexcept { return raw_; }
  /// False when value() is Enum::kUnknown.
  bool known() const noexcept { return value_ != Enum::kUnknown; }

  /// Same value and same raw code.
  friend bool operator==(const Coded& a, const Coded& b) { return a.value_ == b.value_ && a.raw_ == b.raw_; }
  friend bool operator!=(const Coded& a, const Coded& b) { return !(a == b); }
  /// Compares the meaning only: every unknown code equals Enum::kUnknown.
  friend bool operator==(const Coded& a, Enum b) { return a.value_ == b; }
  friend bool operator==(Enum a, const Coded& b) { return a == b.value_; }
  friend bool operator!=(const Coded& a, Enum b) { return a.value_ != b; }
  friend bool operator!=(Enum a, const Coded& b) { return a != b.value_; }

 private:
  static Raw code_of(Enum value) {
    for (const auto& entry : wire_codes(Enum{})) {
      if (entry.first == value) return Raw(entry.second);
    }
    return Raw();
  }

  static Enum value_of(const Raw& raw) {
    for (const auto& entry : wire_codes(Enum{})) {
      if (same_code(raw, entry.second)) return entry.first;
    }
    return Enum::kUnknown;
  }

  static bool same_code(int raw, int code) { return raw == code; }

  static bool same_code(std::string_view raw, std::string_view code) {
    const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!raw.empty() && is_space(raw.front())) raw.remove_prefix(1);
    while (!raw.empty() && is_space(raw.back())) raw.remove_suffix(1);
    if (raw.size() != code.size()) return false;
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (lower(raw[i]) != lower(code[i])) return false;
    }
    return true;
  }

  Enum value_;
  Raw raw_;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_CODED_HPP
