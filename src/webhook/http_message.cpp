#include <privacycall/webhook/http_message.hpp>

#include "common/text.hpp"

#include <algorithm>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

using privacycall::internal::iequals;

void HeaderMap::set(std::string_view name, std::string value) {
  fields_.erase(std::remove_if(fields_.begin(), fields_.end(),
                               [&](const Field& f) { return iequals(f.first, name); }),
                fields_.end());
  fields_.emplace_back(std::string(name), std::move(value));
}

std::optional<std::string_view> HeaderMap::get(std::string_view name) const noexcept {
  for (const Field& field : fields_) {
    if (iequals(field.first, name)) return std::string_view(field.second);
  }
  return std::nullopt;
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook
