#include <privacycall/webhook/http_message.hpp>

#include <algorithm>

namespace privacycall::webhook {
namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

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

}  // namespace privacycall::webhook
