#include <privacycall/phone_number.hpp>

#include <algorithm>

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN
namespace {

constexpr std::size_t kMinDigits = 5;   // shortest national numbers plus a country code
constexpr std::size_t kMaxDigits = 30;  // the platform accepts String(4-31) including '+'

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

Result<PhoneNumber> PhoneNumber::parse(std::string_view text) {
  const auto refuse = [&](std::string why) {
    Error error;
    error.category = ErrorCategory::kValidation;
    error.message = "phone number \"" + mask_phone_number(text) + "\" is not in global format (" +
                    why + "); expected '+', country code and national number, digits only";
    return Result<PhoneNumber>(std::move(error));
  };
  if (text.empty() || text.front() != '+') return refuse("must start with '+'");
  const std::string_view digits = text.substr(1);
  if (digits.size() < kMinDigits || digits.size() > kMaxDigits) return refuse("wrong length");
  for (char c : digits) {
    if (!is_digit(c)) return refuse("only digits may follow '+'");
  }
  if (digits.front() == '0') return refuse("country code cannot start with 0");
  // China's fixed lines are written +86 and the area code without its trunk 0 (+86755...,
  // not +860755...); the platform refuses the latter, so it is refused here before sending.
  if (digits.size() > 2 && digits.substr(0, 3) == "860") return refuse("no trunk 0 after +86");
  return PhoneNumber(Validated{}, std::string(text));
}

PhoneNumber::PhoneNumber(std::string_view text) : PhoneNumber(parse(text).value()) {}

std::string PhoneNumber::mask_phone_number(std::string_view text) {
  constexpr std::size_t kMaxHead = 6;  // "+86138": country code and operator prefix
  constexpr std::size_t kTail = 4;
  constexpr std::size_t kMinHidden = 4;
  if (text.size() >= 1 + kTail + kMinHidden) {
    // A shorter number keeps less of its head, so that at least four digits stay hidden.
    const std::size_t head = std::min(kMaxHead, text.size() - kTail - kMinHidden);
    return std::string(text.substr(0, head)) + "****" + std::string(text.substr(text.size() - kTail));
  }
  // Too short to keep both ends without revealing most of it: keep only the last two.
  if (text.size() > 4) return "****" + std::string(text.substr(text.size() - 2));
  return "****";
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall
