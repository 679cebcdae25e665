#ifndef PRIVACYCALL_SRC_TESTING_PLATFORM_CORE_HPP
#define PRIVACYCALL_SRC_TESTING_PLATFORM_CORE_HPP

// The FakePlatform's shared machinery: requests and replies independent of the HTTP server,
// the documented result codes, parameter readers that answer 1010002 like the platform, and
// the interface each binding mode implements.

#include <privacycall/phone_number.hpp>
#include <privacycall/testing/fake_platform.hpp>

#include <nlohmann/json.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/internal_export.hpp"
#include "testing/sim_clock.hpp"

namespace privacycall::testing::internal {

/// A request after HTTP decoding: query parameters percent-decoded, body parsed.
struct SimRequest {
  std::string method;
  std::string path;
  std::multimap<std::string, std::string> query;
  /// The JSON body; null when there was none.
  nlohmann::json body;
};

struct SimReply {
  int status = 200;
  nlohmann::json body = nlohmann::json::object();
  HttpHeaders headers;
  /// When set, served instead of `body`, streamed in pieces (recording downloads).
  std::shared_ptr<const std::string> binary_body;
  std::string content_type;
};

/// Paths under this prefix are the simulator's own storage host (recording downloads), not the
/// platform's API: like the real pre-signed download URLs they need no signature.
inline constexpr std::string_view kStoragePathPrefix = "/sim/";

using TimePoint = std::chrono::system_clock::time_point;

/// "yyyy-MM-dd HH:mm:ss" in UTC, the platform's subscribeTime format.
std::string format_subscribe_time(TimePoint t);

/// {"resultcode":"0","resultdesc":"Success"} plus `fields`.
SimReply success(nlohmann::json fields = nlohmann::json::object());

/// The platform's answer for a result code: its documented HTTP status and text.
/// `detail` replaces the standard resultdesc when given (e.g. naming the bad parameter).
SimReply failure(std::string_view code, std::string detail = {});

/// Reads parameters from the query string (GET/DELETE) or the JSON body (POST/PUT), checking
/// formats as the platform does. The first problem is kept as a 1010002 reply.
class Params {
 public:
  explicit Params(const SimRequest& request) : request_(request) {}

  std::optional<std::string> text(const char* name);
  /// text(), recording a missing-parameter problem when absent.
  std::optional<std::string> required_text(const char* name);
  /// A phone number in global format; anything else is a 1010002 naming the field.
  std::optional<PhoneNumber> number(const char* name);
  /// number(), recording a missing-parameter problem when absent.
  std::optional<PhoneNumber> required_number(const char* name);
  /// Free text of 1-256 characters without braces (`userData`).
  std::optional<std::string> user_data(const char* name = "userData");
  /// An integer, sent as a JSON number or a numeric string, within [min, max].
  std::optional<long long> integer(const char* name, long long min, long long max);
  /// "true" / "false" (a JSON boolean is tolerated, as Huawei's own demos send it).
  std::optional<bool> flag(const char* name);
  /// One of the listed values.
  std::optional<std::string> one_of(const char* name, std::initializer_list<const char*> values);
  /// A nested object.
  const nlohmann::json* object(const char* name);

  /// Records that a required parameter is missing.
  void missing(const char* name);
  /// Records a problem unless one was recorded before.
  void invalid(const std::string& detail);

  const std::optional<SimReply>& error() const { return error_; }

 private:
  const nlohmann::json* raw(const char* name);
  const SimRequest& request_;
  std::optional<SimReply> error_;
  nlohmann::json query_value_;  // holds a query parameter as JSON while it is read
};

/// Collects optional settings, validated, into a JSON object exactly as they will be echoed by
/// queries ("true"/"false" for flags, whatever the client sent).
class SettingsReader {
 public:
  explicit SettingsReader(Params& params) : p_(params) {}
  SettingsReader& flag(const char* name) {
    if (auto v = p_.flag(name)) out[name] = *v ? "true" : "false";
    return *this;
  }
  SettingsReader& text(const char* name) {
    if (auto v = p_.text(name)) out[name] = *v;
    return *this;
  }
  SettingsReader& number(const char* name) {
    if (auto v = p_.number(name)) out[name] = v->str();
    return *this;
  }
  SettingsReader& integer(const char* name, long long min, long long max) {
    if (auto v = p_.integer(name, min, max)) out[name] = *v;
    return *this;
  }
  SettingsReader& one_of(const char* name, std::initializer_list<const char*> values) {
    if (auto v = p_.one_of(name, values)) out[name] = *v;
    return *this;
  }
  SettingsReader& object(const char* name) {
    if (const nlohmann::json* v = p_.object(name)) out[name] = *v;
    return *this;
  }
  SettingsReader& user_data() {
    if (auto v = p_.user_data()) out["userData"] = *v;
    return *this;
  }

  nlohmann::json out = nlohmann::json::object();

 private:
  Params& p_;
};

/// Merges `update` into `settings` (modify: absent fields stay as they were).
inline void merge_settings(nlohmann::json& settings, const nlohmann::json& update) {
  for (const auto& [key, value] : update.items()) settings[key] = value;
}

/// Where a simulated call through X ends up, as decided by a binding mode.
struct CallRoute {
  std::string mode;              ///< "AXB", "AX", "AXE", "AXYB"
  std::string subscription_id;
  std::string callee;            ///< the real number the platform forwards to
  std::string display_number;    ///< what the callee sees (normally X)
  bool record = false;
  std::optional<std::string> user_data;
  /// Q.850-style failure when there is no route (stateCode for disconnect), 0 when routed.
  int failure_code = 0;

  /// A call that cannot be connected, with its hang-up cause (codes.md §1).
  static CallRoute refused(std::string mode, std::string subscription_id, int code) {
    CallRoute route;
    route.mode = std::move(mode);
    route.subscription_id = std::move(subscription_id);
    route.failure_code = code;
    return route;
  }
};

/// A recording the simulated storage holds.
struct SimRecording {
  std::shared_ptr<const std::string> bytes;
  TimePoint stored_at;
  /// Unguessable name of its download URL.
  std::string token;
};

/// Everything the modes share. Each mode keeps its own bindings and guards them with `mutex`.
class PlatformCore {
 public:
  PRIVACYCALL_INTERNAL_EXPORT explicit PlatformCore(FakePlatformOptions options);

  const FakePlatformOptions options;
  SimClock clock;
  std::mutex mutex;
  /// "http://127.0.0.1:PORT"; set once the server is bound, before it serves anything.
  std::string base_url;

  // State that belongs to no single mode, guarded by `mutex`: calls in progress (by sessionId),
  // for stop call, and recordings by (recordDomain, fileName).
  std::set<std::string> active_sessions;
  std::map<std::pair<std::string, std::string>, SimRecording> recordings;

  /// The owned number equal to `number`, or nullptr.
  const FakeNumber* find_number(const std::string& number) const;
  /// The numbers to try when picking a privacy number: those of `area` first; then, when `loose`
  /// or no area is given, all the others.
  std::vector<const FakeNumber*> candidates(const std::optional<std::string>& area, bool loose) const;
  /// A fresh binding ID.
  std::string next_subscription_id();
  /// A fresh opaque token (download URLs).
  std::string next_token();

 private:
  std::atomic<unsigned long long> counter_{0};
};

/// Erases the entries of `bindings` whose `expires_at` has passed.
template <typename Map>
void purge_expired(Map& bindings, TimePoint now) {
  for (auto it = bindings.begin(); it != bindings.end();) {
    if (it->second.expires_at && *it->second.expires_at <= now) {
      it = bindings.erase(it);
    } else {
      ++it;
    }
  }
}

using RouteHandler = std::function<SimReply(const SimRequest&)>;
/// Registers a handler for an exact method and path.
using RouteRegistry = std::function<void(std::string method, std::string path, RouteHandler)>;

/// A part of the simulator that serves some of the platform's API.
class ApiSimulator {
 public:
  virtual ~ApiSimulator() = default;
  virtual void add_routes(const RouteRegistry& registry) = 0;
};

/// One binding mode of the simulator.
class ModeSimulator : public ApiSimulator {
 public:
  /// Resolves a call from `caller` to privacy number `x` (with an AXE extension when given);
  /// nullopt when this mode has no binding on x. Called with PlatformCore::mutex held. Modes
  /// whose routing has memory (AXE call-back records, AXYB's automatic Y) update it here, so
  /// call it once per simulated call.
  virtual std::optional<CallRoute> route_call(const std::string& caller, const std::string& x,
                                              const std::optional<std::string>& extension) = 0;
};

std::unique_ptr<ModeSimulator> make_axb_simulator(PlatformCore& core);
PRIVACYCALL_INTERNAL_EXPORT std::unique_ptr<ModeSimulator> make_ax_simulator(PlatformCore& core);
PRIVACYCALL_INTERNAL_EXPORT std::unique_ptr<ModeSimulator> make_axe_simulator(PlatformCore& core);
PRIVACYCALL_INTERNAL_EXPORT std::unique_ptr<ModeSimulator> make_axyb_simulator(PlatformCore& core);
/// Stop call and recording download URLs (every mode), plus the storage host serving recordings.
std::unique_ptr<ApiSimulator> make_call_recording_simulator(PlatformCore& core);

}  // namespace privacycall::testing::internal

#endif  // PRIVACYCALL_SRC_TESTING_PLATFORM_CORE_HPP
