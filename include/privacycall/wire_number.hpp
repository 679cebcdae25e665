#ifndef PRIVACYCALL_WIRE_NUMBER_HPP
#define PRIVACYCALL_WIRE_NUMBER_HPP

/// @file
/// WireNumber: a phone number as the platform sent it in an answer or a notification.

#include <privacycall/abi.hpp>
#include <privacycall/phone_number.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// A number the platform returned in global format: the text exactly as received, and the
/// PhoneNumber when that text is one. The platform's own examples mask digits with `*`, and a
/// receiver must not lose a whole answer or push over one odd number, so an unreadable number
/// keeps its text and has no phone().
class WireNumber {
 public:
  /// No number: raw() is empty (a field the platform did not send).
  WireNumber() = default;

  /// The number @p text as received; phone() is set when it is in global format.
  explicit WireNumber(std::string text) : raw_(std::move(text)) {
    if (auto parsed = PhoneNumber::parse(raw_)) phone_ = std::move(*parsed);
  }

  /// A number known to be valid, e.g. one the simulator or a test hands out.
  explicit WireNumber(const PhoneNumber& number) : raw_(number.str()), phone_(number) {}

  /// The text exactly as the platform sent it; empty when it sent none.
  const std::string& raw() const noexcept { return raw_; }
  /// The number, when raw() is in global format.
  const std::optional<PhoneNumber>& phone() const noexcept { return phone_; }
  /// True when raw() is empty.
  bool empty() const noexcept { return raw_.empty(); }
  /// raw() with its middle hidden, safe for logs.
  std::string masked() const { return PhoneNumber::mask_phone_number(raw_); }

  /// Same text as received.
  friend bool operator==(const WireNumber& a, const WireNumber& b) { return a.raw_ == b.raw_; }
  friend bool operator!=(const WireNumber& a, const WireNumber& b) { return !(a == b); }
  /// True when @p a holds exactly the number @p b.
  friend bool operator==(const WireNumber& a, const PhoneNumber& b) { return a.raw_ == b.str(); }
  friend bool operator==(const PhoneNumber& a, const WireNumber& b) { return b == a; }
  friend bool operator!=(const WireNumber& a, const PhoneNumber& b) { return !(a == b); }
  friend bool operator!=(const PhoneNumber& a, const WireNumber& b) { return !(b == a); }
  /// True when @p a was received as exactly the text @p b.
  friend bool operator==(const WireNumber& a, std::string_view b) { return a.raw_ == b; }
  friend bool operator==(std::string_view a, const WireNumber& b) { return b == a; }
  friend bool operator!=(const WireNumber& a, std::string_view b) { return !(a == b); }
  friend bool operator!=(std::string_view a, const WireNumber& b) { return !(b == a); }

 private:
  std::string raw_;
  std::optional<PhoneNumber> phone_;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_WIRE_NUMBER_HPP
