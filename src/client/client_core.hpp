#ifndef PRIVACYCALL_SRC_CLIENT_CLIENT_CORE_HPP
#define PRIVACYCALL_SRC_CLIENT_CLIENT_CORE_HPP

// The shared state behind Client and its service objects, and the one path every API call
// takes: build URL, sign, send through the transport, retry by idempotency, log, decode the
// envelope. Endpoints only describe their call and decode their fields.

#include <privacycall/common.hpp>
#include <privacycall/log.hpp>
#include <privacycall/options.hpp>
#include <privacycall/result.hpp>
#include <privacycall/signature.hpp>
#include <privacycall/transport.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/internal_export.hpp"
#include "client/as_future.hpp"
#include "client/json_body.hpp"
#include "client/json_fields.hpp"
#include "client/query.hpp"

namespace privacycall::internal {

/// Everything an endpoint says about one call.
struct ApiCall {
  HttpMethod method = HttpMethod::kGet;
  std::string_view path;
  Query query;
  std::optional<JsonBody> body;
  Idempotency idempotency = Idempotency::kIdempotent;
};

/// A success answer read: its JSON, parsed in place, and its envelope.
struct JsonReply {
  /// The answer's parse.
  AnswerJson document;
  /// resultcode and resultdesc; raw_json is left to the caller, which owns the body.
  ApiResponse envelope;
};

/// One endpoint call fully described: what to send (or why nothing may be sent) and how to
/// read the answer. The sync and async APIs run the same Operation.
template <typename Response>
struct Operation {
  Operation() = default;
  /// An Operation that refuses to send anything, reporting `error`.
  Operation(Error error) : invalid(std::move(error)) {}  // NOLINT: implicit, like Result's

  std::optional<Error> invalid;
  ApiCall call;
  /// Reads the transport's answer, whatever its HTTP status, into a Response or an Error.
  std::function<Result<Response>(HttpResponse&&)> decode;
};

/// `text` with every phone-number-like run ('+' then 7 or more digits, or 8 or more digits)
/// masked as PhoneNumber::mask_phone_number() masks a number; 7-digit result codes stay.
PRIVACYCALL_INTERNAL_EXPORT std::string mask_phone_numbers_in(std::string_view text);

/// `result`, with the phone numbers in an Error's result_desc masked when `mask` is set: the
/// platform quotes numbers there ("The number $ has been bound.") and Error::to_string() and
/// Exception::what() print it.
template <typename T>
Result<T> mask_result_desc(Result<T> result, bool mask) {
  if (!mask || result.ok()) return result;
  Error error = std::move(result).error();
  error.result_desc = mask_phone_numbers_in(error.result_desc);
  return error;
}

class ClientCore : public std::enable_shared_from_this<ClientCore> {
 public:
  PRIVACYCALL_INTERNAL_EXPORT static Result<std::shared_ptr<const ClientCore>> create(ClientOptions options);

  /// Sends the call with signing, retries and logging; any HTTP status is a success here.
  PRIVACYCALL_INTERNAL_EXPORT Result<HttpResponse> send(const ApiCall& call, const CallOptions& options) const;

  /// Sends `request` as it stands (no signature; only the SDK's User-Agent added) with the
  /// same retries, transport and logging as every call, for hosts that are not the API (a
  /// recording's storage host). `described_as` says what logs show of it (method, path) and
  /// its idempotency; `may_retry`, when set, is asked before each further attempt.
  Result<HttpResponse> send_unsigned(HttpRequest request, const ApiCall& described_as, const CallOptions& options,
                                     const std::function<bool()>& may_retry) const;

  /// The asynchronous send(): the same signing, retries and logging, with backoff scheduled
  /// on the transport instead of sleeping. `done` runs on a transport thread, or at once on
  /// this thread when the request cannot be built. Requests still pending when the last Client
  /// is destroyed complete with a "cancelled" transport error.
  PRIVACYCALL_INTERNAL_EXPORT void send_async(ApiCall call, const CallOptions& options, HttpCallback done) const;

  /// Sends the operation (unless it is invalid) and decodes the answer.
  template <typename Response>
  Result<Response> run(const Operation<Response>& operation, const CallOptions& options) const {
    if (operation.invalid) return *operation.invalid;
    Result<HttpResponse> sent = send(operation.call, options);
    if (!sent) return std::move(sent).error();
    return mask_result_desc(operation.decode(std::move(sent).value()), options_.mask_phone_numbers);
  }

  /// run(), asynchronously: `done` receives the decoded answer on a transport thread, or the
  /// refusal of an invalid operation at once on this thread. `name` ("axb.bind") names the
  /// operation in the log record of an exception escaping `done`, which is caught there: a
  /// user's callback must not take down the transport's loop thread.
  template <typename Response>
  void run_async(const char* name, Operation<Response> operation, const CallOptions& options,
                 std::function<void(Result<Response>)> done) const {
    if (operation.invalid) {
      deliver(callback_guard(name), done, Result<Response>(std::move(*operation.invalid)));
      return;
    }
    const bool mask = options_.mask_phone_numbers;
    if (auto* future = done.template target<FutureCompletion<Response>>()) {
      // The future form: the answer is decoded by the thread that takes it from the future,
      // which is waiting anyway, instead of on the transport's one loop thread.
      send_async(std::move(operation.call), options,
                 [future = std::move(*future), decode = std::move(operation.decode), mask](Result<HttpResponse> sent) mutable {
                   if (!sent) return future(std::move(sent).error());
                   future.complete_lazily([decode = std::move(decode), http = std::move(sent).value(), mask]() mutable {
                     return mask_result_desc(decode(std::move(http)), mask);
                   });
                 });
      return;
    }
    send_async(std::move(operation.call), options,
               [done = std::move(done), decode = std::move(operation.decode), guard = callback_guard(name),
                mask](Result<HttpResponse> sent) {
                 deliver(guard, done,
                         sent ? mask_result_desc(decode(std::move(sent).value()), mask)
                              : Result<Response>(std::move(sent).error()));
               });
  }

  /// What a pending callback needs to report an exception escaping it, even after the client
  /// is gone: the operation's name, the log hook and whether to mask numbers in the text.
  struct CallbackGuard {
    const char* operation = "";
    std::shared_ptr<const LogHook> log;
    bool mask_phone_numbers = true;
  };
  CallbackGuard callback_guard(const char* operation) const {
    return CallbackGuard{operation, log_, options_.mask_phone_numbers};
  }

  /// Calls `done(result)`; an exception escaping it is logged through `guard` (kError, with
  /// the operation's name) and goes no further.
  template <typename Callback, typename Value>
  static void deliver(const CallbackGuard& guard, Callback& done, Value&& result) noexcept {
    try {
      done(std::forward<Value>(result));
    } catch (...) {
      report_callback_exception(guard);
    }
  }

  /// Requires HTTP 200 with a JSON object whose resultcode is "0".
  static Result<JsonReply> decode_reply(const HttpResponse& response);

  const ClientOptions& options() const { return options_; }
  const std::shared_ptr<HttpTransport>& transport() const { return transport_; }
  /// Signs one request (fresh nonce, current time).
  SignedHeaders sign() const { return signer_.sign(); }
  std::string url_for(std::string_view path, const Query& query) const;

 private:
  ClientCore(ClientOptions options, std::shared_ptr<HttpTransport> transport);
  void log_attempt(const ApiCall& call, int attempt, const Result<HttpResponse>& result,
                   std::chrono::microseconds latency) const;
  /// The unsigned request; a validation Error when the body cannot be serialised.
  Result<HttpRequest> build_request(const ApiCall& call, const CallOptions& options) const;
  void sign_into(HttpRequest& request) const;
  Result<HttpResponse> send_attempts(HttpRequest request, const ApiCall& call, const CallOptions& options, bool sign,
                                     const std::function<bool()>& may_retry) const;
  struct AsyncAttempt;
  void start_attempt(std::shared_ptr<AsyncAttempt> attempt) const;

  /// Logs the exception being handled as escaping the callback `guard` describes.
  PRIVACYCALL_INTERNAL_EXPORT static void report_callback_exception(const CallbackGuard& guard) noexcept;

  ClientOptions options_;
  std::shared_ptr<const LogHook> log_;  // options_.log, shared with pending callbacks
  Signer signer_;
  std::shared_ptr<HttpTransport> transport_;
  std::string base_url_;  // without a trailing '/'
  std::string user_agent_;
};

/// Maps a non-success platform answer (any status, body possibly not JSON) to an Error.
Error error_from_response(const HttpResponse& response);

/// What to do after one attempt.
struct RetryDecision {
  bool retry = false;
  std::chrono::milliseconds pause{0};
};

/// Decides whether attempt number `attempt`, which produced `result`, is followed by another,
/// and after what pause (full jitter of `backoff`, or the flow-control floor).
RetryDecision decide_retry(const RetryPolicy& policy, Idempotency idempotency, int attempt,
                           std::chrono::steady_clock::duration elapsed, std::chrono::milliseconds backoff,
                           const Result<HttpResponse>& result);

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_SRC_CLIENT_CLIENT_CORE_HPP
