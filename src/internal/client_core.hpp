#ifndef PRIVACYCALL_INTERNAL_CLIENT_CORE_HPP
#define PRIVACYCALL_INTERNAL_CLIENT_CORE_HPP

// The shared state behind Client and its service objects, and the one path every API call
// takes: build URL, sign, send through the transport, retry by idempotency, log, decode the
// envelope. Endpoints only describe their call and decode their fields.

#include <privacycall/common.hpp>
#include <privacycall/options.hpp>
#include <privacycall/result.hpp>
#include <privacycall/signature.hpp>
#include <privacycall/transport.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "internal/query.hpp"

namespace privacycall::internal {

/// Everything an endpoint says about one call.
struct ApiCall {
  HttpMethod method = HttpMethod::kGet;
  std::string_view path;
  Query query;
  std::optional<nlohmann::json> body;
  Idempotency idempotency = Idempotency::kIdempotent;
};

/// A decoded success: the JSON object and its envelope.
struct JsonReply {
  nlohmann::json json;
  ApiResponse envelope;
};

class ClientCore {
 public:
  static Result<std::shared_ptr<const ClientCore>> create(ClientOptions options);

  /// Sends the call with signing, retries and logging; any HTTP status is a success here.
  Result<HttpResponse> send(const ApiCall& call, const CallOptions& options) const;

  /// send(), then requires HTTP 200 with a JSON object whose resultcode is "0".
  Result<JsonReply> call_json(const ApiCall& call, const CallOptions& options) const;

  const ClientOptions& options() const { return options_; }
  const std::shared_ptr<HttpTransport>& transport() const { return transport_; }
  /// Signs one request (fresh nonce, current time).
  SignedHeaders sign() const { return signer_.sign(); }
  std::string url_for(std::string_view path, const Query& query) const;

 private:
  ClientCore(ClientOptions options, std::shared_ptr<HttpTransport> transport);
  void log_attempt(const ApiCall& call, int attempt, const Result<HttpResponse>& result,
                   std::chrono::microseconds latency) const;

  ClientOptions options_;
  Signer signer_;
  std::shared_ptr<HttpTransport> transport_;
  std::string base_url_;  // without a trailing '/'
  std::string user_agent_;
};

/// Maps a non-success platform answer (any status, body possibly not JSON) to an Error.
Error error_from_response(const HttpResponse& response);

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_INTERNAL_CLIENT_CORE_HPP
