#ifndef PRIVACYCALL_SRC_CLIENT_JSON_FIELDS_HPP
#define PRIVACYCALL_SRC_CLIENT_JSON_FIELDS_HPP

// Tolerant readers and writers for the platform's JSON: the docs disagree on whether some
// fields are strings or numbers, so readers accept either form. Readers work on the JSON
// reader's tape (no DOM is built for an answer); writers build the request body.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "client/json_body.hpp"
#include "common/json_internal.hpp"
#include "common/json_reader.hpp"

namespace privacycall::internal {

/// An object's reader view: the client reads answers from the same tape as the webhook parsers.
using JsonValue = webhook::internal::JsonValue;
using JsonKind = webhook::internal::JsonKind;
using JsonMember = webhook::internal::JsonMember;

/// A string field; a number or boolean is accepted and rendered as text (as the webhook
/// parsers render one). nullopt when absent, null, an array or an object.
inline std::optional<std::string> read_string(JsonValue object, std::string_view key) {
  const auto value = object.find(key);
  if (!value || value->kind() == JsonKind::kArray ||
      value->kind() == JsonKind::kObject) {
    return std::nullopt;
  }
  return webhook::internal::as_text(*value, key);
}

/// An integer field; a string holding an integer is accepted.
std::optional<long long> read_int(JsonValue object, std::string_view key);

/// A boolean flag sent as "true"/"false" (docs), true/false (demos) or 1/0 (CDRs).
std::optional<bool> read_flag(JsonValue object, std::string_view key);

inline std::optional<int> read_small_int(JsonValue object, std::string_view key) {
  const auto value = read_int(object, key);
  if (!value || *value < INT32_MIN || *value > INT32_MAX) return std::nullopt;
  return static_cast<int>(*value);
}

template <typename Duration>
std::optional<Duration> read_duration(JsonValue object, std::string_view key) {
  const auto value = read_int(object, key);
  if (!value) return std::nullopt;
  return Duration(*value);
}

/// Writes "true"/"false", the form the API documents for flags.
inline void write_flag(JsonBody& object, const char* key, const std::optional<bool>& flag) {
  if (flag) object.add(key, *flag ? "true" : "false");
}

template <typename T>
void write_optional(JsonBody& object, const char* key, const std::optional<T>& value) {
  if (value) object.add(key, *value);
}

template <typename Rep, typename Period>
void write_optional(JsonBody& object, const char* key,
                    const std::optional<std::chrono::duration<Rep, Period>>& value) {
  if (value) object.add(key, value->count());
}

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_SRC_CLIENT_JSON_FIELDS_HPP
