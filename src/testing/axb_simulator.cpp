// AXB mode of the FakePlatform: A and B bound to X; calls from either reach the other.

#include <algorithm>
#include <map>

#include "testing/platform_core.hpp"

namespace privacycall::testing::internal {
namespace {

using nlohmann::json;

constexpr const char* kPath = "/rest/caas/relationnumber/partners/v1.0";
constexpr long long kMaxDurationSeconds = 7776000;
constexpr long long kMaxCallMinutes = 1440;

struct Binding {
  std::string id;
  std::string x, a, b;
  int call_direction = 0;
  long long duration = 0;  // seconds; 0 never expires
  std::optional<TimePoint> expires_at;
  std::string subscribe_time;
  // Optional settings exactly as last sent (bind, then modify), echoed by query.
  json settings = json::object();
};

// The optional settings bind and modify share, validated as the platform does.
json read_settings(Params& p) {
  json settings = json::object();
  if (auto v = p.integer("callDirection", 0, 2)) settings["callDirection"] = *v;
  if (auto v = p.integer("duration", 0, kMaxDurationSeconds)) settings["duration"] = *v;
  if (auto v = p.flag("recordFlag")) settings["recordFlag"] = *v ? "true" : "false";
  if (auto v = p.text("recordHintTone")) settings["recordHintTone"] = *v;
  if (auto v = p.integer("maxDuration", 0, kMaxCallMinutes)) settings["maxDuration"] = *v;
  if (auto v = p.text("lastMinVoice")) settings["lastMinVoice"] = *v;
  if (auto v = p.flag("privateSms")) settings["privateSms"] = *v ? "true" : "false";
  if (const json* v = p.object("preVoice")) settings["preVoice"] = *v;
  if (auto v = p.user_data()) settings["userData"] = *v;
  return settings;
}

class AxbSimulator final : public ModeSimulator {
 public:
  explicit AxbSimulator(PlatformCore& core) : core_(core) {}

  void add_routes(const RouteRegistry& add) override {
    add("POST", kPath, [this](const SimRequest& r) { return bind(r); });
    add("PUT", kPath, [this](const SimRequest& r) { return modify(r); });
    add("GET", kPath, [this](const SimRequest& r) { return query(r); });
    add("DELETE", kPath, [this](const SimRequest& r) { return unbind(r); });
  }

  std::optional<CallRoute> route_call(const std::string& caller, const std::string& x,
                                      const std::optional<std::string>&) override {
    purge_expired();
    bool x_has_bindings = false;
    for (const auto& [id, b] : bindings_) {
      if (b.x != x) continue;
      x_has_bindings = true;
      const bool from_a = caller == b.a;
      const bool from_b = caller == b.b;
      if (!from_a && !from_b) continue;
      CallRoute route;
      route.mode = "AXB";
      route.subscription_id = id;
      route.callee = from_a ? b.b : b.a;
      route.display_number = x;
      route.record = b.settings.value("recordFlag", "false") == "true";
      if (b.settings.contains("userData")) route.user_data = b.settings["userData"].get<std::string>();
      const bool allowed = b.call_direction == 0 || (from_a && b.call_direction == 1) ||
                           (from_b && b.call_direction == 2);
      if (!allowed) route.failure_code = 8016;  // call direction not allowed by the binding
      return route;
    }
    if (!x_has_bindings) return std::nullopt;
    CallRoute invalid;
    invalid.mode = "AXB";
    invalid.failure_code = 8014;  // invalid AXB call: caller not bound to X
    return invalid;
  }

 private:
  SimReply bind(const SimRequest& request) {
    Params p(request);
    auto a = p.required_number("callerNum");
    auto b = p.required_number("calleeNum");
    auto x = p.number("relationNum");
    auto area = p.text("areaCode");
    auto match = p.one_of("areaMatchMode", {"0", "1"});
    json settings = read_settings(p);
    if (p.error()) return *p.error();
    if (*a == *b) return failure("1010002", "Invalid request. callerNum and calleeNum are the same.");

    std::lock_guard<std::mutex> lock(core_.mutex);
    purge_expired();
    std::string chosen;
    if (x) {  // relationNum wins over areaCode
      if (core_.find_number(x->str()) == nullptr) return failure("1012001");
      if (auto refusal = refuse_on(x->str(), a->str(), b->str(), "")) return *refusal;
      chosen = x->str();
    } else {
      for (const FakeNumber* n : core_.candidates(area, match.value_or("0") == "1")) {
        if (!refuse_on(n->number, a->str(), b->str(), "")) {
          chosen = n->number;
          break;
        }
      }
      if (chosen.empty()) return failure("1012008");
    }

    Binding binding;
    binding.id = core_.next_subscription_id();
    binding.x = chosen;
    binding.a = a->str();
    binding.b = b->str();
    apply_settings(binding, settings);
    bindings_[binding.id] = binding;

    json answer = {{"subscriptionId", binding.id},
                   {"relationNum", binding.x},
                   {"callDirection", binding.call_direction},
                   {"duration", binding.duration},
                   {"maxDuration", settings.value("maxDuration", 0)}};
    return success(std::move(answer));
  }

  SimReply modify(const SimRequest& request) {
    Params p(request);
    auto id = p.required_text("subscriptionId");
    auto a = p.number("callerNum");
    auto b = p.number("calleeNum");
    json settings = read_settings(p);
    if (p.error()) return *p.error();

    std::lock_guard<std::mutex> lock(core_.mutex);
    purge_expired();
    auto it = bindings_.find(*id);
    if (it == bindings_.end()) return failure("1016001");
    Binding updated = it->second;
    if (a) updated.a = a->str();
    if (b) updated.b = b->str();
    if (updated.a == updated.b) return failure("1010002", "Invalid request. callerNum and calleeNum are the same.");
    if ((a || b)) {
      if (auto refusal = refuse_on(updated.x, updated.a, updated.b, updated.id)) return *refusal;
    }
    apply_settings(updated, settings);
    it->second = std::move(updated);
    return success();
  }

  SimReply query(const SimRequest& request) {
    Params p(request);
    auto id = p.text("subscriptionId");
    auto x = p.number("relationNum");
    auto a = p.number("callerNum");
    auto b = p.number("calleeNum");
    auto page_index = p.integer("pageIndex", 1, 1000000000);
    auto page_size = p.integer("pageSize", -1000000000, 1000000000);
    if (!id && !x && !p.error()) p.missing("subscriptionId or relationNum");
    if (p.error()) return *p.error();

    std::lock_guard<std::mutex> lock(core_.mutex);
    purge_expired();
    json list = json::array();
    if (id) {  // subscriptionId wins; the number filters are ignored
      auto it = bindings_.find(*id);
      if (it == bindings_.end()) return failure("1016001");
      list.push_back(render(it->second));
      return success({{"relationNumList", std::move(list)}});
    }
    if (core_.find_number(x->str()) == nullptr) return failure("1012001");
    std::vector<const Binding*> matches;
    for (const auto& [key, binding] : bindings_) {
      if (binding.x != x->str()) continue;
      if (a && binding.a != a->str()) continue;
      if (b && binding.b != b->str()) continue;
      matches.push_back(&binding);
    }
    const long long size = page_size && *page_size >= 10 && *page_size <= 100 ? *page_size : 50;
    const long long first = (page_index.value_or(1) - 1) * size;
    for (long long i = first; i < static_cast<long long>(matches.size()) && i < first + size; ++i) {
      list.push_back(render(*matches[static_cast<std::size_t>(i)]));
    }
    return success({{"relationNumList", std::move(list)}});
  }

  SimReply unbind(const SimRequest& request) {
    Params p(request);
    auto id = p.text("subscriptionId");
    auto x = p.number("relationNum");
    if (!id && !x && !p.error()) p.missing("subscriptionId or relationNum");
    if (p.error()) return *p.error();

    std::lock_guard<std::mutex> lock(core_.mutex);
    purge_expired();
    if (id) {
      if (bindings_.erase(*id) == 0) return failure("1016001");
      return success();
    }
    if (core_.find_number(x->str()) == nullptr) return failure("1012001");
    std::size_t removed = 0;
    for (auto it = bindings_.begin(); it != bindings_.end();) {
      if (it->second.x == x->str()) {
        it = bindings_.erase(it);
        ++removed;
      } else {
        ++it;
      }
    }
    if (removed == 0) return failure("1016001");
    return success();
  }

  // Why A and B cannot be bound on X (ignoring binding `self`), or nullopt when they can.
  std::optional<SimReply> refuse_on(const std::string& x, const std::string& a, const std::string& b,
                                    const std::string& self) const {
    int pairs = 0;
    for (const auto& [id, binding] : bindings_) {
      if (binding.x != x || id == self) continue;
      ++pairs;
      for (const std::string* user : {&a, &b}) {
        if (*user == binding.a || *user == binding.b) {
          return failure("1012010", "The number " + PhoneNumber::mask_phone_number(*user) +
                                        " has been bound.");
        }
      }
    }
    if (pairs >= core_.options.max_axb_pairs_per_number) return failure("1011005");
    return std::nullopt;
  }

  void apply_settings(Binding& binding, const json& settings) {
    for (const auto& [key, value] : settings.items()) binding.settings[key] = value;
    binding.call_direction = binding.settings.value("callDirection", 0);
    const auto now = core_.clock.now();
    if (settings.contains("duration")) {
      // The lifetime restarts whenever it is set, at bind or modify.
      binding.duration = settings["duration"].get<long long>();
      binding.expires_at = binding.duration > 0
                               ? std::optional<TimePoint>(now + std::chrono::seconds(binding.duration))
                               : std::nullopt;
    }
    binding.subscribe_time = format_subscribe_time(now);
  }

  json render(const Binding& binding) const {
    json item = binding.settings;
    item["subscriptionId"] = binding.id;
    item["relationNum"] = binding.x;
    item["callerNum"] = binding.a;
    item["calleeNum"] = binding.b;
    item["callDirection"] = binding.call_direction;
    item["duration"] = binding.duration;
    item["subscribeTime"] = binding.subscribe_time;
    return item;
  }

  void purge_expired() { internal::purge_expired(bindings_, core_.clock.now()); }

  PlatformCore& core_;
  std::map<std::string, Binding> bindings_;
};

}  // namespace

std::unique_ptr<ModeSimulator> make_axb_simulator(PlatformCore& core) {
  return std::make_unique<AxbSimulator>(core);
}

}  // namespace privacycall::testing::internal
