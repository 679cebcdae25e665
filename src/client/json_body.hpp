#ifndef PRIVACYCALL_SRC_CLIENT_JSON_BODY_HPP
#define PRIVACYCALL_SRC_CLIENT_JSON_BODY_HPP

// A request body: one JSON object written member by member into its text. Every call sends
// one, so it is written straight into a string (nlohmann's DOM cost a std::map node per member
// and a second pass to serialise).

#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace privacycall::internal {

/// A JSON object under construction, members in the order added. Callers add each key once.
class JsonBody {
 public:
  JsonBody() { text_.reserve(256); text_ += '{'; }

  /// Adds a string member, escaped as nlohmann escapes it (UTF-8 kept as it is).
  JsonBody& add(std::string_view key, std::string_view value);
  JsonBody& add(std::string_view key, const char* value) { return add(key, std::string_view(value)); }
  JsonBody& add(std::string_view key, const std::string& value) { return add(key, std::string_view(value)); }

  /// Adds a number member. Booleans are not numbers: the API spells flags "true"/"false".
  template <typename Integer, std::enable_if_t<std::is_integral_v<Integer> && !std::is_same_v<Integer, bool>, int> = 0>
  JsonBody& add(std::string_view key, Integer value) {
    start_member(key);
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    text_.append(digits, end);
    return *this;
  }

  /// Adds an object member.
  JsonBody& add(std::string_view key, const JsonBody& object);

  /// The object's text.
  std::string text() const { return text_ + '}'; }

  /// The key of the first string member that is not well-formed UTF-8 (which JSON cannot
  /// carry; the validators refuse such text before a body is built); nullopt when all are.
  const std::optional<std::string>& malformed_member() const { return malformed_member_; }

 private:
  /// Writes the separator and `"key":`.
  void start_member(std::string_view key);
  /// Writes `value` as a JSON string; false when it is not well-formed UTF-8.
  bool append_string(std::string_view value);

  std::string text_;  // without the closing brace
  std::optional<std::string> malformed_member_;
#ifndef NDEBUG
  // nlohmann's operator[] overwrote a repeated key; here it would go out twice. The
  // sanitizer builds (Debug) run every encoder through the tests with this check.
  std::vector<std::string> keys_;
#endif
};

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_SRC_CLIENT_JSON_BODY_HPP
