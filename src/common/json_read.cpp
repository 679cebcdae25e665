#include "common/json_read.hpp"

#include "common/make_error.hpp"
#include "common/text.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

namespace privacycall::internal {

const char* JsonScalar::type_name() const noexcept {
  switch (type) {
    case Json::value_t::null: return "null";
    case Json::value_t::object: return "object";
    case Json::value_t::array: return "array";
    case Json::value_t::string: return "string";
    case Json::value_t::boolean: return "boolean";
    case Json::value_t::binary: return "binary";
    case Json::value_t::discarded: return "discarded";
    default: return "number";
  }
}

Error decode_error(std::string message) { return make_error(ErrorCategory::kDecode, std::move(message)); }

Error too_deep_error(std::string_view what, std::size_t max_depth) {
  return decode_error(std::string(what) + " nests deeper than " + std::to_string(max_depth) + " levels");
}

Error syntax_error(std::string_view what, std::size_t offset) {
  return decode_error(std::string(what) + " is not valid JSON (syntax error near byte " + std::to_string(offset) +
                      ")");
}

ShapeError wrong_shape(std::string_view name, const char* expected, const char* type_name) {
  return ShapeError("member \"" + std::string(name) + "\" should be " + expected + ", not " + type_name);
}

std::optional<std::string> as_text(const JsonScalar& value, std::string_view name) {
  switch (value.type) {
    case Json::value_t::null: return std::nullopt;
    case Json::value_t::string: return std::string(value.text);
    case Json::value_t::boolean: return std::string(value.boolean ? "true" : "false");
    case Json::value_t::number_integer: return std::to_string(value.integer);
    case Json::value_t::number_unsigned: return std::to_string(value.unsigned_integer);
    case Json::value_t::number_float: {
      const double v = value.floating;
      // 5.0 sent for "5" should read "5", not "5.0".
      if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
      return Json(v).dump();
    }
    default: break;
  }
  throw wrong_shape(name, "a string", value.type_name());
}

std::optional<int> as_int(const JsonScalar& value, std::string_view name) {
  constexpr auto kMin = static_cast<long long>(std::numeric_limits<int>::min());
  constexpr auto kMax = static_cast<long long>(std::numeric_limits<int>::max());
  switch (value.type) {
    case Json::value_t::null: return std::nullopt;
    case Json::value_t::boolean: return value.boolean ? 1 : 0;
    case Json::value_t::number_integer:
      if (value.integer < kMin || value.integer > kMax) return std::nullopt;
      return static_cast<int>(value.integer);
    case Json::value_t::number_unsigned:
      if (value.unsigned_integer > static_cast<unsigned long long>(kMax)) return std::nullopt;
      return static_cast<int>(value.unsigned_integer);
    case Json::value_t::number_float: {
      const double v = value.floating;
      if (v != std::floor(v) || v < kMin || v > kMax) return std::nullopt;
      return static_cast<int>(v);
    }
    case Json::value_t::string: {
      std::string_view text = trim(value.text);
      if (!text.empty() && text.front() == '+') text.remove_prefix(1);
      int result = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), result);
      if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
      return result;
    }
    default: break;
  }
  throw wrong_shape(name, "a number", value.type_name());
}

std::optional<std::string> get_text(const Json& object, std::string_view key) {
  const Json* value = find_member(object, key);
  return value ? as_text(*value, key) : std::nullopt;
}

std::optional<int> get_int(const Json& object, std::string_view key) {
  const Json* value = find_member(object, key);
  return value ? as_int(*value, key) : std::nullopt;
}

void ExtraFields::add(std::string_view key, Json value) {
  if (members_.is_null()) members_ = Json::object();
  members_[std::string(key)] = std::move(value);
}

std::string ExtraFields::text() const {
  if (members_.is_null()) return {};
  // Replace invalid UTF-8 instead of throwing: the text is informational.
  return members_.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::optional<std::string> lenient_text(const JsonScalar& value) {
  if (value.is_container()) return std::nullopt;
  return as_text(value, {});
}

std::optional<long long> lenient_int(const JsonScalar& value) {
  switch (value.type) {
    case Json::value_t::number_integer: return value.integer;
    case Json::value_t::number_unsigned:
      // Beyond long long no count or duration is meant: it reads as absent.
      if (value.unsigned_integer > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
      return static_cast<long long>(value.unsigned_integer);
    case Json::value_t::number_float:
      // Converting a double outside long long's range is undefined: such a value is no
      // usable integer, so it reads as absent. A fraction is cut off.
      if (!(value.floating >= -9.0e18 && value.floating <= 9.0e18)) return std::nullopt;
      return static_cast<long long>(value.floating);
    case Json::value_t::string: {
      // Digits with an optional minus, nothing else: "12 " or "+12" are not what was documented.
      const std::string_view text = value.text;
      const std::size_t first_digit = !text.empty() && text[0] == '-' ? 1 : 0;
      if (text.size() == first_digit || text.size() > 18) return std::nullopt;
      for (std::size_t i = first_digit; i < text.size(); ++i) {
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
      }
      long long result = 0;
      std::from_chars(text.data(), text.data() + text.size(), result);
      return result;
    }
    default: return std::nullopt;
  }
}

std::optional<bool> lenient_flag(const JsonScalar& value) {
  switch (value.type) {
    case Json::value_t::boolean: return value.boolean;
    case Json::value_t::number_integer: return value.integer != 0;
    case Json::value_t::number_unsigned: return value.unsigned_integer != 0;
    case Json::value_t::string:
      if (value.text == "true" || value.text == "1") return true;
      if (value.text == "false" || value.text == "0") return false;
      return std::nullopt;
    default: return std::nullopt;
  }
}

}  // namespace privacycall::internal
