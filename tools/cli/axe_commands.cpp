// privacycall axe bind|modify|query [--v2]|count|unbind

#include "command.hpp"

namespace privacycall::cli {
namespace {

Flags settings_flags() {
  return {display_flag("display-num-mode", "displayNumMode"),
          boolean("record-flag", "recordFlag", "record the calls"),
          text("record-hint-tone", "recordHintTone", "recording announcement (an approved audio file)"),
          text("callback-tone", "callbackTone", "tone for calls back from the callee"),
          phone("callback-num", "callbackNum", "the number calls back reach"),
          choice("time-unit", "timeUnit", {"0", "1"}, "unit of the expiry times: 0 hours, 1 minutes").defaults_to("0"),
          integer("bind-expired-time", "bindExpiredTime", 0, 100000000, "binding lifetime in --time-unit"),
          integer("callback-expired-time", "callbackExpiredTime", 0, 100000000, "call-back window in --time-unit"),
          text("user-data", "userData", "echoed in the binding's events and CDRs")};
}

// --subscription-id, or --virtual-num with --extend-num.
Flags key_flags() {
  return {text("subscription-id", "subscriptionId", "the binding's ID (or --virtual-num with --extend-num)"),
          phone("virtual-num", "virtualNum", "the privacy number X"),
          text("extend-num", "extendNum", "the extension on X")};
}

// Expiries are counted in --time-unit (0 hours, the default here, or 1 minutes), as on the wire.
AxeSettings take_settings(Args& args) {
  AxeSettings s;
  s.display_num_mode = take_display(args, "display-num-mode");
  s.record_flag = args.take_bool("record-flag");
  s.record_hint_tone = args.take("record-hint-tone");
  s.callback_tone = args.take("callback-tone");
  s.callback_num = args.take_number("callback-num");
  const auto unit = args.take_choice("time-unit");
  const long long per_unit = unit == "1" ? 1 : 60;
  const auto bind_expired = args.take_int("bind-expired-time");
  const auto callback_expired = args.take_int("callback-expired-time");
  if (unit || bind_expired || callback_expired) {
    s.time_unit = per_unit == 1 ? AxeTimeUnit::kMinutes : AxeTimeUnit::kHours;
  }
  if (bind_expired) s.bind_expired_time = std::chrono::minutes(*bind_expired * per_unit);
  if (callback_expired) s.callback_expired_time = std::chrono::minutes(*callback_expired * per_unit);
  s.user_data = args.take("user-data");
  return s;
}

// --subscription-id, or --virtual-num with --extend-num.
std::optional<AxeBindingKey> take_key(Args& args, std::optional<PhoneNumber>& x_alone) {
  auto id = args.take("subscription-id");
  auto x = args.take_number("virtual-num");
  auto e = args.take("extend-num");
  one_of("subscription-id", id.has_value(), "virtual-num", x.has_value());
  if (id) {
    if (e) throw UsageError("--extend-num goes with --virtual-num");
    return AxeBindingKey(SubscriptionId{*id});
  }
  if (!e) {
    x_alone = x;
    return std::nullopt;
  }
  return AxeBindingKey(AxeExtension(*x, *e));
}

AxeBindingKey require_key(Args& args) {
  std::optional<PhoneNumber> x_alone;
  auto key = take_key(args, x_alone);
  if (!key) throw UsageError("--virtual-num needs --extend-num");
  return *key;
}

int bind(CommandContext& c) {
  auto a = c.args.require_number("bind-num");
  auto x = c.args.take_number("virtual-num");
  auto area = take_area(c.args);
  one_of("virtual-num", x.has_value(), "area-code", area.has_value());
  AxeBindRequest request(std::move(a), x ? AxeVirtualNumChoice(*x) : AxeVirtualNumChoice(*area));
  request.extend_num = c.args.take("extend-num");
  request.settings = take_settings(c.args);
  c.args.finish();
  return report(c, c.client().axe().bind(request));
}

int modify(CommandContext& c) {
  AxeModifyRequest request(require_key(c.args));
  request.settings = take_settings(c.args);
  c.args.finish();
  return report(c, c.client().axe().modify(request));
}

// v1.0: one binding. --v2: one binding, or the bindings on --virtual-num, one JSON line per page
// (all pages unless --cursor names one).
int query(CommandContext& c) {
  const bool v2 = c.args.take_switch("v2");
  std::optional<PhoneNumber> x_alone;
  auto key = take_key(c.args, x_alone);
  auto cursor = c.args.take("cursor");
  auto limit = c.args.take_int("limit");
  c.args.finish();
  if (!v2) {
    if (cursor || limit) throw UsageError("--cursor and --limit need --v2");
    if (!key) throw UsageError("--virtual-num needs --extend-num (or use --v2 to list every binding on X)");
    return report(c, c.client().axe().query(*key));
  }
  const std::optional<int> page_size = limit ? std::optional<int>(static_cast<int>(*limit)) : std::nullopt;
  if (key) {
    if (cursor) throw UsageError("--cursor only applies to listing a number (--virtual-num alone)");
    AxeQueryV2Request request(std::holds_alternative<SubscriptionId>(*key)
                                  ? AxeQueryV2Target(std::get<SubscriptionId>(*key))
                                  : AxeQueryV2Target(std::get<AxeExtension>(*key)));
    request.limit = page_size;
    return report(c, c.client().axe().query_v2(request));
  }
  if (cursor) {
    AxeQueryV2Request request{AxeBindingsOnNumber(*x_alone)};
    request.cursor = cursor;
    request.limit = page_size;
    return report(c, c.client().axe().query_v2(request));
  }
  return report_pages(c, c.client().axe().query_pages(AxeBindingsOnNumber(*x_alone), page_size));
}

// One number, one page (--cursor), or every page of the app's numbers.
int count(CommandContext& c) {
  auto number = c.args.take_number("number");
  auto cursor = c.args.take("cursor");
  auto limit = c.args.take_int("limit");
  c.args.finish();
  if (number) {
    if (cursor || limit) throw UsageError("--cursor and --limit do not apply with --number");
    return report(c, c.client().axe().count(*number));
  }
  const std::optional<int> page_size = limit ? std::optional<int>(static_cast<int>(*limit)) : std::nullopt;
  if (cursor) return report(c, c.client().axe().count(AxeCountPage{cursor, page_size}));
  return report_pages(c, c.client().axe().count_pages(page_size));
}

int unbind(CommandContext& c) {
  AxeBindingKey key = require_key(c.args);
  c.args.finish();
  return report(c, c.client().axe().unbind(key));
}

}  // namespace

std::vector<Command> axe_commands() {
  return {
      {"axe", "bind", "bind A to X with an extension (--virtual-num or --area-code)",
       Flags{phone("bind-num", "bindNum", "A: the user's real number").required_flag(),
             phone("virtual-num", "virtualNum", "the X to use (or --area-code)")} +
           area_flags() + Flags{text("extend-num", "extendNum", "the extension to use; absent: the platform picks")} +
           settings_flags(),
       bind},
      {"axe", "modify", "change an AXE binding; absent flags stay unchanged", key_flags() + settings_flags(), modify},
      {"axe", "query", "show a binding (v1.0), or with --v2 list every binding on X (one JSON line per page)",
       key_flags() + Flags{on_off("v2", "use the v2.0 query (cursor-paged)"),
                           text("cursor", "cursor", "the page to show (--v2 with --virtual-num alone)"),
                           integer("limit", "limit", 1, 1000000, "bindings per page (--v2)")},
       query},
      {"axe", "count", "binding counts of one X (--number), or of all the app's numbers page by page",
       {phone("number", "number", "the privacy number X"), text("cursor", "cursor", "the page to show"),
        integer("limit", "limit", 1, kAxeMaxCountPageSize, "numbers per page")},
       count},
      {"axe", "unbind", "remove an AXE binding", key_flags(), unbind},
  };
}

}  // namespace privacycall::cli
