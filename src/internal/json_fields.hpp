#ifndef PRIVACYCALL_INTERNAL_JSON_FIELDS_HPP
#define PRIVACYCALL_INTERNAL_JSON_FIELDS_HPP

// Tolerant readers and writers for the platform's JSON: the docs disagree on whether some
// fields are strings or numbers, so readers accept either form.

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace privacycall::internal {

/// A string field; a number is accepted and rendered as text. nullopt when absent or null.
inline std::optional<std::string> read_string(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<long long>());
  if (it->is_number() || it->is_boolean()) return it->dump();
  return std::nullopt;
}

/// An integer field; a string holding an integer is accepted.
inline std::optional<long long> read_int(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end()) return std::nullopt;
  if (it->is_number_integer()) return it->get<long long>();
  if (it->is_number_float()) {
    // Converting a double outside long long's range (1e300, NaN) is undefined: such a value is
    // no usable integer, so it reads as absent.
    const double value = it->get<double>();
    if (!(value >= -9.0e18 && value <= 9.0e18)) return std::nullopt;
    return static_cast<long long>(value);
  }
  if (it->is_string()) {
    const std::string& text = it->get_ref<const std::string&>();
    if (text.empty() || text.size() > 18) return std::nullopt;
    std::size_t i = text[0] == '-' ? 1 : 0;
    if (i == text.size()) return std::nullopt;
    for (std::size_t j = i; j < text.size(); ++j) {
      if (text[j] < '0' || text[j] > '9') return std::nullopt;
    }
    return std::stoll(text);
  }
  return std::nullopt;
}

/// A boolean flag sent as "true"/"false" (docs), true/false (demos) or 1/0 (CDRs).
inline std::optional<bool> read_flag(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end()) return std::nullopt;
  if (it->is_boolean()) return it->get<bool>();
  if (it->is_number_integer()) return it->get<long long>() != 0;
  if (it->is_string()) {
    const std::string& text = it->get_ref<const std::string&>();
    if (text == "true" || text == "1") return true;
    if (text == "false" || text == "0") return false;
  }
  return std::nullopt;
}

inline std::optional<int> read_small_int(const nlohmann::json& object, const char* key) {
  const auto value = read_int(object, key);
  if (!value || *value < INT32_MIN || *value > INT32_MAX) return std::nullopt;
  return static_cast<int>(*value);
}

template <typename Duration>
std::optional<Duration> read_duration(const nlohmann::json& object, const char* key) {
  const auto value = read_int(object, key);
  if (!value) return std::nullopt;
  return Duration(*value);
}

/// Writes "true"/"false", the form the API documents for flags.
inline void write_flag(nlohmann::json& object, const char* key, const std::optional<bool>& flag) {
  if (flag) object[key] = *flag ? "true" : "false";
}

template <typename T>
void write_optional(nlohmann::json& object, const char* key, const std::optional<T>& value) {
  if (value) object[key] = *value;
}

template <typename Rep, typename Period>
void write_optional(nlohmann::json& object, const char* key,
                    const std::optional<std::chrono::duration<Rep, Period>>& value) {
  if (value) object[key] = value->count();
}

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_INTERNAL_JSON_FIELDS_HPP
