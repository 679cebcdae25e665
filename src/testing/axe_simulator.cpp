// AXE mode of the FakePlatform: one X serves many A, each behind its own extension E. Others
// dial X+E and reach A (leaving a call-back record); A dials X to call the last of them back.

#include <cstdio>
#include <map>

#include "testing/platform_core.hpp"

namespace privacycall::testing::internal {
namespace {

using nlohmann::json;

constexpr const char* kPath = "/rest/caas/extendnumber/v1.0";
constexpr const char* kPathV2 = "/rest/caas/extendnumber/v2.0";
constexpr const char* kCountPath = "/rest/caas/virtualnumber/v1.0";
constexpr const char* kFirstCursor = "0000000000000_0";
constexpr long long kDefaultPageSize = 50;
constexpr long long kMaxExpiry = 1000000000;

struct Binding {
  std::string id;
  std::string a;
  std::string x;
  std::string e;
  // Position in v2.0 listings: creation time in ms, then a sequence number (the cursor's form).
  long long created_ms = 0;
  unsigned long long seq = 0;
  // displayNumMode, recordFlag, recordHintTone, callbackTone, callbackNum, userData as last sent.
  json settings = json::object();
  // timeUnit, bindExpiredTime, callbackExpiredTime as given at bind: the query keeps showing
  // these even after a modify changed them (documented on the query page).
  json bind_expiry = json::object();
  std::optional<TimePoint> expires_at;
  std::optional<std::chrono::seconds> callback_lifetime;
  // The call-back record: the last non-A caller who reached A through X+E.
  std::string callback_caller;
  std::optional<TimePoint> callback_expires;
};

json read_settings(Params& p) {
  SettingsReader r(p);
  r.one_of("displayNumMode", {"0", "1"})
      .flag("recordFlag")
      .text("recordHintTone")
      .text("callbackTone")
      .number("callbackNum")
      .user_data();
  return r.out;
}

// The expiry fields of a bind or modify, validated.
struct Expiry {
  std::optional<std::string> unit;
  std::optional<long long> bind;
  std::optional<long long> callback;
};

Expiry read_expiry(Params& p) {
  Expiry e;
  e.unit = p.one_of("timeUnit", {"0", "1"});
  e.bind = p.integer("bindExpiredTime", 0, kMaxExpiry);
  e.callback = p.integer("callbackExpiredTime", 0, kMaxExpiry);
  return e;
}

std::chrono::seconds in_unit(long long value, const std::string& unit) {
  // timeUnit "0" hours (also the default: the demos send bare expiries meant as hours), "1" minutes.
  return std::chrono::seconds(value * (unit == "1" ? 60 : 3600));
}

std::string make_cursor(const Binding& b) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%013lld_%llu", b.created_ms, b.seq);
  return buffer;
}

// \d{13}_\d{1,20} → (ms, seq); nullopt when malformed.
std::optional<std::pair<long long, unsigned long long>> parse_cursor(const std::string& cursor) {
  if (cursor.size() < 15 || cursor.size() > 34 || cursor[13] != '_') return std::nullopt;
  for (std::size_t i = 0; i < cursor.size(); ++i) {
    if (i != 13 && (cursor[i] < '0' || cursor[i] > '9')) return std::nullopt;
  }
  return std::pair{std::stoll(cursor.substr(0, 13)), std::stoull(cursor.substr(14))};
}

class AxeSimulator final : public ModeSimulator {
 public:
  explicit AxeSimulator(PlatformCore& core) : core_(core) {}

  void add_routes(const RouteRegistry& add) override {
    add("POST", kPath, [this](const SimRequest& r) { return bind(r); });
    add("PUT", kPath, [this](const SimRequest& r) { return modify(r); });
    add("GET", kPath, [this](const SimRequest& r) { return query_v1(r); });
    add("GET", kPathV2, [this](const SimRequest& r) { return query_v2(r); });
    add("GET", kCountPath, [this](const SimRequest& r) { return count(r); });
    add("DELETE", kPath, [this](const SimRequest& r) { return unbind(r); });
  }

  std::optional<CallRoute> route_call(const std::string& caller, const std::string& x,
                                      const std::optional<std::string>& extension) override {
    purge();
    bool x_has_bindings = false;
    for (auto& [id, b] : bindings_) {
      if (b.x != x) continue;
      x_has_bindings = true;
      if (caller != b.a) continue;
      // A dials X: a call back to the last person who reached A through X+E.
      CallRoute route = base_route(b);
      route.display_number = x;
      const auto now = core_.clock.now();
      if (!b.callback_caller.empty() && (!b.callback_expires || now < *b.callback_expires)) {
        route.callee = b.callback_caller;
      } else if (b.settings.contains("callbackNum")) {
        route.callee = b.settings["callbackNum"].get<std::string>();
      } else {
        return CallRoute::refused("AXE", id, 8019);  // no call-back record: callbackTone, hang up
      }
      return route;
    }
    if (!x_has_bindings) return std::nullopt;
    if (!extension || extension->empty()) return CallRoute::refused("AXE", "", 8033);
    Binding* b = on_extension(x, *extension);
    if (b == nullptr) return CallRoute::refused("AXE", "", 8022);
    CallRoute route = base_route(*b);
    route.callee = b->a;
    route.display_number = b->settings.value("displayNumMode", "0") == "1" ? caller : x;
    // The caller becomes the one A reaches by dialling X.
    b->callback_caller = caller;
    b->callback_expires = b->callback_lifetime
                              ? std::optional<TimePoint>(core_.clock.now() + *b->callback_lifetime)
                              : std::nullopt;
    return route;
  }

 private:
  SimReply bind(const SimRequest& request) {
    Params p(request);
    auto a = p.required_number("bindNum");
    auto x = p.number("virtualNum");
    auto area = p.text("areaCode");
    auto match = p.one_of("areaMatchMode", {"0", "1"});
    auto e = p.text("extendNum");
    json settings = read_settings(p);
    Expiry expiry = read_expiry(p);
    if (e && !is_extension(*e)) p.invalid("Invalid request. extendNum must be 1-4 digits.");
    if (!x && !area && !p.error()) p.missing("virtualNum or areaCode");
    if (p.error()) return *p.error();

    std::lock_guard<std::mutex> lock(core_.mutex);
    purge();
    std::string chosen_x;
    std::string chosen_e;
    if (x) {  // virtualNum wins over areaCode
      if (core_.find_number(x->str()) == nullptr) return failure("1012001");
      if (auto refusal = refuse_on(x->str(), a->str(), e)) return *refusal;
      chosen_x = x->str();
    } else {
      const auto candidates = core_.candidates(area, match.value_or("0") == "1");
      if (candidates.empty()) return failure("1012008");
      for (const FakeNumber* n : candidates) {
        if (!refuse_on(n->number, a->str(), e)) {
          chosen_x = n->number;
          break;
        }
      }
      if (chosen_x.empty()) return failure("1020167");
    }
    chosen_e = e ? *e : free_extension(chosen_x);

    Binding b;
    b.id = core_.next_subscription_id();
    b.a = a->str();
    b.x = chosen_x;
    b.e = chosen_e;
    const auto now = core_.clock.now();
    b.created_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    b.seq = ++sequence_;
    b.settings = std::move(settings);
    if (expiry.unit) b.bind_expiry["timeUnit"] = *expiry.unit;
    if (expiry.bind) b.bind_expiry["bindExpiredTime"] = *expiry.bind;
    if (expiry.callback) b.bind_expiry["callbackExpiredTime"] = *expiry.callback;
    apply_expiry(b, expiry, expiry.unit.value_or("0"));
    bindings_[b.id] = b;
    return success({{"subscriptionId", b.id}, {"virtualNum", b.x}, {"extendNum", b.e}, {"bindNum", b.a}});
  }

  SimReply modify(const SimRequest& request) {
    Params p(request);
    auto key = read_key(p);
    json settings = read_settings(p);
    Expiry expiry = read_expiry(p);
    return with_binding(p, key, [&](Binding& b) {
      merge_settings(b.settings, settings);
      apply_expiry(b, expiry, expiry.unit.value_or(b.bind_expiry.value("timeUnit", "0")));
      return success();
    });
  }

  SimReply query_v1(const SimRequest& request) {
    Params p(request);
    auto key = read_key(p);
    // v1.0 answers one binding, flat.
    return with_binding(p, key, [](Binding& b) { return success(render(b)); });
  }

  SimReply query_v2(const SimRequest& request) {
    Params p(request);
    auto id = p.text("subscriptionId");
    auto x = p.number("virtualNum");
    auto e = p.text("extendNum");
    auto cursor = p.text("cursor");
    auto limit = p.integer("limit", 1, 1000);
    if (!id && !x && !p.error()) p.missing("subscriptionId or virtualNum");
    if (p.error()) return *p.error();
    std::lock_guard<std::mutex> lock(core_.mutex);
    purge();
    json list = json::array();
    if (id || e) {  // a single binding; the cursor is ignored
      Binding* b = nullptr;
      if (auto refusal = find(Key{id, x, e}, b)) return *refusal;
      list.push_back(render(*b));
      return success({{"bindList", std::move(list)}});
    }
    if (core_.find_number(x->str()) == nullptr) return failure("1012001");
    const auto after = parse_cursor(cursor.value_or(kFirstCursor));
    if (!after) return failure("1010002", "Invalid request. cursor must match \\d{13}_\\d{1,20}.");
    std::map<std::pair<long long, unsigned long long>, const Binding*> ordered;
    for (const auto& [key, b] : bindings_) {
      if (b.x == x->str() && std::pair{b.created_ms, b.seq} > *after) ordered[{b.created_ms, b.seq}] = &b;
    }
    const auto size = static_cast<std::size_t>(limit.value_or(kDefaultPageSize));
    json answer = json::object();
    const Binding* last = nullptr;
    for (const auto& [position, b] : ordered) {
      if (list.size() == size) {  // more remain: hand out where this page ended
        answer["nextCusor"] = make_cursor(*last);
        break;
      }
      list.push_back(render(*b));
      last = b;
    }
    answer["bindList"] = std::move(list);
    return success(std::move(answer));
  }

  SimReply count(const SimRequest& request) {
    Params p(request);
    auto number = p.number("number");
    auto cursor = p.text("cursor");
    auto limit = p.integer("limit", 1, 100);
    if (cursor && (cursor->empty() || cursor->size() > 20 || cursor->find_first_not_of("0123456789") != std::string::npos)) {
      p.invalid("Invalid request. cursor must be 1-20 digits.");
    }
    if (p.error()) return *p.error();
    std::lock_guard<std::mutex> lock(core_.mutex);
    purge();
    json list = json::array();
    json answer = json::object();
    if (number) {  // one X; cursor and limit are ignored
      if (core_.find_number(number->str()) == nullptr) return failure("1012001");
      list.push_back(count_item(number->str()));
    } else {
      // The cursor is the position in the app's number list.
      const auto& numbers = core_.options.numbers;
      const std::size_t first = cursor ? static_cast<std::size_t>(std::stoull(*cursor)) : 0;
      const std::size_t end = std::min(numbers.size(), first + static_cast<std::size_t>(limit.value_or(kDefaultPageSize)));
      for (std::size_t i = first; i < end; ++i) list.push_back(count_item(numbers[i].number));
      if (end < numbers.size()) answer["nextCursor"] = std::to_string(end);
    }
    answer["numberList"] = std::move(list);
    return success(std::move(answer));
  }

  SimReply unbind(const SimRequest& request) {
    Params p(request);
    auto key = read_key(p);
    return with_binding(p, key, [this](Binding& b) {
      bindings_.erase(std::string(b.id));
      return success();
    });
  }


  struct Key {
    std::optional<std::string> id;
    std::optional<PhoneNumber> x;
    std::optional<std::string> e;
  };

  static Key read_key(Params& p) {
    Key key{p.text("subscriptionId"), p.number("virtualNum"), p.text("extendNum")};
    if (!key.id && !(key.x && key.e) && !p.error()) p.missing("subscriptionId, or virtualNum with extendNum");
    return key;
  }

  // The parameter problem if any; otherwise `act` on the binding `key` names, under the lock.
  template <typename Act>
  SimReply with_binding(Params& p, const Key& key, Act act) {
    if (p.error()) return *p.error();
    std::lock_guard<std::mutex> lock(core_.mutex);
    purge();
    Binding* b = nullptr;
    if (auto refusal = find(key, b)) return *refusal;
    return act(*b);
  }

  // subscriptionId wins; otherwise X+E.
  std::optional<SimReply> find(const Key& key, Binding*& found) {
    if (key.id) {
      const auto it = bindings_.find(*key.id);
      if (it == bindings_.end()) return failure("1016001");
      found = &it->second;
      return std::nullopt;
    }
    if (!key.x || !key.e) return failure("1010002", "Invalid request. virtualNum and extendNum go together.");
    if (core_.find_number(key.x->str()) == nullptr) return failure("1012001");
    found = on_extension(key.x->str(), *key.e);
    if (found == nullptr) return failure("1016001");
    return std::nullopt;
  }

  // Why A (with extension `e`, when chosen) cannot be bound on X, or nullopt when it can.
  std::optional<SimReply> refuse_on(const std::string& x, const std::string& a, const std::optional<std::string>& e) const {
    int used = 0;
    for (const auto& [id, b] : bindings_) {
      if (b.x != x) continue;
      ++used;
      if (b.a == a) return failure("1016002");
      if (e && b.e == *e) return failure("1012010", "The extension " + *e + " has been bound.");
    }
    if (used >= core_.options.max_axe_extensions_per_number) return failure("1020167");
    return std::nullopt;
  }

  // The lowest extension of the app's range not taken on X (refuse_on() ensured there is one).
  std::string free_extension(const std::string& x) {
    for (int n = 1;; ++n) {
      char buffer[16];
      std::snprintf(buffer, sizeof buffer, "%04d", n);
      if (on_extension(x, buffer) == nullptr) return buffer;
    }
  }

  void apply_expiry(Binding& b, const Expiry& expiry, const std::string& unit) {
    const auto now = core_.clock.now();
    if (expiry.bind) {
      // The lifetime runs from when it was set; 0 means no expiry.
      b.expires_at = *expiry.bind > 0 ? std::optional<TimePoint>(now + in_unit(*expiry.bind, unit)) : std::nullopt;
    }
    if (expiry.callback) {
      b.callback_lifetime = *expiry.callback > 0 ? std::optional(in_unit(*expiry.callback, unit)) : std::nullopt;
    }
  }

  CallRoute base_route(const Binding& b) const {
    CallRoute route;
    route.mode = "AXE";
    route.subscription_id = b.id;
    route.record = b.settings.value("recordFlag", "false") == "true";
    if (b.settings.contains("userData")) route.user_data = b.settings["userData"].get<std::string>();
    return route;
  }

  json count_item(const std::string& number) const {
    long long n = 0;
    for (const auto& [id, b] : bindings_) n += b.x == number ? 1 : 0;
    return {{"number", number}, {"bindCount", n}};
  }

  static bool is_extension(const std::string& e) {
    return !e.empty() && e.size() <= 4 && e.find_first_not_of("0123456789") == std::string::npos;
  }

  Binding* on_extension(const std::string& x, const std::string& e) {
    for (auto& [id, b] : bindings_) {
      if (b.x == x && b.e == e) return &b;
    }
    return nullptr;
  }

  static json render(const Binding& b) {
    json item = b.settings;
    merge_settings(item, b.bind_expiry);
    item["subscriptionId"] = b.id;
    item["virtualNum"] = b.x;
    item["extendNum"] = b.e;
    item["bindNum"] = b.a;
    return item;
  }

  void purge() { purge_expired(bindings_, core_.clock.now()); }

  PlatformCore& core_;
  std::map<std::string, Binding> bindings_;
  unsigned long long sequence_ = 0;
};

}  // namespace

std::unique_ptr<ModeSimulator> make_axe_simulator(PlatformCore& core) { return std::make_unique<AxeSimulator>(core); }

}  // namespace privacycall::testing::internal
