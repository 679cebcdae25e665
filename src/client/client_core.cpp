#include "client/client_core.hpp"

#include <privacycall/phone_number.hpp>
#include <privacycall/version.hpp>

#include "common/make_error.hpp"

#include <algorithm>
#include <cstdio>
#include <random>
#include <thread>

namespace privacycall::internal {
namespace {

constexpr std::string_view kContentType = "application/json;charset=UTF-8";

bool is_auth_code(std::string_view code) {
  // 10230xx: malformed or missing Authorization / X-AKSK / X-WSSE.
  if (code.size() == 7 && code.substr(0, 5) == "10230") return true;
  return code == "1010003" || code == "1010004" || code == "1010008" || code == "1010013" ||
         code == "1020150" || code == "1020166" || code == "1020176";
}

// The platform documents 1010010 both as "Invalid digest" (HTTP 401) and as platform flow
// control; the status tells them apart.
bool is_flow_control(const HttpResponse& response, std::string_view code) {
  return response.status == 429 || (code == "1010010" && response.status != 401);
}

std::string hint_for(std::string_view code, int status) {
  if (code == "1010013") {
    return "the request's Created time is too far from the platform's clock: synchronise this "
           "machine's clock (NTP); Created is sent in UTC";
  }
  if (code == "1010010" && status == 401) return "signature rejected: check app_key and app_secret";
  if (code == "1020176") return "this IP is locked for 30 minutes after repeated authentication failures";
  if (code == "1020166") return "this machine's IP is not in the app's IP allow-list";
  if (code == "1010003") return "unknown app_key, or the base URL belongs to another app";
  if (status == 429 || code == "1010010") return "platform flow control: retry after about a minute";
  return {};
}

// The platform's answers nest three levels; anything deeper is not one of them.
constexpr std::size_t kMaxAnswerDepth = 64;

// The envelope members of an answer; the endpoint's decoder then reads its fields from the
// same parse.
struct Envelope {
  bool is_json = false;  // the body is JSON (of any type)
  bool is_object = false;  // ... and an object
  std::string result_code;  // empty when absent; a non-string in its JSON spelling
  std::optional<std::string> result_desc;
};

// Parses `body` into `document` and reads its envelope.
Envelope read_envelope(AnswerJson& document, std::string_view body) {
  Envelope envelope;
  envelope.is_json = !parse_json(body, kMaxAnswerDepth, "answer", document).has_value();
  envelope.is_object = envelope.is_json && document.is_object();
  if (!envelope.is_object) return envelope;
  if (const AnswerJson* code = find_member(document, "resultcode")) {
    envelope.result_code = code->is_string() ? code->get_ref<const std::string&>()
                                             : code->dump(-1, ' ', false, AnswerJson::error_handler_t::replace);
  }
  if (const AnswerJson* desc = find_member(document, "resultdesc"); desc && desc->is_string()) {
    envelope.result_desc = desc->get_ref<const std::string&>();
  }
  return envelope;
}

std::chrono::milliseconds full_jitter(std::chrono::milliseconds cap) {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  if (cap.count() <= 0) return std::chrono::milliseconds(0);
  std::uniform_int_distribution<long long> pick(0, cap.count());
  return std::chrono::milliseconds(pick(generator));
}

// error_from_response() for an answer whose envelope has been read already.
Error error_from_envelope(const HttpResponse& response, Envelope envelope) {
  Error error;
  error.http_status = response.status;
  error.result_code = std::move(envelope.result_code);
  if (envelope.result_desc) error.result_desc = std::move(*envelope.result_desc);
  const bool flow_control = is_flow_control(response, error.result_code);
  if (response.status == 200 && error.result_code.empty()) {
    error.category = ErrorCategory::kDecode;
    error.message = envelope.is_json ? "HTTP 200 without a resultcode" : "HTTP 200 with a body that is not JSON";
    return error;
  }
  if (!flow_control && (is_auth_code(error.result_code) || response.status == 401)) {
    error.category = ErrorCategory::kAuth;
  } else {
    error.category = ErrorCategory::kApi;
  }
  error.retryable = flow_control || response.status >= 500;
  error.message = hint_for(error.result_code, response.status);
  if (error.message.empty() && error.result_code.empty()) {
    error.message = "HTTP " + std::to_string(response.status) + " without a platform result code";
  }
  return error;
}

Error validation_error(std::string message) { return make_error(ErrorCategory::kValidation, std::move(message)); }

}  // namespace

std::string mask_phone_numbers_in(std::string_view text) {
  // A number after '+' has at least 7 digits. Without it, 8: the platform's result codes
  // (1012010) have 7 and must stay readable; shorter runs are counts and times.
  constexpr std::size_t kMinDigitsAfterPlus = 7;
  constexpr std::size_t kMinDigitsBare = 8;
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  std::string masked;
  masked.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t start = i;
    if (text[i] == '+') ++i;
    const std::size_t digits = i;
    while (i < text.size() && is_digit(text[i])) ++i;
    if (i - digits >= (digits > start ? kMinDigitsAfterPlus : kMinDigitsBare)) {
      masked += PhoneNumber::mask_phone_number(text.substr(start, i - start));
    } else {
      if (i == start) ++i;  // any other character
      masked += text.substr(start, i - start);
    }
  }
  return masked;
}

Error error_from_response(const HttpResponse& response) {
  AnswerJson document;
  return error_from_envelope(response, read_envelope(document, response.body));
}

Result<std::shared_ptr<const ClientCore>> ClientCore::create(ClientOptions options) {
  if (options.base_url.empty()) return validation_error("ClientOptions::base_url is empty");
  if (options.base_url.rfind("https://", 0) != 0 && options.base_url.rfind("http://", 0) != 0) {
    return validation_error("ClientOptions::base_url must start with https:// or http://");
  }
  if (options.app_key.empty()) return validation_error("ClientOptions::app_key is empty");
  if (options.app_secret.empty()) return validation_error("ClientOptions::app_secret is empty");
  if (options.retry.max_attempts < 1) return validation_error("RetryPolicy::max_attempts must be at least 1");
  std::shared_ptr<HttpTransport> transport = options.transport;
  if (!transport) {
    CurlTransportOptions curl;
    curl.connect_timeout = options.connect_timeout;
    curl.request_timeout = options.request_timeout;
    curl.tls = options.tls;
    curl.proxy = options.proxy;
    curl.max_connections_per_host = options.max_connections;
    transport = make_curl_transport(curl);
  }
  return std::shared_ptr<const ClientCore>(new ClientCore(std::move(options), std::move(transport)));
}

ClientCore::ClientCore(ClientOptions options, std::shared_ptr<HttpTransport> transport)
    : options_(std::move(options)),
      log_(options_.log ? std::make_shared<const LogHook>(options_.log) : nullptr),
      signer_(options_.app_key, options_.app_secret, options_.signature_scheme, options_.clock,
              options_.nonce_source),
      transport_(std::move(transport)),
      base_url_(options_.base_url),
      user_agent_(std::string("privacycall/") + kVersion +
                  (options_.user_agent.empty() ? "" : " " + options_.user_agent)) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

std::string ClientCore::url_for(std::string_view path, const Query& query) const {
  std::string url = base_url_;
  url += path;
  if (!query.empty()) {
    url += '?';
    url += query.encode();
  }
  return url;
}

RetryDecision decide_retry(const RetryPolicy& policy, Idempotency idempotency, int attempt,
                           std::chrono::steady_clock::duration elapsed, std::chrono::milliseconds backoff,
                           const Result<HttpResponse>& result) {
  bool allowed = false;
  bool flow_control = false;
  if (result.ok()) {
    // Decided from the envelope whatever the status: flow control also comes as HTTP 200 with
    // resultcode 1010010. A success reads as a final, non-retryable answer. Below 400 flow
    // control is the only retryable answer, so a body that cannot hold its code (no such
    // digits, no escape that could spell them) is final without being parsed: every success
    // takes this path, on the async loop thread too.
    const std::string& body = result->body;
    if (result->status < 400 && body.find("1010010") == std::string::npos &&
        body.find('\\') == std::string::npos) {
      return {};
    }
    const Error error = error_from_response(*result);
    if (!error.retryable) return {};  // business and auth errors: the answer is final
    flow_control = is_flow_control(*result, error.result_code);
    allowed = idempotency == Idempotency::kIdempotent;
  } else {
    // Transport errors mark retryable only when the request never left; an idempotent call
    // may be repeated even if it did.
    allowed = result.error().retryable || idempotency == Idempotency::kIdempotent;
  }
  RetryDecision decision;
  decision.pause = full_jitter(backoff);
  if (flow_control) decision.pause = std::max(decision.pause, policy.flow_control_backoff);
  decision.retry = allowed && attempt < policy.max_attempts && elapsed + decision.pause < policy.max_elapsed;
  return decision;
}

namespace {

std::chrono::milliseconds next_backoff(const RetryPolicy& policy, std::chrono::milliseconds backoff) {
  return std::min(policy.max_backoff,
                  std::chrono::milliseconds(static_cast<long long>(backoff.count() * policy.multiplier)));
}

template <typename Clock>
std::chrono::microseconds micros_since(typename Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
}

}  // namespace

Result<HttpRequest> ClientCore::build_request(const ApiCall& call, const CallOptions& options) const {
  HttpRequest request;
  request.method = call.method;
  request.url = url_for(call.path, call.query);
  if (call.body) {
    // The validators refuse text JSON cannot carry; should any slip past them, the call fails
    // as a validation error instead of sending a body the platform cannot read.
    try {
      request.body = call.body->text();
    } catch (const nlohmann::json::type_error&) {
      return validation_error("the request body cannot be sent as JSON: " +
                              call.body->malformed_member().value_or("a member") + " is not UTF-8 text");
    }
  }
  if (options.timeout) request.timeout = *options.timeout;
  return request;
}

void ClientCore::sign_into(HttpRequest& request) const {
  // A fresh nonce and Created for every attempt: a re-sent signature could look replayed.
  SignedHeaders auth = signer_.sign();
  request.headers.clear();
  request.headers.reserve(5);
  request.headers.emplace_back("Content-Type", kContentType);
  request.headers.emplace_back("Accept", "application/json");
  request.headers.emplace_back("Authorization", std::move(auth.authorization));
  request.headers.emplace_back(std::move(auth.token_header), std::move(auth.token_value));
  request.headers.emplace_back("User-Agent", user_agent_);
}

Result<HttpResponse> ClientCore::send(const ApiCall& call, const CallOptions& call_options) const {
  Result<HttpRequest> built = build_request(call, call_options);
  if (!built) return std::move(built).error();
  return send_attempts(std::move(built).value(), call, call_options, true, nullptr);
}

Result<HttpResponse> ClientCore::send_unsigned(HttpRequest request, const ApiCall& described_as,
                                               const CallOptions& options,
                                               const std::function<bool()>& may_retry) const {
  request.headers.emplace_back("User-Agent", user_agent_);
  return send_attempts(std::move(request), described_as, options, false, may_retry);
}

Result<HttpResponse> ClientCore::send_attempts(HttpRequest request, const ApiCall& call,
                                               const CallOptions& call_options, bool sign,
                                               const std::function<bool()>& may_retry) const {
  const RetryPolicy& policy = call_options.retry ? *call_options.retry : options_.retry;
  const auto started = std::chrono::steady_clock::now();
  std::chrono::milliseconds backoff = policy.initial_backoff;
  for (int attempt = 1;; ++attempt) {
    if (sign) sign_into(request);
    const auto attempt_started = std::chrono::steady_clock::now();
    Result<HttpResponse> result = transport_->send(request);
    log_attempt(call, attempt, result, micros_since<std::chrono::steady_clock>(attempt_started));
    const RetryDecision decision = decide_retry(policy, call.idempotency, attempt,
                                                std::chrono::steady_clock::now() - started, backoff, result);
    if (!decision.retry || (may_retry && !may_retry())) return result;
    std::this_thread::sleep_for(decision.pause);
    backoff = next_backoff(policy, backoff);
  }
}

// The state of one async call across its attempts.
struct ClientCore::AsyncAttempt {
  ApiCall call;
  RetryPolicy policy;
  HttpRequest request;
  HttpCallback done;
  std::chrono::steady_clock::time_point started;
  std::chrono::steady_clock::time_point attempt_started;
  std::chrono::steady_clock::time_point start_at;
  std::chrono::milliseconds backoff{0};
  int attempt = 0;
};

void ClientCore::send_async(ApiCall call, const CallOptions& options, HttpCallback done) const {
  Result<HttpRequest> request = build_request(call, options);
  if (!request) {
    done(std::move(request).error());
    return;
  }
  auto state = std::make_shared<AsyncAttempt>();
  state->policy = options.retry ? *options.retry : options_.retry;
  state->request = std::move(request).value();
  call.body.reset();  // serialised into the request; logging needs only method, path and query
  state->call = std::move(call);
  state->done = std::move(done);
  state->started = std::chrono::steady_clock::now();
  state->backoff = state->policy.initial_backoff;
  start_attempt(std::move(state));
}

void ClientCore::start_attempt(std::shared_ptr<AsyncAttempt> state) const {
  ++state->attempt;
  // The transport takes its own copy; the unsigned original stays for a retry.
  HttpRequest request = state->request;
  sign_into(request);
  state->attempt_started = std::max(std::chrono::steady_clock::now(), state->start_at);
  // The callback holds the core weakly: if the last Client goes away, the transport cancels
  // what is pending and no retry is started for a client that no longer exists.
  std::weak_ptr<const ClientCore> weak = shared_from_this();
  const auto start_at = state->start_at;
  transport_->send_async(std::move(request), [weak, state](Result<HttpResponse> result) {
    const std::shared_ptr<const ClientCore> core = weak.lock();
    if (!core) {
      state->done(std::move(result));
      return;
    }
    core->log_attempt(state->call, state->attempt, result,
                      micros_since<std::chrono::steady_clock>(state->attempt_started));
    const RetryDecision decision =
        decide_retry(state->policy, state->call.idempotency, state->attempt,
                     std::chrono::steady_clock::now() - state->started, state->backoff, result);
    if (!decision.retry) {
      state->done(std::move(result));
      return;
    }
    state->start_at = std::chrono::steady_clock::now() + decision.pause;
    state->backoff = next_backoff(state->policy, state->backoff);
    core->start_attempt(state);
  }, start_at);
}

Result<JsonReply> ClientCore::decode_reply(const HttpResponse& response) {
  if (response.status != 200) return error_from_response(response);
  JsonReply reply;
  Envelope envelope = read_envelope(reply.document, response.body);
  if (!envelope.is_object || envelope.result_code != "0") return error_from_envelope(response, std::move(envelope));
  reply.envelope.result_code = std::move(envelope.result_code);
  if (envelope.result_desc) reply.envelope.result_desc = std::move(*envelope.result_desc);
  return reply;
}

void ClientCore::report_callback_exception(const CallbackGuard& guard) noexcept {
  if (!guard.log) return;
  try {
    std::string what = "an exception not derived from std::exception";
    try {
      throw;
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    LogRecord record;
    record.level = LogLevel::kError;
    record.operation = guard.operation;
    // The text is the application's own and may quote a number it was handling.
    if (guard.mask_phone_numbers) what = mask_phone_numbers_in(what);
    record.message = std::string("the callback of ") + guard.operation + " threw (" + what +
                     "); the exception was dropped and the other calls go on";
    (*guard.log)(record);
  } catch (...) {
    // A log hook that throws, or no memory left: nothing more can be reported.
  }
}

void ClientCore::log_attempt(const ApiCall& call, int attempt, const Result<HttpResponse>& result,
                             std::chrono::microseconds latency) const {
  if (!options_.log) return;
  LogRecord record;
  record.method = to_string(call.method);
  record.path = std::string(call.path);
  if (!call.query.empty()) {
    record.path += '?';
    record.path += options_.mask_phone_numbers ? call.query.encode_masked() : call.query.encode();
  }
  record.latency = latency;
  record.attempt = attempt;
  std::string outcome;
  if (result.ok()) {
    record.http_status = result->status;
    AnswerJson document;
    record.result_code = read_envelope(document, result->body).result_code;
    const bool success = result->status == 200 || result->status == 301;
    record.level = success && (record.result_code.empty() || record.result_code == "0")
                       ? LogLevel::kInfo
                       : LogLevel::kWarning;
    outcome = "status=" + std::to_string(result->status) +
              " resultcode=" + (record.result_code.empty() ? "-" : record.result_code);
  } else {
    record.level = LogLevel::kWarning;
    // Transport messages come from the SDK and libcurl and carry no secrets or numbers.
    outcome = "error=" + std::string(privacycall::to_string(result.error().category)) + " (" +
              result.error().message + ")";
  }
  char latency_ms[32];
  std::snprintf(latency_ms, sizeof latency_ms, "%.3f", static_cast<double>(latency.count()) / 1000.0);
  record.message = record.method + " " + record.path + " " + outcome + " latency_ms=" + latency_ms +
                   " attempt=" + std::to_string(attempt);
  try {
    options_.log(record);
  } catch (...) {
    // A throwing log hook must not abort the call, nor the async loop thread it may run on.
  }
}

}  // namespace privacycall::internal
