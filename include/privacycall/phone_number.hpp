#ifndef PRIVACYCALL_PHONE_NUMBER_HPP
#define PRIVACYCALL_PHONE_NUMBER_HPP

/// @file
/// PhoneNumber: a number in global (E.164-style) format, validated on construction.

#include <privacycall/abi.hpp>
#include <privacycall/result.hpp>

#include <string>
#include <string_view>

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// A phone number in the global format the platform requires: `+`, country code, then the
/// national number (mobile `+8613800000021`, fixed line `+8675528000001` without the trunk 0).
/// Once constructed it is valid, so requests holding one can never send a malformed number.
class PhoneNumber {
 public:
  /// Validates `text` ('+' then 5 to 30 digits, the first not 0); a validation Error otherwise.
  /// The error message masks the input.
  static Result<PhoneNumber> parse(std::string_view text);

  /// Same as parse(text).value(): throws privacycall::Exception on malformed input.
  explicit PhoneNumber(std::string_view text);

  /// The number exactly as the platform expects it, e.g. "+8613800000021".
  const std::string& str() const noexcept { return digits_; }

  /// The number with its middle hidden, e.g. "+86138****0021"; safe for logs.
  std::string masked() const { return mask_phone_number(digits_); }

  friend bool operator==(const PhoneNumber& a, const PhoneNumber& b) { return a.digits_ == b.digits_; }
  friend bool operator!=(const PhoneNumber& a, const PhoneNumber& b) { return !(a == b); }
  friend bool operator<(const PhoneNumber& a, const PhoneNumber& b) { return a.digits_ < b.digits_; }

  /// Masks any text that may hold a phone number: keeps the first six characters (country code
  /// and prefix) and the last four, replacing the rest with "****". Short inputs keep less.
  static std::string mask_phone_number(std::string_view text);

 private:
  struct Validated {};
  PhoneNumber(Validated, std::string digits) : digits_(std::move(digits)) {}
  std::string digits_;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_PHONE_NUMBER_HPP
