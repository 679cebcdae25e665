// A plain HTTP client for tests that must send what the SDK never would (missing headers,
// raw '+', broken bodies). Uses cpp-httplib, independent of the SDK's libcurl transport.
#ifndef PRIVACYCALL_TESTS_RAW_HTTP_HPP
#define PRIVACYCALL_TESTS_RAW_HTTP_HPP

#include <privacycall/transport.hpp>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace test_support {

struct RawReply {
  int status = 0;
  std::string body;
  privacycall::HttpHeaders headers;
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
  std::string result_code() const {
    const auto j = json();
    return j.is_object() && j.contains("resultcode") ? j["resultcode"].get<std::string>() : std::string();
  }
};

// Sends request targets exactly as given. cpp-httplib's switch for that was set_url_encode()
// until newer releases renamed it set_path_encode(); the overload for the name the installed
// release has is the one chosen.
template <typename Client>
auto send_targets_as_given(Client& client, int) -> decltype(client.set_path_encode(false)) {
  client.set_path_encode(false);
}
template <typename Client>
void send_targets_as_given(Client& client, long) {
  client.set_url_encode(false);
}

inline RawReply raw_request(int port, const std::string& method, const std::string& target,
                            const privacycall::HttpHeaders& headers, const std::string& body,
                            const std::string& host = "127.0.0.1") {
  httplib::Client client(host, port);
  send_targets_as_given(client, 0);
  client.set_connection_timeout(std::chrono::seconds(5));
  client.set_read_timeout(std::chrono::seconds(20));
  httplib::Request request;
  request.method = method;
  request.path = target;
  for (const auto& [name, value] : headers) request.headers.emplace(name, value);
  request.body = body;
  auto result = client.send(request);
  if (!result) throw std::runtime_error("raw request failed: " + httplib::to_string(result.error()));
  RawReply reply;
  reply.status = result->status;
  reply.body = result->body;
  for (const auto& [name, value] : result->headers) reply.headers.emplace_back(name, value);
  return reply;
}

}  // namespace test_support

#endif
