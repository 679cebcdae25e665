#ifndef PRIVACYCALL_SRC_COMMON_JSON_READ_HPP
#define PRIVACYCALL_SRC_COMMON_JSON_READ_HPP

// Lenient readers of nlohmann JSON values, shared by the webhook's notification and answer
// parsers and the client's answer decoders. The platform's docs disagree on whether some
// fields are strings or numbers, so every reader accepts either form.
//
// Two families, because the two sides were documented differently and callers rely on both:
//   - as_text/as_int/get_text/get_int (webhook): a member of the wrong shape (an array or an
//     object where a scalar is due) throws ShapeError, which the parsers turn into a decode
//     Error;
//   - read_string/read_int/read_flag (client): an odd value reads as absent.
//
// Readers take a JsonScalar, a view of one scalar, so that a SAX handler (which sees scalars
// as events, with no DOM node to point at) and a DOM walk share one conversion.

#include <privacycall/error.hpp>

#include <nlohmann/json.hpp>

#include <climits>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "common/internal_export.hpp"

namespace privacycall::internal {

/// The DOM every reader works on: nlohmann's, keys sorted, the last duplicate key kept.
using Json = nlohmann::json;

/// A known member had the wrong JSON type. The message names the member, never its value.
struct PRIVACYCALL_INTERNAL_EXPORT ShapeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// One JSON value as a reader sees it: a scalar's value, or only the type of a container
/// (readers refuse those). Strings point into whoever holds the text.
struct PRIVACYCALL_INTERNAL_EXPORT JsonScalar {
  /// The value's type, as nlohmann names it.
  Json::value_t type = Json::value_t::null;
  /// The value when type is boolean.
  bool boolean = false;
  /// The value when type is number_integer (negative literals).
  std::int64_t integer = 0;
  /// The value when type is number_unsigned (non-negative integer literals).
  std::uint64_t unsigned_integer = 0;
  /// The value when type is number_float (fractions, exponents, integers too large).
  double floating = 0;
  /// The value when type is string.
  std::string_view text;

  /// A view of `value`, a nlohmann::json or nlohmann::ordered_json (only the type when it is
  /// an array or an object).
  template <typename BasicJson>
  static JsonScalar of(const BasicJson& value) noexcept {
    JsonScalar scalar;
    scalar.type = value.type();
    switch (scalar.type) {
      case Json::value_t::boolean: scalar.boolean = *value.template get_ptr<const bool*>(); break;
      case Json::value_t::number_integer: scalar.integer = *value.template get_ptr<const std::int64_t*>(); break;
      case Json::value_t::number_unsigned:
        scalar.unsigned_integer = *value.template get_ptr<const std::uint64_t*>();
        break;
      case Json::value_t::number_float: scalar.floating = *value.template get_ptr<const double*>(); break;
      case Json::value_t::string: scalar.text = *value.template get_ptr<const std::string*>(); break;
      default: break;
    }
    return scalar;
  }
  /// nlohmann's name of the type ("object", "array", "string", "number", "boolean", "null").
  const char* type_name() const noexcept;
  /// True for an array or an object.
  bool is_container() const noexcept {
    return type == Json::value_t::array || type == Json::value_t::object;
  }
};

/// The decode Error for a body that nests deeper than `max_depth` levels.
PRIVACYCALL_INTERNAL_EXPORT Error too_deep_error(std::string_view what, std::size_t max_depth);

/// The decode Error for a body that stops being JSON at byte `offset`: the offset only, since
/// the text near the error may be a phone number.
PRIVACYCALL_INTERNAL_EXPORT Error syntax_error(std::string_view what, std::size_t offset);

/// A decode Error with `message`.
PRIVACYCALL_INTERNAL_EXPORT Error decode_error(std::string message);

/// Whether `text` opens more than `max_depth` arrays and objects at once anywhere, counting
/// brackets outside strings. Where the text is JSON this is the parser's own nesting, so a
/// text this passes cannot reach a container deeper than `max_depth` before the parser stops
/// (at its end or at its first error).
inline bool may_nest_deeper_than(std::string_view text, std::size_t max_depth) noexcept {
  std::size_t open = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character, which may be a quote
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++open > max_depth) return true;
    } else if ((c == ']' || c == '}') && open > 0) {
      --open;
    }
  }
  return false;
}

/// Parses `body` into `out` (a nlohmann::json, or an ordered_json where the members' order
/// matters); a decode Error (without quoting the body) when it is not JSON or nests deeper
/// than `max_depth` arrays and objects. `what` names the thing for the message ("push body",
/// "answer").
template <typename BasicJson>
std::optional<Error> parse_json(std::string_view body, std::size_t max_depth, std::string_view what,
                                BasicJson& out) {
  // Thrown by the callback, which sees each container as it opens, `depth` containers deep: a
  // hostile body is refused there, never descended into.
  struct TooDeep {};
  try {
    if (!may_nest_deeper_than(body, max_depth)) {
      // Every answer and push: without a callback, nlohmann builds the value through its
      // plain parser, cheaper than the callback parser and the std::function it calls.
      out = BasicJson::parse(body.data(), body.data() + body.size());
    } else {
      const typename BasicJson::parser_callback_t refuse_deep =
          [max_depth](int depth, typename BasicJson::parse_event_t event, BasicJson&) {
            const bool opens = event == BasicJson::parse_event_t::object_start ||
                               event == BasicJson::parse_event_t::array_start;
            if (opens && static_cast<std::size_t>(depth) + 1 > max_depth) throw TooDeep{};
            return true;
          };
      out = BasicJson::parse(body.data(), body.data() + body.size(), refuse_deep);
    }
  } catch (const TooDeep&) {
    return too_deep_error(what, max_depth);
  } catch (const typename BasicJson::parse_error& e) {
    return syntax_error(what, e.byte);
  } catch (const typename BasicJson::out_of_range&) {
    return decode_error(std::string(what) + " is not valid JSON (a number overflows a double)");
  }
  return std::nullopt;
}

/// The ShapeError for member `name` holding a value of type `type_name` where `expected` ("a
/// string", "an object"...) was due; it names the member and the type, never the value.
PRIVACYCALL_INTERNAL_EXPORT ShapeError wrong_shape(std::string_view name, const char* expected, const char* type_name);

/// `value` as text: strings as they are, numbers and booleans in nlohmann's JSON spelling
/// (integral floats below 1e15 as integers: 5.0 reads "5"); nullopt for null; ShapeError
/// naming member `name` for arrays and objects.
PRIVACYCALL_INTERNAL_EXPORT std::optional<std::string> as_text(const JsonScalar& value, std::string_view name);
inline std::optional<std::string> as_text(const Json& value, std::string_view name) {
  return as_text(JsonScalar::of(value), name);
}

/// `value` as an int: JSON integers, integral floats, or strings holding an integer (spaces
/// and a '+' tolerated). nullopt when null, empty or unreadable (tolerance: an odd value in a
/// field nobody may need must not lose the whole push); ShapeError naming member `name` for
/// arrays and objects.
PRIVACYCALL_INTERNAL_EXPORT std::optional<int> as_int(const JsonScalar& value, std::string_view name);
inline std::optional<int> as_int(const Json& value, std::string_view name) {
  return as_int(JsonScalar::of(value), name);
}

/// Member `key` of `object`; nullptr when absent or when `object` is not an object.
template <typename BasicJson>
const BasicJson* find_member(const BasicJson& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

/// Member `key` of `object` as_text(); nullopt when absent.
PRIVACYCALL_INTERNAL_EXPORT std::optional<std::string> get_text(const Json& object, std::string_view key);

/// Member `key` of `object` as_int(); nullopt when absent.
PRIVACYCALL_INTERNAL_EXPORT std::optional<int> get_int(const Json& object, std::string_view key);

/// Collects the members a record reader does not know and renders them as the text of a JSON
/// object, as nlohmann dumps one (keys sorted, the last duplicate kept).
class PRIVACYCALL_INTERNAL_EXPORT ExtraFields {
 public:
  /// Keeps member `key` with `value` (replacing an earlier one of the same name).
  void add(std::string_view key, Json value);
  /// The kept members as a compact JSON object; empty when there are none.
  std::string text() const;

 private:
  Json members_;  // null (no allocation) until the first unknown member
};

/// read_string() of one value: as_text(), but nullopt for an array or an object.
PRIVACYCALL_INTERNAL_EXPORT std::optional<std::string> lenient_text(const JsonScalar& value);

/// read_int() of one value.
PRIVACYCALL_INTERNAL_EXPORT std::optional<long long> lenient_int(const JsonScalar& value);

/// read_flag() of one value.
PRIVACYCALL_INTERNAL_EXPORT std::optional<bool> lenient_flag(const JsonScalar& value);

/// A string field; a number or boolean is accepted and rendered as text (as as_text renders
/// one). nullopt when absent, null, an array or an object.
template <typename BasicJson>
std::optional<std::string> read_string(const BasicJson& object, std::string_view key) {
  const BasicJson* value = find_member(object, key);
  return value ? lenient_text(JsonScalar::of(*value)) : std::nullopt;
}

/// An integer field; a string of digits with an optional minus (at most 18 characters) is
/// accepted, and a float is cut to its integer part. nullopt when absent or not a usable
/// integer (beyond long long, "12 ", "+12", true...).
template <typename BasicJson>
std::optional<long long> read_int(const BasicJson& object, std::string_view key) {
  const BasicJson* value = find_member(object, key);
  return value ? lenient_int(JsonScalar::of(*value)) : std::nullopt;
}

/// A boolean flag sent as "true"/"false" (docs), true/false (demos) or 1/0 (CDRs).
template <typename BasicJson>
std::optional<bool> read_flag(const BasicJson& object, std::string_view key) {
  const BasicJson* value = find_member(object, key);
  return value ? lenient_flag(JsonScalar::of(*value)) : std::nullopt;
}

/// read_int() within int's range; nullopt outside it.
template <typename BasicJson>
std::optional<int> read_small_int(const BasicJson& object, std::string_view key) {
  const auto value = read_int(object, key);
  if (!value || *value < INT32_MIN || *value > INT32_MAX) return std::nullopt;
  return static_cast<int>(*value);
}

/// read_int() as a duration of `Duration`'s unit.
template <typename Duration, typename BasicJson>
std::optional<Duration> read_duration(const BasicJson& object, std::string_view key) {
  const auto value = read_int(object, key);
  if (!value) return std::nullopt;
  return Duration(*value);
}

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_SRC_COMMON_JSON_READ_HPP
