#include <privacycall/transport.hpp>

#include <thread>

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
    if (key.size() != name.size()) continue;
    bool same = true;
    for (std::size_t i = 0; same && i < key.size(); ++i) {
      const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
      same = lower(key[i]) == lower(name[i]);
    }
    if (same) return &value;
  }
  return nullptr;
}

}  // namespace privacycall
