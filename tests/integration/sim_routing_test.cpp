// White-box tests of the simulator's call routing (ModeSimulator::route_call), which the call
// simulation uses to decide whom a call through a privacy number reaches. The modes are driven
// through their route handlers directly, without HTTP.

#include <map>

#include "support/catch.hpp"
#include "testing/platform_core.hpp"

using namespace std::chrono_literals;
using nlohmann::json;
using privacycall::testing::FakePlatformOptions;
using namespace privacycall::testing::internal;

namespace {

const std::string kA = "+8613800000021";
const std::string kB = "+8613800000022";
const std::string kC = "+8613800000023";
const std::string kX = "+8675500000001";

// One mode of the simulator with its routes, called like the platform would call them.
class Mode {
 public:
  template <typename Factory>
  explicit Mode(Factory make) : core_(options()), mode_(make(core_)) {
    mode_->add_routes([this](std::string method, std::string path, RouteHandler handler) {
      routes_[{std::move(method), std::move(path)}] = std::move(handler);
    });
  }

  // POST/PUT carry `params` as the body, GET/DELETE as the query string; `query` is added to
  // the query string either way.
  json call(const std::string& method, const std::string& path, const json& params,
            const std::multimap<std::string, std::string>& query = {}) {
    SimRequest request;
    request.method = method;
    request.path = path;
    request.query = query;
    if (method == "GET" || method == "DELETE") {
      for (const auto& [key, value] : params.items()) request.query.emplace(key, value.get<std::string>());
    } else {
      request.body = params;
    }
    const SimReply reply = routes_.at({method, path})(request);
    REQUIRE(reply.body["resultcode"] == "0");
    return reply.body;
  }

  std::optional<CallRoute> route(const std::string& caller, const std::string& x,
                                 const std::optional<std::string>& extension = std::nullopt) {
    std::lock_guard<std::mutex> lock(core_.mutex);
    return mode_->route_call(caller, x, extension);
  }

  void advance(std::chrono::seconds amount) { core_.clock.advance(amount); }

 private:
  static FakePlatformOptions options() {
    FakePlatformOptions o;
    o.numbers = {{kX, "0755"}, {"+8675500000002", "0755"}, {"+8675500000003", "0755"}};
    return o;
  }

  PlatformCore core_;
  std::unique_ptr<ModeSimulator> mode_;
  std::map<std::pair<std::string, std::string>, RouteHandler> routes_;
};

}  // namespace

TEST_CASE("AX routes others to A and A to an unexpired temporary callee") {
  Mode ax(make_ax_simulator);
  const std::string path = "/rest/provision/caas/privatenumber/v1.0";
  const std::string id = ax.call("POST", path, {{"origNum", kA}, {"privateNum", kX}})["subscriptionId"];
  CHECK_FALSE(ax.route(kA, "+8675500000002"));  // not an AX number

  auto route = ax.route(kB, kX);
  REQUIRE(route);
  CHECK(route->failure_code == 0);
  CHECK(route->callee == kA);
  CHECK(route->display_number == kX);
  CHECK(route->subscription_id == id);

  CHECK(ax.route(kA, kX)->failure_code == 8013);  // no temporary callee yet
  ax.call("PUT", "/rest/caas/privatenumber/calleenumber/v1.0", {{"subscriptionId", id}, {"calleeNum", kC}});
  route = ax.route(kA, kX);
  CHECK(route->callee == kC);
  CHECK(route->display_number == kX);
  ax.advance(59s);
  CHECK(ax.route(kA, kX)->callee == kC);
  ax.advance(2s);  // the default 60 s have passed
  CHECK(ax.route(kA, kX)->failure_code == 8013);

  ax.call("PUT", "/rest/caas/privatenumber/calleenumber/v1.0",
          {{"privateNum", kX}, {"calleeNum", kB}, {"duration", 600}, {"userData", "next"}});
  ax.advance(599s);
  route = ax.route(kA, kX);
  CHECK(route->callee == kB);
  CHECK(route->user_data == "next");
  ax.advance(2s);
  CHECK(ax.route(kA, kX)->failure_code == 8013);

  ax.call("PUT", path, {{"subscriptionId", id}, {"calleeNumDisplay", "1"}, {"callDirection", 1}});
  CHECK(ax.route(kB, kX)->failure_code == 8016);  // only A may call
  ax.call("PUT", path, {{"subscriptionId", id}, {"callDirection", 0}, {"turnFlag", "off"}});
  CHECK(ax.route(kB, kX)->failure_code == 8055);
  ax.call("PUT", path, {{"subscriptionId", id}, {"turnFlag", "on"}});
  CHECK(ax.route(kB, kX)->display_number == kB);  // calleeNumDisplay "1": A sees the caller
}

TEST_CASE("AXE routes X+E to A and A back to the last caller until the call-back record expires") {
  Mode axe(make_axe_simulator);
  const std::string path = "/rest/caas/extendnumber/v1.0";
  axe.call("POST", path,
           {{"bindNum", kA}, {"virtualNum", kX}, {"extendNum", "0007"}, {"timeUnit", "1"},
            {"callbackExpiredTime", 10}, {"callbackNum", kC}});
  CHECK_FALSE(axe.route(kB, "+8675500000002", "0007"));

  CHECK(axe.route(kA, kX)->callee == kC);  // no call-back record yet: callbackNum
  CHECK(axe.route(kB, kX)->failure_code == 8033);           // no extension entered
  CHECK(axe.route(kB, kX, "0008")->failure_code == 8022);   // no such extension
  auto route = axe.route(kB, kX, "0007");
  REQUIRE(route);
  CHECK(route->callee == kA);
  CHECK(route->display_number == kX);

  route = axe.route(kA, kX);  // A dials X: calls B back
  CHECK(route->callee == kB);
  axe.advance(11min);
  CHECK(axe.route(kA, kX)->callee == kC);

  axe.call("PUT", path, {{"virtualNum", kX}, {"extendNum", "0007"}, {"displayNumMode", "1"}});
  CHECK(axe.route(kB, kX, "0007")->display_number == kB);
  axe.call("POST", path, {{"bindNum", kB}, {"virtualNum", kX}});
  CHECK(axe.route(kB, kX)->failure_code == 8019);  // B is an A now, with nobody to call back
}

TEST_CASE("AXYB routes B via X to A and A via Y to B, assigning a Y to a new caller") {
  Mode axyb(make_axyb_simulator);
  const std::string path = "/rest/omp/xyrelationnumber/v1.0";
  const std::multimap<std::string, std::string> app_key = {{"app_key", "fake-app-key"}};
  const auto bound = axyb.call("POST", path, {{"origNum", kA}, {"areaCode", "0755"}}, app_key);
  const std::string id = bound["subscriptionId"];
  const std::string x = bound["relationNumber"];
  const std::string y = axyb.call("POST", path, {{"origNum", kB}, {"subscriptionId", id}}, app_key)["relationNumber"];
  REQUIRE(x != y);

  auto route = axyb.route(kB, x);
  REQUIRE(route);
  CHECK(route->callee == kA);
  CHECK(route->display_number == y);  // A sees B as Y
  route = axyb.route(kA, y);
  CHECK(route->callee == kB);
  CHECK(route->display_number == x);  // B sees A as X
  CHECK(axyb.route(kA, x)->failure_code == 8032);

  route = axyb.route(kC, x);  // C has no YB yet: gets one on the spot
  REQUIRE(route);
  CHECK(route->failure_code == 0);
  CHECK(route->callee == kA);
  CHECK(route->display_number != y);
  CHECK(route->display_number != x);
  CHECK(axyb.route(kA, route->display_number)->callee == kC);
  CHECK(axyb.route(kC, y)->failure_code == 8030);
  CHECK_FALSE(axyb.route(kC, "+8613900000000"));
}
