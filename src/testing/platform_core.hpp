#ifndef PRIVACYCALL_TESTING_PLATFORM_CORE_HPP
#define PRIVACYCALL_TESTING_PLATFORM_CORE_HPP

// The FakePlatform's shared machinery: requests and replies independent of the HTTP server,
// the documented result codes, parameter readers that answer 1010002 like the platform, and
// the interface each binding mode implements.

#include <privacycall/phone_number.hpp>
#include <privacycall/testing/fake_platform.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

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
};

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
  /// A phone number in global format; anything else is a 1010002 naming the field.
  std::optional<PhoneNumber> number(const char* name);
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
};

/// Everything the modes share. Each mode keeps its own bindings and guards them with `mutex`.
class PlatformCore {
 public:
  explicit PlatformCore(FakePlatformOptions options);

  const FakePlatformOptions options;
  SimClock clock;
  std::mutex mutex;

  /// The owned number equal to `number`, or nullptr.
  const FakeNumber* find_number(const std::string& number) const;
  /// A fresh binding ID.
  std::string next_subscription_id();

 private:
  std::atomic<unsigned long long> counter_{0};
};

using RouteHandler = std::function<SimReply(const SimRequest&)>;
/// Registers a handler for an exact method and path.
using RouteRegistry = std::function<void(std::string method, std::string path, RouteHandler)>;

/// One binding mode of the simulator.
class ModeSimulator {
 public:
  virtual ~ModeSimulator() = default;
  virtual void add_routes(const RouteRegistry& registry) = 0;
  /// Resolves a call from `caller` to privacy number `x` (with an AXE extension when given);
  /// nullopt when this mode has no binding on x. Called with PlatformCore::mutex held.
  virtual std::optional<CallRoute> route_call(const std::string& caller, const std::string& x,
                                              const std::optional<std::string>& extension) = 0;
};

std::unique_ptr<ModeSimulator> make_axb_simulator(PlatformCore& core);

}  // namespace privacycall::testing::internal

#endif  // PRIVACYCALL_TESTING_PLATFORM_CORE_HPP
