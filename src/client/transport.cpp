#include <privacycall/transport.hpp>

#include <thread>

#include "common/text.hpp"

namespace privacycall {

void HttpTransport::send_async(HttpRequest request, HttpCallback done,
                               std::chrono::steady_clock::time_point start_at) {
  std::this_thread::sleep_until(start_at);
  done(send(request));
}

const char* to_string(HttpMethod method) noexcept {
  switch (method) {
    case HttpMethod::kGet: return "GET";
    case HttpMethod::kPost: return "POST";
    case HttpMethod::kPut: return "PUT";
    case HttpMethod::kDelete: return "DELETE";
  }
  return "GET";
}

const std::string* find_header(const HttpHeaders& headers, std::string_view name) noexcept {
  for (const auto& [key, value] : headers) {
    if (internal::iequals(key, name)) return &value;
  }
  return nullptr;
}

}  // namespace privacycall
