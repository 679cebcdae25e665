// AXYB mode of the FakePlatform: A bound to X, then each B to a Y, all under one
// subscriptionId. B dials X and reaches A (A sees Y); A dials Y and reaches B (B sees X).

#include <map>

#include "testing/platform_core.hpp"

namespace privacycall::testing::internal {
namespace {

using nlohmann::json;

constexpr const char* kPath = "/rest/omp/xyrelationnumber/v1.0";
constexpr int kMaxNumbersPerUser = 5;
constexpr int kMaxRelationsPerY = 1000;
constexpr long long kMinDuration = 60;
constexpr long long kMaxDuration = 7776000;
constexpr long long kDefaultDuration = 7200;

struct Leg {
  std::string y;
  std::string b;
  std::optional<TimePoint> expires_at;
};

struct Relation {
  std::string id;
  std::string a;
  std::string x;
  long long duration = kDefaultDuration;
  std::optional<long long> yb_duration;
  std::optional<TimePoint> expires_at;
  std::string subscribe_time;
  // callDirection, recordFlag, recordHintTone, preVoiceX, preVoiceY, userData as last sent.
  json settings = json::object();
  std::map<std::string, Leg> legs;  // by Y
};

// 0, or 60 s to 90 days.
std::optional<long long> read_lifetime(Params& p, const char* name) {
  auto value = p.integer(name, 0, kMaxDuration);
  if (value && *value != 0 && *value < kMinDuration) {
    p.invalid("Invalid request. " + std::string(name) + " must be 0 or 60-7776000.");
  }
  return value;
}

class AxybSimulator final : public ModeSimulator {
 public:
  explicit AxybSimulator(PlatformCore& core) : core_(core) {}

  void add_routes(const RouteRegistry& add) override {
    add("POST", kPath, [this](const SimRequest& r) { return bind(r); });
    add("GET", kPath, [this](const SimRequest& r) { return query(r); });
    add("DELETE", kPath, [this](const SimRequest& r) { return unbind(r); });
  }

  std::optional<CallRoute> route_call(const std::string& caller, const std::string& number,
                                      const std::optional<std::string>&) override {
    purge();
    for (auto& [id, r] : relations_) {
      const int direction = r.settings.value("callDirection", 0);
      if (r.x == number) {
        if (caller == r.a) return CallRoute::refused("AXYB", id, 8032);  // A dialled its own X
        if (direction == 1) return CallRoute::refused("AXYB", id, 8016);
        const Leg* leg = leg_of(r, caller);
        if (leg == nullptr) {
          // B called X with no YB yet: the platform assigns B a Y on the spot.
          const std::string y = pick_y(r, std::nullopt, true);
          if (y.empty()) return CallRoute::refused("AXYB", id, 8031);
          leg = &(r.legs[y] = Leg{y, caller, leg_expiry(r)});
        }
        CallRoute route = base_route(r);
        route.callee = r.a;
        route.display_number = leg->y;
        return route;
      }
      const auto leg = r.legs.find(number);
      if (leg == r.legs.end()) continue;
      if (caller == leg->second.b) return CallRoute::refused("AXYB", id, 8032);
      if (caller != r.a) continue;  // another relation may use the same Y for this caller
      if (direction == 2) return CallRoute::refused("AXYB", id, 8016);
      CallRoute route = base_route(r);
      route.callee = leg->second.b;
      route.display_number = r.x;
      return route;
    }
    if (!is_y(number)) return std::nullopt;
    return CallRoute::refused("AXYB", "", 8030);  // a Y, but not of a relation of this caller
  }

 private:
  // app_key in the query string, on every AXYB call.
  std::optional<SimReply> check_app_key(const SimRequest& request) const {
    const auto it = request.query.find("app_key");
    if (it == request.query.end()) return failure("1010002", "Invalid request. app_key is missing.");
    if (it->second != core_.options.app_key) return failure("1010003");
    return std::nullopt;
  }

  SimReply bind(const SimRequest& request) {
    if (auto refusal = check_app_key(request)) return *refusal;
    Params p(request);
    auto user = p.required_number("origNum");
    auto id = p.text("subscriptionId");
    auto area = p.text("areaCode");
    auto match = p.one_of("areaMatchMode", {"0", "1"});
    auto duration = read_lifetime(p, "duration");
    auto yb_duration = read_lifetime(p, "ybDuration");
    SettingsReader r(p);
    r.integer("callDirection", 0, 2).flag("recordFlag").text("recordHintTone").text("preVoiceX").text("preVoiceY").user_data();
    if (!id && !area && !p.error()) p.missing("areaCode");
    if (p.error()) return *p.error();

    std::lock_guard<std::mutex> lock(core_.mutex);
    purge();
    const bool loose = match.value_or("0") == "1";
    if (!id) return bind_ax(user->str(), *area, loose, duration, yb_duration, std::move(r.out));
    const auto it = relations_.find(*id);
    if (it == relations_.end()) return failure("1016001");
    Relation& relation = it->second;
    if (user->str() == relation.a) return failure("1010002", "Invalid request. origNum is the relation's A.");
    if (leg_of(relation, user->str()) != nullptr) return failure("1016002");
    const std::string y = pick_y(relation, area, loose || !area);
    if (y.empty()) return failure("1012008");
    if (duration) set_lifetime(relation, *duration);
    if (yb_duration) relation.yb_duration = *yb_duration;  // the YB call's value wins
    merge_settings(relation.settings, r.out);
    relation.legs[y] = Leg{y, user->str(), leg_expiry(relation)};
    relation.subscribe_time = format_subscribe_time(core_.clock.now());
    return success({{"subscriptionId", relation.id}, {"relationNumber", y}});
  }

  SimReply bind_ax(const std::string& a, const std::string& area, bool loose, std::optional<long long> duration,
                   std::optional<long long> yb_duration, json settings) {
    int held = 0;
    for (const auto& [id, r] : relations_) held += r.a == a ? 1 : 0;
    if (held >= kMaxNumbersPerUser) return failure("1011003");
    std::string x;
    for (const FakeNumber* n : core_.candidates(area, loose)) {
      // One X serves one A; Ys are kept apart from Xs so a dialled number has one meaning.
      if (!is_x(n->number) && !is_y(n->number)) {
        x = n->number;
        break;
      }
    }
    if (x.empty()) return failure("1012008");
    Relation relation;
    relation.id = core_.next_subscription_id();
    relation.a = a;
    relation.x = x;
    set_lifetime(relation, duration.value_or(kDefaultDuration));
    relation.yb_duration = yb_duration;
    relation.subscribe_time = format_subscribe_time(core_.clock.now());
    relation.settings = std::move(settings);
    relations_[relation.id] = relation;
    return success({{"subscriptionId", relation.id}, {"relationNumber", x}});
  }

  SimReply query(const SimRequest& request) {
    if (auto refusal = check_app_key(request)) return *refusal;
    Params p(request);
    auto id = p.text("subscriptionId");
    auto x = p.number("relationNum");
    if (!id && !x && !p.error()) p.missing("subscriptionId or relationNum");
    if (p.error()) return *p.error();
    std::lock_guard<std::mutex> lock(core_.mutex);
    purge();
    json list = json::array();
    if (!id && core_.find_number(x->str()) == nullptr) return failure("1012001");
    for (const auto& [key, r] : relations_) {
      if (id ? key != *id : r.x != x->str()) continue;  // subscriptionId wins
      if (r.legs.empty()) list.push_back(render(r, nullptr));
      for (const auto& [y, leg] : r.legs) list.push_back(render(r, &leg));
    }
    if (list.empty()) return failure("1016001");
    return success({{"xyRelationNumList", std::move(list)}});
  }

  SimReply unbind(const SimRequest& request) {
    if (auto refusal = check_app_key(request)) return *refusal;
    Params p(request);
    auto id = p.required_text("subscriptionId");
    auto y = p.number("yNum");
    auto b = p.number("bNum");
    if (p.error()) return *p.error();
    std::lock_guard<std::mutex> lock(core_.mutex);
    purge();
    const auto it = relations_.find(*id);
    if (it == relations_.end()) return failure("1016001");
    if (!y && !b) {  // the whole relation: AX and every YB
      relations_.erase(it);
      return success();
    }
    auto& legs = it->second.legs;
    for (auto leg = legs.begin(); leg != legs.end(); ++leg) {
      if (y ? leg->second.y == y->str() : leg->second.b == b->str()) {  // yNum wins over bNum
        legs.erase(leg);
        return success();
      }
    }
    return failure("1016001");
  }

  // A free Y for a new leg of `relation`: not an X, not already a Y of this relation, under the
  // per-Y relation limit. Empty when none is left.
  std::string pick_y(const Relation& relation, const std::optional<std::string>& area, bool loose) const {
    for (const FakeNumber* n : core_.candidates(area, loose)) {
      if (is_x(n->number) || relation.legs.count(n->number) != 0) continue;
      int uses = 0;
      for (const auto& [id, r] : relations_) uses += static_cast<int>(r.legs.count(n->number));
      if (uses < kMaxRelationsPerY) return n->number;
    }
    return {};
  }

  // The AX lifetime runs from when it is set; 0 never expires.
  void set_lifetime(Relation& relation, long long seconds) const {
    relation.duration = seconds;
    relation.expires_at = seconds > 0 ? std::optional<TimePoint>(core_.clock.now() + std::chrono::seconds(seconds))
                                      : std::nullopt;
  }

  // YB lifetime: ybDuration (0 → ends with AX), never beyond the AX lifetime.
  std::optional<TimePoint> leg_expiry(const Relation& relation) const {
    const long long yb = relation.yb_duration.value_or(0);
    if (yb == 0 || (relation.duration > 0 && yb > relation.duration)) return std::nullopt;
    return core_.clock.now() + std::chrono::seconds(yb);
  }

  static const Leg* leg_of(const Relation& relation, const std::string& b) {
    for (const auto& [y, leg] : relation.legs) {
      if (leg.b == b) return &leg;
    }
    return nullptr;
  }

  bool is_x(const std::string& number) const {
    for (const auto& [id, r] : relations_) {
      if (r.x == number) return true;
    }
    return false;
  }

  bool is_y(const std::string& number) const {
    for (const auto& [id, r] : relations_) {
      if (r.legs.count(number) != 0) return true;
    }
    return false;
  }

  static CallRoute base_route(const Relation& r) {
    CallRoute route;
    route.mode = "AXYB";
    route.subscription_id = r.id;
    route.record = r.settings.value("recordFlag", "false") == "true";
    if (r.settings.contains("userData")) route.user_data = r.settings["userData"].get<std::string>();
    return route;
  }

  static json render(const Relation& r, const Leg* leg) {
    json item = r.settings;
    item["bindId"] = r.id;
    item["numA"] = r.a;
    item["numX"] = r.x;
    item["numY"] = leg != nullptr ? leg->y : "";
    item["numB"] = leg != nullptr ? leg->b : "";
    item["subscribeTime"] = r.subscribe_time;
    item["callDirection"] = r.settings.value("callDirection", 0);
    // The query table types both lifetimes as String(1-32).
    item["duration"] = std::to_string(r.duration);
    item["ybDuration"] = std::to_string(r.yb_duration.value_or(0));
    if (!item.contains("recordFlag")) item["recordFlag"] = "false";
    return item;
  }

  void purge() {
    const auto now = core_.clock.now();
    purge_expired(relations_, now);  // AX expiry removes the YB legs with it
    for (auto& [id, r] : relations_) purge_expired(r.legs, now);
  }

  PlatformCore& core_;
  std::map<std::string, Relation> relations_;
};

}  // namespace

std::unique_ptr<ModeSimulator> make_axyb_simulator(PlatformCore& core) { return std::make_unique<AxybSimulator>(core); }

}  // namespace privacycall::testing::internal
