#pragma once
// A transport that answers from a script instead of the network, for answers the FakePlatform
// does not give (odd layouts, a desc quoting a number, flow control with HTTP 200).
#include <privacycall/options.hpp>
#include <privacycall/transport.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace privacycall_test {

/// One scripted answer: an HTTP status, its body and headers.
struct ScriptedAnswer {
  ScriptedAnswer() = default;
  ScriptedAnswer(int answer_status, std::string answer_body, privacycall::HttpHeaders answer_headers = {})
      : status(answer_status), body(std::move(answer_body)), headers(std::move(answer_headers)) {}
  int status = 200;
  std::string body;
  privacycall::HttpHeaders headers;
};

/// Answers the n-th request with the n-th answer, repeating the last one; records the URLs
/// and the requests.
class ScriptedTransport final : public privacycall::HttpTransport {
 public:
  explicit ScriptedTransport(std::vector<ScriptedAnswer> answers) : answers_(std::move(answers)) {}
  /// HTTP 200 answers with these bodies.
  explicit ScriptedTransport(const std::vector<std::string>& bodies) {
    for (const auto& body : bodies) answers_.push_back({200, body});
  }

  privacycall::Result<privacycall::HttpResponse> send(const privacycall::HttpRequest& request) override {
    urls.push_back(request.url);
    requests.push_back(request);
    const ScriptedAnswer& answer = answers_.at(std::min(next_++, answers_.size() - 1));
    privacycall::HttpResponse response;
    response.status = answer.status;
    response.body = answer.body;
    response.headers = answer.headers;
    return response;
  }
  std::vector<std::string> urls;
  std::vector<privacycall::HttpRequest> requests;

 private:
  std::vector<ScriptedAnswer> answers_;
  std::size_t next_ = 0;
};

/// Options for a Client that talks only to `transport`.
inline privacycall::ClientOptions scripted(std::shared_ptr<ScriptedTransport> transport) {
  privacycall::ClientOptions options;
  options.base_url = "http://127.0.0.1:9";
  options.app_key = "k";
  options.app_secret = "s";
  options.transport = std::move(transport);
  return options;
}

}  // namespace privacycall_test
