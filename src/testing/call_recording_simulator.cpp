// The FakePlatform's endpoints shared by every mode: stop call, the recording download URL, and
// the simulated storage host that serves the recordings those URLs point to.

#include "testing/platform_core.hpp"

namespace privacycall::testing::internal {
namespace {

constexpr const char* kStopPath = "/rest/httpsessions/callStop/v2.0";
constexpr const char* kRecordPath = "/rest/provision/voice/record/v1.0";
constexpr const char* kDownloadPath = "/sim/recordings/download";
// Recordings are kept 7 days after the CDR push, then answered with 1012007.
constexpr std::chrono::hours kRecordingLifetime{24 * 7};

class CallRecordingSimulator final : public ApiSimulator {
 public:
  explicit CallRecordingSimulator(PlatformCore& core) : core_(core) {}

  void add_routes(const RouteRegistry& add) override {
    add("POST", kStopPath, [this](const SimRequest& r) { return stop_call(r); });
    add("GET", kRecordPath, [this](const SimRequest& r) { return download_url(r); });
    add("GET", kDownloadPath, [this](const SimRequest& r) { return download(r); });
  }

 private:
  SimReply stop_call(const SimRequest& request) {
    Params p(request);
    auto session = p.required_text("sessionid");
    auto signal = p.required_text("signal");
    if (signal && *signal != "call_stop") p.invalid("Invalid request. signal must be call_stop.");
    if (p.error()) return *p.error();
    std::lock_guard<std::mutex> lock(core_.mutex);
    // Unknown or already over: the call cannot be stopped (again).
    if (core_.active_sessions.erase(*session) == 0) return failure("1020152");
    return success();
  }

  SimReply download_url(const SimRequest& request) {
    Params p(request);
    auto file = p.required_text("fileName");
    auto domain = p.required_text("recordDomain");
    if (p.error()) return *p.error();
    std::lock_guard<std::mutex> lock(core_.mutex);
    const SimRecording* recording = find_live([&](const auto& key, const SimRecording&) {
      return key.first == *domain && key.second == *file;
    });
    if (recording == nullptr) return failure("1012007");
    // Success is a bare 301: no result code, the URL in Location.
    SimReply reply;
    reply.status = 301;
    reply.body = nullptr;
    reply.headers.emplace_back("Location", core_.base_url + kDownloadPath + "?token=" + recording->token);
    return reply;
  }

  SimReply download(const SimRequest& request) {
    const auto token = request.query.find("token");
    std::lock_guard<std::mutex> lock(core_.mutex);
    const SimRecording* recording =
        token == request.query.end() ? nullptr : find_live([&](const auto&, const SimRecording& r) {
          return r.token == token->second;
        });
    if (recording == nullptr) {
      SimReply reply;
      reply.status = 404;
      reply.body = {{"resultcode", "1012007"}, {"resultdesc", "The record does not exist."}};
      return reply;
    }
    SimReply reply;
    reply.binary_body = recording->bytes;
    reply.content_type = "audio/wav";
    return reply;
  }

  // The first recording younger than its lifetime that `match`es; called with the mutex held.
  template <typename Match>
  const SimRecording* find_live(Match match) const {
    const auto now = core_.clock.now();
    for (const auto& [key, recording] : core_.recordings) {
      if (now - recording.stored_at < kRecordingLifetime && match(key, recording)) return &recording;
    }
    return nullptr;
  }

  PlatformCore& core_;
};

}  // namespace

std::unique_ptr<ApiSimulator> make_call_recording_simulator(PlatformCore& core) {
  return std::make_unique<CallRecordingSimulator>(core);
}

}  // namespace privacycall::testing::internal
