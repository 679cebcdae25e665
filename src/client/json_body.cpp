#include "client/json_body.hpp"

namespace privacycall::internal {
namespace {

// The dotted key of the first string in `object` that nlohmann's strict dump refuses.
std::optional<std::string> first_malformed(const nlohmann::ordered_json& object) {
  for (const auto& [key, value] : object.items()) {
    if (value.is_object()) {
      if (std::optional<std::string> inner = first_malformed(value)) return key + "." + *inner;
    } else if (value.is_string()) {
      try {
        (void)value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::strict);
      } catch (const nlohmann::ordered_json::type_error&) {
        return key;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> JsonBody::malformed_member() const { return first_malformed(object_); }

}  // namespace privacycall::internal
