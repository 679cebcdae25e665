#ifndef PRIVACYCALL_SRC_COMMON_JSON_INTERNAL_HPP
#define PRIVACYCALL_SRC_COMMON_JSON_INTERNAL_HPP

// Lenient readers of JSON values shared by the notification and answer parsers. A member of
// the wrong shape throws ShapeError, which the parsers turn into a decode Error.

#include <privacycall/error.hpp>

#include "common/json_reader.hpp"

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

/// Parses `body` into `out`; a decode Error (without quoting the body) when it is not JSON or
/// nests deeper than `max_depth`. `what` names the thing for the message ("push body", "answer").
std::optional<Error> parse_json(std::string_view body, std::size_t max_depth,
                                std::string_view what, JsonDocument& out);

/// The ShapeError for member `name` holding `value` where `expected` ("a string", "an
/// object"...) was due; it names the member and the type, never the value.
ShapeError wrong_shape(std::string_view name, const char* expected, JsonValue value);

/// A decode Error with `message`.
Error decode_error(std::string message);

/// `value` as text: strings as they are, numbers and booleans in nlohmann's JSON spelling
/// (integral floats below 1e15 as integers: 5.0 reads "5"); nullopt for null; ShapeError
/// naming member `name` for arrays and objects.
std::optional<std::string> as_text(JsonValue value, std::string_view name);

/// `value` as an int: JSON integers, integral floats, or strings holding an integer (spaces
/// tolerated). nullopt when null, empty or unreadable (tolerance: an odd value in a field
/// nobody may need must not lose the whole push); ShapeError naming member `name` for arrays
/// and objects.
std::optional<int> as_int(JsonValue value, std::string_view name);

/// Member `key` of `object` as_text(); nullopt when absent.
std::optional<std::string> get_text(JsonValue object, std::string_view key);

/// Member `key` of `object` as_int(); nullopt when absent.
std::optional<int> get_int(JsonValue object, std::string_view key);

/// Collects the members a record reader does not know and renders them as the text of a JSON
/// object, byte for byte as nlohmann dumps one (keys sorted, the last duplicate kept).
class ExtraFields {
 public:
  /// Keeps `member`.
  void add(const JsonMember& member);
  /// The kept members as a compact JSON object; empty when there are none.
  std::string text() const;

 private:
  nlohmann::json members_;  // null (no allocation) until the first unknown member
};

}  // namespace privacycall::webhook::internal

#endif  // PRIVACYCALL_SRC_COMMON_JSON_INTERNAL_HPP
