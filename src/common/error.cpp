#include <privacycall/error.hpp>

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

std::string_view to_string(ErrorCategory category) noexcept {
  switch (category) {
    case ErrorCategory::kValidation: return "validation";
    case ErrorCategory::kTransport: return "transport";
    case ErrorCategory::kTimeout: return "timeout";
    case ErrorCategory::kAuth: return "auth";
    case ErrorCategory::kApi: return "api";
    case ErrorCategory::kDecode: return "decode";
  }
  return "unknown";
}

std::string Error::to_string() const {
  std::string line = "category=";
  line += privacycall::to_string(category);
  line += " http_status=";
  line += http_status ? std::to_string(*http_status) : std::string("none");
  line += " resultcode=";
  line += result_code.empty() ? std::string("none") : result_code;
  line += " resultdesc=\"";
  line += result_desc;
  line += "\"";
  if (!message.empty()) {
    line += ": ";
    line += message;
  }
  return line;
}

Exception::Exception(Error error) : std::runtime_error(error.to_string()), error_(std::move(error)) {}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall
