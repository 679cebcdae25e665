// AX mode of the FakePlatform: an X belongs to one A; anyone dialling X reaches A, and A's
// calls through X reach the temporary callee set just before.

#include <map>

#include "testing/platform_core.hpp"

namespace privacycall::testing::internal {
namespace {

using nlohmann::json;

constexpr const char* kPath = "/rest/provision/caas/privatenumber/v1.0";
constexpr const char* kCalleePath = "/rest/caas/privatenumber/calleenumber/v1.0";
constexpr int kMaxNumbersPerUser = 5;
constexpr long long kDefaultCalleeSeconds = 60;
constexpr long long kMaxCalleeSeconds = 259200;

struct Binding {
  std::string id;
  std::string a;
  std::string x;
  std::string subscribe_time;
  // Optional settings as last sent (bind, then modify), echoed by query.
  json settings = json::object();
  // The temporary callee of A's next call, until it expires.
  std::string temp_callee;
  TimePoint temp_callee_expires{};
  std::optional<std::string> temp_user_data;
};

json read_settings(Params& p) {
  SettingsReader r(p);
  r.one_of("calleeNumDisplay", {"0", "1"})
      .flag("recordFlag")
      .text("recordHintTone")
      .flag("privateSms")
      .object("preVoice")
      .integer("maxDuration", 0, 1440)
      .text("lastMinVoice")
      .user_data()
      .one_of("turnFlag", {"on", "off"})
      .integer("callDirection", 0, 2);
  return r.out;
}

class AxSimulator final : public ModeSimulator {
 public:
  explicit AxSimulator(PlatformCore& core) : core_(core) {}

  void add_routes(const RouteRegistry& add) override {
    add("POST", kPath, [this](const SimRequest& r) { return bind(r); });
    add("PUT", kPath, [this](const SimRequest& r) { return modify(r); });
    add("GET", kPath, [this](const SimRequest& r) { return query(r); });
    add("DELETE", kPath, [this](const SimRequest& r) { return unbind(r); });
    add("PUT", kCalleePath, [this](const SimRequest& r) { return set_callee(r); });
  }

  std::optional<CallRoute> route_call(const std::string& caller, const std::string& x,
                                      const std::optional<std::string>&) override {
    const Binding* b = on_number(x);
    if (b == nullptr) return std::nullopt;
    const int direction = b->settings.value("callDirection", 0);
    // turnFlag "off" powers X down: nothing connects through it [INFERRED cause 8055].
    if (b->settings.value("turnFlag", "on") == "off") return CallRoute::refused("AX", b->id, 8055);
    CallRoute route;
    route.mode = "AX";
    route.subscription_id = b->id;
    route.record = b->settings.value("recordFlag", "false") == "true";
    if (b->settings.contains("userData")) route.user_data = b->settings["userData"].get<std::string>();
    if (caller == b->a) {
      if (direction == 2) return CallRoute::refused("AX", b->id, 8016);
      // A calls out: only to a temporary callee that is still valid.
      if (b->temp_callee.empty() || core_.clock.now() >= b->temp_callee_expires) {
        return CallRoute::refused("AX", b->id, 8013);
      }
      route.callee = b->temp_callee;
      route.display_number = x;
      if (b->temp_user_data) route.user_data = b->temp_user_data;
      return route;
    }
    if (direction == 1) return CallRoute::refused("AX", b->id, 8016);
    route.callee = b->a;
    route.display_number = b->settings.value("calleeNumDisplay", "0") == "1" ? caller : x;
    return route;
  }

 private:
  SimReply bind(const SimRequest& request) {
    Params p(request);
    auto a = p.required_number("origNum");
    auto x = p.number("privateNum");
    auto area = p.text("areaCode");
    auto type = p.one_of("privateNumType", {"mobile-virtual"});
    auto match = p.one_of("areaMatchMode", {"0", "1"});
    json settings = read_settings(p);
    if (!x && !area && !p.error()) p.missing("privateNum or areaCode");
    if (!x && area && !type && !p.error()) p.missing("privateNumType");
    if (p.error()) return *p.error();

    std::lock_guard<std::mutex> lock(core_.mutex);
    if (count_of(a->str()) >= kMaxNumbersPerUser) return failure("1011003");
    std::string chosen;
    if (x) {  // privateNum wins over areaCode
      if (core_.find_number(x->str()) == nullptr) return failure("1012001");
      if (on_number(x->str()) != nullptr) return failure("1011005");
      chosen = x->str();
    } else {
      for (const FakeNumber* n : core_.candidates(area, match.value_or("0") == "1")) {
        if (on_number(n->number) == nullptr) {
          chosen = n->number;
          break;
        }
      }
      if (chosen.empty()) return failure("1012008");
    }
    Binding binding;
    binding.id = core_.next_subscription_id();
    binding.a = a->str();
    binding.x = chosen;
    binding.settings = std::move(settings);
    binding.subscribe_time = format_subscribe_time(core_.clock.now());
    bindings_[binding.id] = binding;
    return success({{"origNum", binding.a}, {"privateNum", binding.x}, {"subscriptionId", binding.id}});
  }

  SimReply modify(const SimRequest& request) {
    Params p(request);
    auto id = p.text("subscriptionId");
    auto x = p.number("privateNum");
    auto a = p.number("origNum");
    json settings = read_settings(p);
    if (p.error()) return *p.error();
    std::lock_guard<std::mutex> lock(core_.mutex);
    Binding* b = nullptr;
    if (auto refusal = find(id, x, b)) return *refusal;
    if (a && a->str() != b->a && count_of(a->str()) >= kMaxNumbersPerUser) return failure("1011003");
    if (a) b->a = a->str();
    merge_settings(b->settings, settings);
    b->subscribe_time = format_subscribe_time(core_.clock.now());
    return success();
  }

  SimReply query(const SimRequest& request) {
    Params p(request);
    auto id = p.text("subscriptionId");
    auto a = p.number("origNum");
    auto x = p.number("privateNum");
    if (!id && !a && !x && !p.error()) p.missing("subscriptionId, origNum or privateNum");
    if (p.error()) return *p.error();
    std::lock_guard<std::mutex> lock(core_.mutex);
    json list = json::array();
    if (id) {  // subscriptionId > origNum > privateNum
      const auto it = bindings_.find(*id);
      if (it == bindings_.end()) return failure("1016001");
      list.push_back(render(it->second));
    } else if (a) {
      for (const auto& [key, b] : bindings_) {
        if (b.a == a->str()) list.push_back(render(b));
      }
    } else {
      if (core_.find_number(x->str()) == nullptr) return failure("1012001");
      if (const Binding* b = on_number(x->str())) list.push_back(render(*b));
    }
    return success({{"privateNumList", std::move(list)}});
  }

  SimReply unbind(const SimRequest& request) {
    Params p(request);
    p.number("origNum");  // allowed, checked for format, otherwise ignored (as documented)
    auto id = p.text("subscriptionId");
    auto x = p.number("privateNum");
    if (!id && !x && !p.error()) p.missing("privateNum");
    if (p.error()) return *p.error();
    std::lock_guard<std::mutex> lock(core_.mutex);
    if (id) {
      if (bindings_.erase(*id) == 0) return failure("1016001");
      return success();
    }
    if (core_.find_number(x->str()) == nullptr) return failure("1012001");
    const Binding* b = on_number(x->str());
    if (b == nullptr) return failure("1011004");
    bindings_.erase(b->id);
    return success();
  }

  SimReply set_callee(const SimRequest& request) {
    Params p(request);
    auto id = p.text("subscriptionId");
    auto x = p.number("privateNum");
    auto a = p.number("origNum");
    auto callee = p.required_number("calleeNum");
    auto duration = p.integer("duration", 1, kMaxCalleeSeconds);
    auto user_data = p.user_data();
    if (p.error()) return *p.error();
    if (a && *a == *callee) return failure("1010002", "Invalid request. origNum and calleeNum are the same.");
    std::lock_guard<std::mutex> lock(core_.mutex);
    Binding* b = nullptr;
    if (auto refusal = find(id, x, b)) return *refusal;
    if (a && a->str() != b->a) return failure("1016001");
    // Overwrites any earlier temporary callee.
    b->temp_callee = callee->str();
    b->temp_callee_expires = core_.clock.now() + std::chrono::seconds(duration.value_or(kDefaultCalleeSeconds));
    b->temp_user_data = user_data;
    return success();
  }

  // The binding named by subscriptionId (wins) or privateNum, or the platform's refusal.
  std::optional<SimReply> find(const std::optional<std::string>& id, const std::optional<PhoneNumber>& x,
                               Binding*& found) {
    if (id) {
      const auto it = bindings_.find(*id);
      if (it == bindings_.end()) return failure("1016001");
      found = &it->second;
      return std::nullopt;
    }
    if (!x) return failure("1010002", "Invalid request. subscriptionId or privateNum is missing.");
    if (core_.find_number(x->str()) == nullptr) return failure("1012001");
    found = on_number(x->str());
    if (found == nullptr) return failure("1016001");
    return std::nullopt;
  }

  Binding* on_number(const std::string& x) {
    for (auto& [id, b] : bindings_) {
      if (b.x == x) return &b;
    }
    return nullptr;
  }

  int count_of(const std::string& a) const {
    int n = 0;
    for (const auto& [id, b] : bindings_) n += b.a == a ? 1 : 0;
    return n;
  }

  static json render(const Binding& b) {
    json item = b.settings;
    item["subscriptionId"] = b.id;
    item["origNum"] = b.a;
    item["privateNum"] = b.x;
    item["privateNumType"] = "mobile-virtual";
    item["subscribeTime"] = b.subscribe_time;
    if (!item.contains("turnFlag")) item["turnFlag"] = "on";
    if (!item.contains("callDirection")) item["callDirection"] = 0;
    return item;
  }

  PlatformCore& core_;
  std::map<std::string, Binding> bindings_;
};

}  // namespace

std::unique_ptr<ModeSimulator> make_ax_simulator(PlatformCore& core) { return std::make_unique<AxSimulator>(core); }

}  // namespace privacycall::testing::internal
