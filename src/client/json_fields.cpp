#include "client/json_fields.hpp"

#include <charconv>

namespace privacycall::internal {

using webhook::internal::JsonNumber;

std::optional<long long> read_int(JsonValue object, std::string_view key) {
  const auto value = object.find(key);
  if (!value) return std::nullopt;
  if (value->kind() == JsonKind::kNumber) {
    const JsonNumber number = webhook::internal::number_value(value->text());
    switch (number.type) {
      case JsonNumber::Type::kSigned: return number.signed_value;
      case JsonNumber::Type::kUnsigned:
        // Beyond long long no count or duration is meant: it reads as absent.
        if (number.unsigned_value > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
        return static_cast<long long>(number.unsigned_value);
      case JsonNumber::Type::kFloat:
        // Converting a double outside long long's range is undefined: such a value is no
        // usable integer, so it reads as absent. A fraction is cut off.
        if (!(number.float_value >= -9.0e18 && number.float_value <= 9.0e18)) return std::nullopt;
        return static_cast<long long>(number.float_value);
    }
  }
  if (value->kind() == JsonKind::kString) {
    // Digits with an optional minus, nothing else: "12 " or "+12" are not what was documented.
    const std::string_view text = value->text();
    const std::size_t first_digit = !text.empty() && text[0] == '-' ? 1 : 0;
    if (text.size() == first_digit || text.size() > 18) return std::nullopt;
    for (std::size_t i = first_digit; i < text.size(); ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
    }
    long long result = 0;
    std::from_chars(text.data(), text.data() + text.size(), result);
    return result;
  }
  return std::nullopt;
}

std::optional<bool> read_flag(JsonValue object, std::string_view key) {
  const auto value = object.find(key);
  if (!value) return std::nullopt;
  switch (value->kind()) {
    case JsonKind::kBoolean: return value->boolean();
    case JsonKind::kNumber: {
      const JsonNumber number = webhook::internal::number_value(value->text());
      if (number.type == JsonNumber::Type::kSigned) return number.signed_value != 0;
      if (number.type == JsonNumber::Type::kUnsigned) return number.unsigned_value != 0;
      return std::nullopt;
    }
    case JsonKind::kString: {
      const std::string_view text = value->text();
      if (text == "true" || text == "1") return true;
      if (text == "false" || text == "0") return false;
      return std::nullopt;
    }
    default: return std::nullopt;
  }
}

}  // namespace privacycall::internal
