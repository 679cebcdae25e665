#ifndef PRIVACYCALL_SRC_WEBHOOK_JSON_INTERNAL_HPP
#define PRIVACYCALL_SRC_WEBHOOK_JSON_INTERNAL_HPP

// Lenient JSON readers shared by the notification and answer parsers. A member of the wrong
// shape throws ShapeError, which the parsers turn into a decode Error.

#include <privacycall/error.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace privacycall::webhook::internal {

/// A known member had the wrong JSON type. The message names the member, never its value.
struct ShapeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// True when `body` nests arrays/objects deeper than `max_depth` (strings are skipped, so
/// brackets inside them do not count). Linear, allocation-free: run it before parsing so a
/// hostile body never reaches the recursive parts of a JSON library.
bool exceeds_depth(std::string_view body, std::size_t max_depth) noexcept;

/// Parses `body` as JSON; a decode Error (without quoting the body) when it is not JSON.
/// `what` names the thing for the message ("push body", "answer").
std::optional<Error> parse_json(std::string_view body, std::size_t max_depth,
                                std::string_view what, nlohmann::json& out);

/// A decode Error with `message`.
Error decode_error(std::string message);

/// Member `key` of `object` as text: strings as they are, numbers and booleans in their
/// JSON spelling; nullopt when absent or null; ShapeError for arrays and objects.
std::optional<std::string> get_text(const nlohmann::json& object, const char* key);

/// Member `key` as an int: JSON integers, integral floats, or strings holding an integer
/// (spaces tolerated). nullopt when absent, null, empty or unreadable (tolerance: an odd
/// value in a field nobody may need must not lose the whole push); ShapeError for arrays
/// and objects.
std::optional<int> get_int(const nlohmann::json& object, const char* key);

/// The members of `object` whose names are not in `known` (a nullptr-terminated list), as the
/// text of a JSON object; empty when there are none.
std::string extra_fields(const nlohmann::json& object, const char* const* known);

}  // namespace privacycall::webhook::internal

#endif  // PRIVACYCALL_SRC_WEBHOOK_JSON_INTERNAL_HPP
