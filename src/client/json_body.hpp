#ifndef PRIVACYCALL_SRC_CLIENT_JSON_BODY_HPP
#define PRIVACYCALL_SRC_CLIENT_JSON_BODY_HPP

// A request body: one JSON object built member by member with nlohmann, in the order the
// encoders add the members (the platform's docs list them in that order), and dumped with
// nlohmann's strict UTF-8 check.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "common/internal_export.hpp"

namespace privacycall::internal {

/// A JSON object under construction, members in the order added; adding a key again replaces
/// its value in place.
class JsonBody {
 public:
  JsonBody() : object_(nlohmann::ordered_json::object()) {}

  /// Adds a string member.
  JsonBody& add(std::string_view key, std::string_view value) {
    object_[std::string(key)] = value;
    return *this;
  }
  JsonBody& add(std::string_view key, const char* value) { return add(key, std::string_view(value)); }
  JsonBody& add(std::string_view key, const std::string& value) { return add(key, std::string_view(value)); }

  /// Adds a number member. Booleans are not numbers: the API spells flags "true"/"false".
  template <typename Integer, std::enable_if_t<std::is_integral_v<Integer> && !std::is_same_v<Integer, bool>, int> = 0>
  JsonBody& add(std::string_view key, Integer value) {
    object_[std::string(key)] = value;
    return *this;
  }

  /// Adds an object member.
  JsonBody& add(std::string_view key, const JsonBody& object) {
    object_[std::string(key)] = object.object_;
    return *this;
  }

  /// The object's compact text. Throws nlohmann::json::type_error when a string member is not
  /// well-formed UTF-8, which JSON cannot carry (malformed_member() then names it).
  std::string text() const { return object_.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::strict); }

  /// The key of the first string member that is not well-formed UTF-8, as "outer.inner" for a
  /// nested object's; nullopt when all are. The validators refuse such text before a body is
  /// built, so this walks the body only when text() has refused it.
  PRIVACYCALL_INTERNAL_EXPORT std::optional<std::string> malformed_member() const;

 private:
  nlohmann::ordered_json object_;
};

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_SRC_CLIENT_JSON_BODY_HPP
