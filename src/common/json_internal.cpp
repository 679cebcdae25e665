#include "common/json_internal.hpp"

#include "common/text.hpp"
#include "common/make_error.hpp"

#include <charconv>
#include <cmath>
#include <limits>

namespace privacycall::webhook::internal {

Error decode_error(std::string message) {
  return privacycall::internal::make_error(ErrorCategory::kDecode, std::move(message));
}

std::optional<Error> parse_json(std::string_view body, std::size_t max_depth,
                                std::string_view what, JsonDocument& out) {
  // The reader refuses excess nesting before descending into it, so a hostile body never
  // recurses deep; no separate pass over the text is needed.
  if (const std::optional<std::size_t> offset = out.parse(body, max_depth)) {
    if (out.too_deep()) {
      return decode_error(std::string(what) + " nests deeper than " + std::to_string(max_depth) +
                          " levels");
    }
    // The offset only: the text near the error may be a phone number.
    return decode_error(std::string(what) + " is not valid JSON (syntax error near byte " +
                        std::to_string(*offset) + ")");
  }
  return std::nullopt;
}

ShapeError wrong_shape(std::string_view name, const char* expected, JsonValue value) {
  return ShapeError("member \"" + std::string(name) + "\" should be " + expected + ", not " +
                    value.type_name());
}

std::optional<std::string> as_text(JsonValue value, std::string_view name) {
  switch (value.kind()) {
    case JsonKind::kNull: return std::nullopt;
    case JsonKind::kString: return std::string(value.text());
    case JsonKind::kBoolean: return std::string(value.boolean() ? "true" : "false");
    case JsonKind::kNumber: {
      const JsonNumber number = number_value(value.text());
      if (number.type == JsonNumber::Type::kSigned) return std::to_string(number.signed_value);
      if (number.type == JsonNumber::Type::kUnsigned) return std::to_string(number.unsigned_value);
      const double v = number.float_value;
      // 5.0 sent for "5" should read "5", not "5.0".
      if (v == std::floor(v) && std::fabs(v) < 1e15) {
        return std::to_string(static_cast<long long>(v));
      }
      return nlohmann::json(v).dump();
    }
    case JsonKind::kArray:
    case JsonKind::kObject: break;
  }
  throw wrong_shape(name, "a string", value);
}

std::optional<int> as_int(JsonValue value, std::string_view name) {
  constexpr auto kMin = static_cast<long long>(std::numeric_limits<int>::min());
  constexpr auto kMax = static_cast<long long>(std::numeric_limits<int>::max());
  switch (value.kind()) {
    case JsonKind::kNull: return std::nullopt;
    case JsonKind::kBoolean: return value.boolean() ? 1 : 0;
    case JsonKind::kNumber: {
      const JsonNumber number = number_value(value.text());
      if (number.type == JsonNumber::Type::kSigned) {
        if (number.signed_value < kMin || number.signed_value > kMax) return std::nullopt;
        return static_cast<int>(number.signed_value);
      }
      if (number.type == JsonNumber::Type::kUnsigned) {
        if (number.unsigned_value > static_cast<unsigned long long>(kMax)) return std::nullopt;
        return static_cast<int>(number.unsigned_value);
      }
      const double v = number.float_value;
      if (v != std::floor(v) || v < kMin || v > kMax) return std::nullopt;
      return static_cast<int>(v);
    }
    case JsonKind::kString: {
      std::string_view text = privacycall::internal::trim(value.text());
      if (!text.empty() && text.front() == '+') text.remove_prefix(1);
      int result = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), result);
      if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
      return result;
    }
    case JsonKind::kArray:
    case JsonKind::kObject: break;
  }
  throw wrong_shape(name, "a number", value);
}

std::optional<std::string> get_text(JsonValue object, std::string_view key) {
  const std::optional<JsonValue> value = object.find(key);
  return value ? as_text(*value, key) : std::nullopt;
}

std::optional<int> get_int(JsonValue object, std::string_view key) {
  const std::optional<JsonValue> value = object.find(key);
  return value ? as_int(*value, key) : std::nullopt;
}

void ExtraFields::add(const JsonMember& member) {
  if (members_.is_null()) members_ = nlohmann::json::object();
  members_[std::string(member.key)] = to_nlohmann(member.value);
}

std::string ExtraFields::text() const {
  if (members_.is_null()) return {};
  // Replace invalid UTF-8 instead of throwing: the text is informational.
  return members_.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace privacycall::webhook::internal
