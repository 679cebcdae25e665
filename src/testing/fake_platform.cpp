#include <privacycall/testing/fake_platform.hpp>

#include <privacycall/signature.hpp>
#include <privacycall/webhook/block_answers.hpp>

#include <ctime>
#include <deque>
#include <map>
#include <random>
#include <stdexcept>
#include <thread>
#include <variant>

#include "common/internal_export.hpp"
#include "webhook_server/httplib_tuning.hpp"
#include "testing/platform_core.hpp"
#include "testing/push_queue.hpp"

namespace privacycall::testing {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

std::vector<FakeNumber> default_numbers() {
  std::vector<FakeNumber> numbers;
  for (int i = 1; i <= 5; ++i) numbers.push_back({"+867550000000" + std::to_string(i), "0755"});
  for (int i = 1; i <= 5; ++i) numbers.push_back({"+861000000000" + std::to_string(i), "010"});
  return numbers;
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Form-style decoding as the platform's servers do it: a raw '+' becomes a space, which is
// why clients must send '+' as %2B.
std::string form_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::multimap<std::string, std::string> parse_query(std::string_view query) {
  std::multimap<std::string, std::string> params;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const std::size_t eq = pair.find('=');
    if (!pair.empty()) {
      params.emplace(form_decode(pair.substr(0, eq)),
                     eq == std::string_view::npos ? std::string() : form_decode(pair.substr(eq + 1)));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return params;
}

}  // namespace

struct PRIVACYCALL_HIDDEN FakePlatform::Impl {
  explicit Impl(FakePlatformOptions options)
      : core(std::move(options)),
        signer(core.options.app_key, core.options.app_secret),
        wsse_signer(core.options.app_key, core.options.app_secret, SignatureScheme::kWsse),
        push_signer(core.options.app_key, core.options.app_secret, core.options.push_scheme) {}

  // A route and the mode whose API it is (none: every mode's).
  struct Route {
    internal::RouteHandler handler;
    std::optional<FakeMode> mode;
  };

  internal::PlatformCore core;
  Signer signer;       // verifies AKSK requests
  Signer wsse_signer;  // verifies WSSE requests (when accepted)
  Signer push_signer;  // signs pushes
  std::vector<std::unique_ptr<internal::ModeSimulator>> modes;
  std::unique_ptr<internal::ApiSimulator> calls_and_recordings;
  std::unique_ptr<internal::PushQueue> pushes;
  std::map<std::pair<std::string, std::string>, Route> routes;

  void add_routes(internal::ApiSimulator& api, std::optional<FakeMode> mode) {
    api.add_routes([this, mode](std::string method, std::string path, internal::RouteHandler handler) {
      routes[{std::move(method), std::move(path)}] = Route{std::move(handler), mode};
    });
  }

  httplib::Server server;
  std::thread server_thread;
  int port = 0;
  std::once_flag stopped;

  static constexpr std::size_t kMaxRecordedRequests = 100000;
  mutable std::mutex requests_mutex;
  std::vector<RecordedRequest> requests;

  std::mutex faults_mutex;
  std::deque<Fault> scripted_faults;
  std::mt19937_64 fault_random{1};

  // The scripted faults first, then one drawn from the configured rates.
  Fault next_fault() {
    std::lock_guard<std::mutex> lock(faults_mutex);
    if (!scripted_faults.empty()) {
      const Fault fault = scripted_faults.front();
      scripted_faults.pop_front();
      return fault;
    }
    const FaultOptions& f = core.options.faults;
    const std::pair<double, Fault> rates[] = {
        {f.server_error_rate, Fault::kServerError},
        {f.flow_control_rate, Fault::kFlowControl},
        {f.drop_before_processing_rate, Fault::kDropBeforeProcessing},
        {f.drop_after_processing_rate, Fault::kDropAfterProcessing},
        {f.truncated_body_rate, Fault::kTruncatedBody},
        {f.slow_body_rate, Fault::kSlowBody},
    };
    double draw = std::uniform_real_distribution<double>(0.0, 1.0)(fault_random);
    for (const auto& [rate, fault] : rates) {
      if (draw < rate) return fault;
      draw -= rate;
    }
    return Fault::kNone;
  }

  void record(const httplib::Request& req) {
    RecordedRequest recorded;
    recorded.method = req.method;
    recorded.path = req.path;
    const auto question = req.target.find('?');
    recorded.query = question == std::string::npos ? std::string() : req.target.substr(question + 1);
    recorded.body = req.body;
    for (const auto& [name, value] : req.headers) recorded.headers.emplace_back(name, value);
    std::lock_guard<std::mutex> lock(requests_mutex);
    // Bounded, so that a long-running simulator does not grow without limit.
    if (requests.size() >= kMaxRecordedRequests) requests.erase(requests.begin(), requests.begin() + kMaxRecordedRequests / 2);
    requests.push_back(std::move(recorded));
  }

  std::chrono::system_clock::time_point platform_now() const {
    return std::chrono::system_clock::now() + core.options.clock_skew;
  }

  // The platform's clock in an HTTP Date header (RFC 7231 IMF-fixdate).
  std::string http_date() const {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(platform_now());
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[64];
    std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S GMT", &utc);
    return buffer;
  }

  // Authenticates like the platform: Authorization and X-AKSK (or X-WSSE when accepted),
  // digest, then clock skew. The refusal's resultdesc adds why, in words.
  std::optional<internal::SimReply> authenticate(const httplib::Request& req) const {
    const auto header = [&req](const char* name) -> std::optional<std::string_view> {
      const auto found = req.headers.find(name);  // cpp-httplib compares names in any case
      if (found == req.headers.end()) return std::nullopt;
      return std::string_view(found->second);
    };
    const SignedRequest request{header("Authorization").value_or(""), header("X-AKSK"),
                                header("X-WSSE")};
    const auto outcome = verify_request(
        request, core.options.accept_wsse,
        [this](SignatureScheme scheme, std::string_view user) -> const Signer* {
          if (user != core.options.app_key) return nullptr;
          return scheme == SignatureScheme::kAksk ? &signer : &wsse_signer;
        },
        platform_now(), core.options.auth_window);
    if (outcome.ok) return std::nullopt;
    internal::SimReply reply = internal::failure(outcome.result_code);
    reply.body["resultdesc"] = reply.body["resultdesc"].get<std::string>() + " (" + outcome.detail + ")";
    return reply;
  }

  FakePlatform* owner = nullptr;

  // The simulator's own control endpoints (not part of the platform's API, so unsigned):
  //   POST /simulator/calls  {"caller": NUM, "called": X[, "extension": E][, "talkSeconds": N]}
  //   POST /simulator/sms    {"calling": NUM, "virtualNumber": X, "content": TEXT[, "block": true]}
  //                          -> {"smsIdentifier": ID, "delivered": BOOL[, "deliveredTo": NUM]}
  //   POST /simulator/number-status {"number": X, "status": "9"[, "cause": "2"]}
  internal::SimReply admin(const httplib::Request& req) {
    internal::SimReply reply;
    const nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
    const auto text = [&body](const char* key) {
      return body.is_object() && body.contains(key) && body[key].is_string() ? body[key].get<std::string>() : std::string();
    };
    const auto refuse = [&reply](int status, std::string message) {
      reply.status = status;
      reply.body = {{"error", std::move(message)}};
      return reply;
    };
    if (req.method != "POST") return refuse(405, "use POST");
    if (!body.is_object()) return refuse(400, "the body must be a JSON object");
    Result<std::string> outcome = std::string();
    if (req.path == "/simulator/calls") {
      FakeCall call{text("caller"), text("called"), std::nullopt, std::chrono::seconds(30)};
      if (!text("extension").empty()) call.extension = text("extension");
      if (body.contains("talkSeconds") && body["talkSeconds"].is_number_integer()) {
        call.talk_time = std::chrono::seconds(body["talkSeconds"].get<long long>());
      }
      outcome = owner->simulate_call(call);
      if (outcome) reply.body = {{"sessionId", *outcome}};
    } else if (req.path == "/simulator/sms") {
      FakeSms sms{text("calling"), text("virtualNumber"), text("content"), body.value("block", false)};
      auto sent = owner->simulate_sms(sms);
      if (!sent) return refuse(400, sent.error().message);
      reply.body = {{"smsIdentifier", sent->sms_identifier}, {"delivered", sent->delivered}};
      if (sent->delivered_to) reply.body["deliveredTo"] = *sent->delivered_to;
    } else if (req.path == "/simulator/number-status") {
      if (text("number").empty() || text("status").empty()) return refuse(400, "number and status are required");
      owner->simulate_number_status(text("number"), text("status"),
                                    text("cause").empty() ? std::nullopt : std::optional<std::string>(text("cause")));
      reply.body = {{"queued", true}};
    } else {
      return refuse(404, "unknown simulator endpoint");
    }
    if (!outcome) return refuse(400, outcome.error().message);
    return reply;
  }

  internal::SimReply dispatch(const httplib::Request& req) {
    if (req.path.rfind("/simulator/", 0) == 0) return admin(req);
    const bool storage = req.path.rfind(std::string(internal::kStoragePathPrefix), 0) == 0;
    if (!storage) {
      if (auto refusal = authenticate(req)) return *refusal;
    }
    const auto route = routes.find({req.method, req.path});
    if (route == routes.end()) {
      internal::SimReply reply;
      reply.status = 404;
      reply.body = {{"resultcode", "404"}, {"resultdesc", "No such API."}};
      return reply;
    }
    internal::SimRequest request;
    request.method = req.method;
    request.path = req.path;
    const auto question = req.target.find('?');
    if (question != std::string::npos) request.query = parse_query(req.target.substr(question + 1));
    if (!req.body.empty()) {
      request.body = nlohmann::json::parse(req.body, nullptr, false);
      if (!request.body.is_object()) {
        return internal::failure("1010002", "Invalid request. The body is not a JSON object.");
      }
    }
    const auto& strict = core.options.strict_mode;
    if (strict && route->second.mode && *route->second.mode != *strict) return internal::failure("1010040");
    return route->second.handler(request);
  }

  void handle(const httplib::Request& req, httplib::Response& res) {
    record(req);
    // Faults hit the platform's API, not the simulator's own recording storage.
    const bool own_endpoint = req.path.rfind(std::string(internal::kStoragePathPrefix), 0) == 0 ||
                              req.path.rfind("/simulator/", 0) == 0;
    const Fault fault = own_endpoint ? Fault::kNone : next_fault();
    if (core.options.faults.latency.count() > 0) std::this_thread::sleep_for(core.options.faults.latency);
    internal::SimReply reply;
    switch (fault) {
      case Fault::kServerError:
        reply = internal::failure("1010001");
        reply.status = 503;
        return send(reply, res, fault);
      case Fault::kFlowControl:
        reply = internal::failure("1010010", "The flow control upper limit is reached on the platform.");
        reply.status = 429;
        return send(reply, res, fault);
      case Fault::kDropBeforeProcessing:
        return send(internal::failure("1010001"), res, fault);
      default:
        break;
    }
    try {
      reply = dispatch(req);
    } catch (const std::exception&) {
      reply = internal::failure("1010001");
    }
    send(reply, res, fault);
  }

  // Writes the answer, or breaks it as the fault says. Breaking uses a content provider that
  // stops early, which makes cpp-httplib close the connection mid-answer.
  void send(const internal::SimReply& reply, httplib::Response& res, Fault fault) const {
    res.status = reply.status;
    res.set_header("Date", http_date());
    for (const auto& [name, value] : reply.headers) res.set_header(name, value);
    if (reply.binary_body) {
      // Streamed in pieces like a storage host would, so clients meet real chunking.
      std::shared_ptr<const std::string> bytes = reply.binary_body;
      res.set_content_provider(bytes->size(), reply.content_type,
                               [bytes](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                                 constexpr std::size_t kPiece = 64 * 1024;
                                 return sink.write(bytes->data() + offset, std::min(length, kPiece));
                               });
      return;
    }
    if (reply.body.is_null()) return;
    auto body = std::make_shared<std::string>(reply.body.dump());
    const char* type = "application/json;charset=UTF-8";
    switch (fault) {
      case Fault::kDropBeforeProcessing:
      case Fault::kDropAfterProcessing:
        res.set_content_provider(body->size(), type, [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
        return;
      case Fault::kTruncatedBody:
        res.set_content_provider(body->size(), type, [body](std::size_t offset, std::size_t, httplib::DataSink& sink) {
          if (offset > 0) return false;
          sink.write(body->data(), body->size() / 2);
          return true;
        });
        return;
      case Fault::kSlowBody: {
        const auto pause = core.options.faults.slow_body_pause;
        res.set_content_provider(body->size(), type, [body, pause](std::size_t offset, std::size_t, httplib::DataSink& sink) {
          std::this_thread::sleep_for(pause);
          sink.write(body->data() + offset, std::min<std::size_t>(8, body->size() - offset));
          return true;
        });
        return;
      }
      default:
        res.set_content(*body, type);
    }
  }
};

FakePlatform::FakePlatform(FakePlatformOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  Impl& impl = *impl_;
  impl.fault_random.seed(impl.core.options.faults.seed);
  impl.pushes = std::make_unique<internal::PushQueue>(impl.push_signer, impl.core.clock,
                                                      impl.core.options.repush_with_original_header);
  impl.owner = this;
  const auto add_mode = [&impl](FakeMode mode, std::unique_ptr<internal::ModeSimulator> simulator) {
    impl.add_routes(*simulator, mode);
    impl.modes.push_back(std::move(simulator));
  };
  add_mode(FakeMode::kAxb, internal::make_axb_simulator(impl.core));
  add_mode(FakeMode::kAx, internal::make_ax_simulator(impl.core));
  add_mode(FakeMode::kAxe, internal::make_axe_simulator(impl.core));
  add_mode(FakeMode::kAxyb, internal::make_axyb_simulator(impl.core));
  impl.calls_and_recordings = internal::make_call_recording_simulator(impl.core);
  impl.add_routes(*impl.calls_and_recordings, std::nullopt);

  privacycall::internal::HttpServerTuning tuning;
  tuning.threads = static_cast<std::size_t>(std::max(1, impl.core.options.threads));
  const auto listening_fd = privacycall::internal::tune_http_server(impl.server, tuning);
  const auto handler = [&impl](const httplib::Request& req, httplib::Response& res) { impl.handle(req, res); };
  impl.server.Get(".*", handler);
  impl.server.Post(".*", handler);
  impl.server.Put(".*", handler);
  impl.server.Delete(".*", handler);

  const std::string& host = impl.core.options.host;
  if (host != "127.0.0.1" && host != "::1" && host != "localhost") {
    throw std::runtime_error("FakePlatform listens on loopback only (127.0.0.1 or ::1)");
  }
  impl.port = impl.core.options.port == 0 ? impl.server.bind_to_any_port(host)
                                          : (impl.server.bind_to_port(host, impl.core.options.port)
                                                 ? impl.core.options.port
                                                 : -1);
  if (impl.port <= 0) throw std::runtime_error("FakePlatform could not listen on " + host);
  impl.core.base_url = base_url();  // before the server thread starts: download URLs need it
  privacycall::internal::raise_backlog(*listening_fd, tuning.backlog);
  impl.server_thread = std::thread([&impl] { impl.server.listen_after_bind(); });
  // stop() is a no-op until the accept loop runs, so do not hand out the platform before.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!impl.server.is_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
}

FakePlatform::~FakePlatform() { stop(); }

void FakePlatform::stop() {
  std::call_once(impl_->stopped, [this] {
    impl_->server.stop();
    if (impl_->server_thread.joinable()) impl_->server_thread.join();
  });
}

std::string FakePlatform::base_url() const {
  const std::string& host = impl_->core.options.host;
  const std::string shown = host == "::1" ? "[::1]" : host;
  return "http://" + shown + ":" + std::to_string(impl_->port);
}

int FakePlatform::port() const { return impl_->port; }

const FakePlatformOptions& FakePlatform::options() const { return impl_->core.options; }

ClientOptions FakePlatform::client_options() const {
  ClientOptions options;
  options.base_url = base_url();
  options.app_key = impl_->core.options.app_key;
  options.app_secret = impl_->core.options.app_secret;
  return options;
}

void FakePlatform::inject(Fault fault, int count) {
  std::lock_guard<std::mutex> lock(impl_->faults_mutex);
  for (int i = 0; i < count; ++i) impl_->scripted_faults.push_back(fault);
}

void FakePlatform::advance_time(std::chrono::seconds amount) { impl_->core.clock.advance(amount); }

std::chrono::system_clock::time_point FakePlatform::now() const { return impl_->core.clock.now(); }

void FakePlatform::add_recording(const std::string& file_name, const std::string& record_domain, std::string bytes) {
  internal::SimRecording recording;
  recording.bytes = std::make_shared<const std::string>(std::move(bytes));
  recording.stored_at = impl_->core.clock.now();
  recording.token = impl_->core.next_token();
  std::lock_guard<std::mutex> lock(impl_->core.mutex);
  impl_->core.recordings[{record_domain, file_name}] = std::move(recording);
}

void FakePlatform::add_active_session(const std::string& session_id) {
  std::lock_guard<std::mutex> lock(impl_->core.mutex);
  impl_->core.active_sessions.insert(session_id);
}

bool FakePlatform::is_session_active(const std::string& session_id) const {
  std::lock_guard<std::mutex> lock(impl_->core.mutex);
  return impl_->core.active_sessions.count(session_id) != 0;
}

std::vector<RecordedRequest> FakePlatform::requests() const {
  std::lock_guard<std::mutex> lock(impl_->requests_mutex);
  return impl_->requests;
}

void FakePlatform::clear_requests() {
  std::lock_guard<std::mutex> lock(impl_->requests_mutex);
  impl_->requests.clear();
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::testing

// ---- call, SMS and number-status simulation -----------------------------------------------

namespace privacycall::testing {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN
namespace {

using nlohmann::json;

std::string wire_time(std::chrono::system_clock::time_point t) { return internal::format_subscribe_time(t); }

json event(const std::string& type, json status_info) {
  return {{"eventType", type}, {"statusInfo", std::move(status_info)}};
}

}  // namespace

Result<std::string> FakePlatform::simulate_call(const FakeCall& call) {
  Impl& impl = *impl_;
  for (const auto* number : {&call.caller, &call.called}) {
    if (auto parsed = PhoneNumber::parse(*number); !parsed) return parsed.error();
  }
  std::optional<internal::CallRoute> route;
  {
    std::lock_guard<std::mutex> lock(impl.core.mutex);
    for (auto& mode : impl.modes) {
      route = mode->route_call(call.caller, call.called, call.extension);
      if (route) break;
    }
  }
  const std::string session = "sim_" + impl.core.next_token() + "@callenabler.fakeplatform.local";
  const auto start = impl.core.clock.now();
  const std::string& status_url = impl.core.options.status_url;
  json base = {{"sessionId", session}, {"caller", call.caller}, {"called", call.called}};
  std::optional<std::string> x_mode_user_data;
  bool x_mode = false;

  if (!route) {
    if (status_url.empty()) {
      Error error;
      error.category = ErrorCategory::kValidation;
      error.message = "no binding routes calls to " + PhoneNumber::mask_phone_number(call.called) +
                      " and no status_url is set for X mode";
      return error;
    }
    // X mode: the platform has no binding and asks the customer where to route this call.
    x_mode = true;
    json callin = base;
    callin["timestamp"] = wire_time(start);
    callin["notifyMode"] = "Block";
    internal::CallRoute decided;
    decided.mode = "X";
    decided.display_number = call.called;
    // The answer is read as the SDK's receiver writes it (either connectInfo form).
    const auto answer = impl.pushes->ask(status_url, event("callin", callin).dump());
    const auto decision = answer.ok() && answer->status == 200 ? webhook::parse_x_mode_answer(answer->body)
                                                               : Result<webhook::XModeAnswer>(Error{});
    if (!decision) {
      decided.failure_code = 8014;  // an unusable answer or none at all: the call is released
    } else if (const auto* connect = std::get_if<webhook::XModeConnect>(&decision->action)) {
      decided.callee = connect->callee.str();
      decided.record = connect->record.value_or(false);
      x_mode_user_data = connect->user_data;
    } else {
      // "close": released as the customer asked (no callee, no failure).
      x_mode_user_data = std::get<webhook::XModeClose>(decision->action).user_data;
    }
    route = decided;
  }

  const bool connected = route->failure_code == 0 && !route->callee.empty();
  const auto at = [&](int seconds) { return wire_time(start + std::chrono::seconds(seconds)); };
  const auto push_event = [&](const std::string& type, int second, json extra) {
    if (status_url.empty()) return;
    json info = base;
    info["timestamp"] = at(second);
    if (!route->subscription_id.empty()) info["subscriptionId"] = route->subscription_id;
    if (x_mode) info["notifyMode"] = "Notify";
    if (x_mode_user_data) info["userData"] = *x_mode_user_data;
    info.merge_patch(extra);  // RFC 7386: a null in `extra` removes that member
    impl.pushes->push(status_url, event(type, info).dump());
  };

  const int talk = static_cast<int>(call.talk_time.count());
  if (!x_mode) push_event("callin", 0, route->user_data ? json{{"userData", *route->user_data}} : json::object());
  if (call.extension && route->mode == "AXE") {
    // The caller typed E after the prompt: collectInfo carries the digits and, unlike the other
    // events, no caller or called (notifications.md §4.2).
    push_event("collectInfo", 1, {{"digitInfo", *call.extension}, {"caller", nullptr}, {"called", nullptr}});
  }
  if (connected) {
    push_event("callout", 1, {{"called", route->callee}});
    push_event("alerting", 2, {{"called", route->callee}});
    push_event("answer", 4, {{"called", route->callee}});
    push_event("disconnect", 4 + talk, {{"called", route->callee}, {"stateCode", 0},
                                         {"stateDesc", "The user releases the call."}, {"callRelDirection", 1}});
  } else {
    const int code = route->failure_code == 0 ? 7501 : route->failure_code;
    push_event("disconnect", 1, {{"stateCode", code}, {"stateDesc", "The call was released."}});
  }

  json fee = {{"direction", connected ? 1 : 2},
              {"spId", "fakeplatform-sp"},
              {"appKey", impl.core.options.app_key},
              {"icid", "icid-" + session.substr(0, session.find('@'))},
              {"bindNum", call.called},
              {"sessionId", session},
              {"callerNum", call.caller},
              {"calleeNum", call.called},
              {"callInTime", at(0)},
              {"fwdUnaswRsn", 0},
              {"ulFailReason", connected ? 0 : (route->failure_code == 0 ? 7501 : route->failure_code)},
              {"sipStatusCode", 0},
              {"callOutUnaswRsn", 0},
              {"recordFlag", 0},
              {"serviceType", "003"},
              {"hostName", "callenabler.fakeplatform.local"}};
  if (!route->subscription_id.empty()) fee["subscriptionId"] = route->subscription_id;
  if (call.extension && route->mode == "AXE") fee["extendNum"] = *call.extension;
  if (x_mode) fee["notifyMode"] = "Block";
  if (x_mode_user_data) fee["userData"] = *x_mode_user_data;
  if (connected) {
    fee["fwdDisplayNum"] = route->display_number.empty() ? call.called : route->display_number;
    fee["fwdDstNum"] = route->callee;
    fee["fwdStartTime"] = at(1);
    fee["fwdAlertingTime"] = at(2);
    fee["fwdAnswerTime"] = at(4);
    fee["callEndTime"] = at(4 + talk);
    // Calls shorter than about 3 s have no recording (requests.md §7).
    if (route->record && talk >= 3) {
      const std::string file = "rec_" + impl.core.next_token() + ".wav";
      const std::string domain = "obs.fakeplatform.local";
      add_recording(file, domain, "RIFF-simulated-recording-of-" + session);
      fee["recordFlag"] = 1;
      fee["recordStartTime"] = at(4);
      fee["recordDomain"] = domain;
      fee["recordBucketName"] = "fakeplatform-records";
      fee["recordObjectName"] = file;
    }
  } else {
    fee["callEndTime"] = at(1);
    fee["failTime"] = at(1);
  }
  if (!impl.core.options.fee_url.empty()) {
    impl.pushes->push(impl.core.options.fee_url, json{{"eventType", "fee"}, {"feeLst", json::array({fee})}}.dump());
  }
  return session;
}

Result<FakeSmsResult> FakePlatform::simulate_sms(const FakeSms& sms) {
  Impl& impl = *impl_;
  for (const auto* number : {&sms.calling, &sms.virtual_number}) {
    if (auto parsed = PhoneNumber::parse(*number); !parsed) return parsed.error();
  }
  if (impl.core.options.sms_url.empty()) {
    Error error;
    error.category = ErrorCategory::kValidation;
    error.message = "no sms_url is set";
    return error;
  }
  FakeSmsResult result;
  result.sms_identifier = "sms_" + impl.core.next_token();
  json event_info = {{"smsIdentifier", result.sms_identifier},
                     {"calling", sms.calling},
                     {"virtualNumber", sms.virtual_number},
                     {"event", "TextSMS"},
                     {"timeStamp", format_created(impl.core.clock.now()).insert(19, ".000")},
                     {"smsContent", sms.content}};
  if (sms.block) {
    json block = event_info;
    block["notificationMode"] = "Block";
    const auto answer = impl.pushes->ask(impl.core.options.sms_url,
                                         json{{"appKey", impl.core.options.app_key}, {"smsEvent", block}}.dump());
    // No answer, an unusable one, DiscardMessage, or a message.calling other than the sender
    // (notifications.md §8.5: it must equal the request's calling): the SMS is dropped.
    const auto decided = answer.ok() && answer->status == 200 ? webhook::parse_sms_block_answer(answer->body)
                                                              : Result<webhook::SmsBlockAnswer>(webhook::SmsBlockAnswer::discard());
    if (!decided || decided->operation != webhook::SmsBlockAnswer::Operation::kRoute ||
        (decided->calling && decided->calling->str() != sms.calling)) {
      return result;
    }
    if (decided->called) result.delivered_to = decided->called->str();
  }
  result.delivered = true;
  json notify = event_info;
  notify["notificationMode"] = "Notify";
  notify["sendResult"] = 0;
  if (result.delivered_to) notify["called"] = *result.delivered_to;
  impl.pushes->push(impl.core.options.sms_url,
                    json{{"appKey", impl.core.options.app_key}, {"smsEvent", notify}}.dump());
  return result;
}

void FakePlatform::simulate_number_status(const std::string& number, const std::string& status,
                                          const std::optional<std::string>& cause) {
  if (impl_->core.options.status_url.empty()) return;
  json entry = {{"number", number}, {"status", status}};
  if (cause) entry["cause"] = *cause;
  impl_->pushes->push(impl_->core.options.status_url,
                      json{{"eventType", "numStatus"}, {"numInfo", json::array({entry})}}.dump());
}

bool FakePlatform::wait_for_pushes(std::chrono::milliseconds timeout) const {
  return impl_->pushes->wait_until_idle(timeout);
}

std::size_t FakePlatform::push_attempts() const { return impl_->pushes->attempts(); }

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::testing
