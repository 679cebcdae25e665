#ifndef PRIVACYCALL_SRC_CLIENT_JSON_FIELDS_HPP
#define PRIVACYCALL_SRC_CLIENT_JSON_FIELDS_HPP

// Tolerant readers and writers for the platform's JSON: the docs disagree on whether some
// fields are strings or numbers, so readers (common/json_read.hpp, shared with the webhook)
// accept either form. Writers build the request body.

#include <chrono>
#include <optional>

#include "client/json_body.hpp"
#include "common/json_read.hpp"

namespace privacycall::internal {

/// An answer's parse. Ordered: the members keep the answer's order, which the AXE page
/// decoders rely on (the first list of objects in an answer is its page).
using AnswerJson = nlohmann::ordered_json;

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
