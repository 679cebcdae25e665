#include "webhook/json_internal.hpp"

#include "internal/text.hpp"

#include <charconv>
#include <cmath>
#include <limits>

namespace privacycall::webhook::internal {

bool exceeds_depth(std::string_view body, std::size_t max_depth) noexcept {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // skip the escaped character, which may be a quote
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

Error decode_error(std::string message) {
  Error error;
  error.category = ErrorCategory::kDecode;
  error.message = std::move(message);
  return error;
}

std::optional<Error> parse_json(std::string_view body, std::size_t max_depth,
                                std::string_view what, nlohmann::json& out) {
  if (exceeds_depth(body, max_depth)) {
    return decode_error(std::string(what) + " nests deeper than " + std::to_string(max_depth) +
                        " levels");
  }
  try {
    out = nlohmann::json::parse(body.begin(), body.end());
  } catch (const nlohmann::json::parse_error& e) {
    // e.what() quotes the text near the error, which may be a phone number: report the
    // offset only.
    return decode_error(std::string(what) + " is not valid JSON (syntax error near byte " +
                        std::to_string(e.byte) + ")");
  } catch (const std::exception&) {
    return decode_error(std::string(what) + " is not valid JSON");
  }
  return std::nullopt;
}

std::optional<std::string> get_text(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer() || it->is_number_unsigned() || it->is_boolean()) return it->dump();
  if (it->is_number_float()) {
    const double value = it->get<double>();
    // 5.0 sent for "5" should read "5", not "5.0".
    if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15) {
      return std::to_string(static_cast<long long>(value));
    }
    return it->dump();
  }
  throw ShapeError(std::string("member \"") + key + "\" should be a string, not " +
                   it->type_name());
}

std::optional<int> get_int(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  constexpr auto kMin = static_cast<long long>(std::numeric_limits<int>::min());
  constexpr auto kMax = static_cast<long long>(std::numeric_limits<int>::max());
  if (it->is_number_integer()) {
    const long long value = it->get<long long>();
    if (value < kMin || value > kMax) return std::nullopt;
    return static_cast<int>(value);
  }
  if (it->is_number_unsigned()) {
    const unsigned long long value = it->get<unsigned long long>();
    if (value > static_cast<unsigned long long>(kMax)) return std::nullopt;
    return static_cast<int>(value);
  }
  if (it->is_number_float()) {
    const double value = it->get<double>();
    if (!std::isfinite(value) || value != std::floor(value) || value < kMin || value > kMax) {
      return std::nullopt;
    }
    return static_cast<int>(value);
  }
  if (it->is_string()) {
    std::string_view text = privacycall::internal::trim(it->get_ref<const std::string&>());
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
  }
  if (it->is_boolean()) return it->get<bool>() ? 1 : 0;
  throw ShapeError(std::string("member \"") + key + "\" should be a number, not " +
                   it->type_name());
}

std::string extra_fields(const nlohmann::json& object, const char* const* known) {
  nlohmann::json extra = nlohmann::json::object();
  for (auto it = object.begin(); it != object.end(); ++it) {
    bool is_known = false;
    for (const char* const* k = known; *k != nullptr; ++k) {
      if (it.key() == *k) {
        is_known = true;
        break;
      }
    }
    if (!is_known) extra[it.key()] = it.value();
  }
  if (extra.empty()) return {};
  // Replace invalid UTF-8 instead of throwing: the text is informational.
  return extra.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace privacycall::webhook::internal
