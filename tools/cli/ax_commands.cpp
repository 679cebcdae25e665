// privacycall ax bind|modify|query|unbind|set-callee

#include "command.hpp"

namespace privacycall::cli {
namespace {

AxSettings take_settings(Args& args) {
  AxSettings s;
  s.callee_num_display = take_display(args, "callee-num-display");
  s.record_flag = args.take_bool("record-flag");
  s.record_hint_tone = args.take("record-hint-tone");
  s.private_sms = args.take_bool("private-sms");
  take_pre_voice(args, s.pre_voice);
  s.max_duration = args.take_duration<std::chrono::minutes>("max-duration", 0, kMaxCallDuration.count());
  s.last_min_voice = args.take("last-min-voice");
  s.user_data = args.take("user-data");
  if (auto turn = args.take_choice("turn-flag", {"on", "off"})) s.turn_flag = *turn == "on";
  s.call_direction = take_call_direction(args);
  return s;
}

// --subscription-id or --private-num: one binding.
AxBindingKey take_key(Args& args) {
  auto id = args.take("subscription-id");
  auto x = args.take_number("private-num");
  one_of("subscription-id", id.has_value(), "private-num", x.has_value());
  if (id) return SubscriptionId{*id};
  return AxBindingOnNumber(*x);
}

int bind(CommandContext& c) {
  auto a = c.args.require_number("orig-num");
  auto x = c.args.take_number("private-num");
  auto area = take_area(c.args);
  auto type = c.args.take_choice("private-num-type", {"mobile-virtual"});
  one_of("private-num", x.has_value(), "area-code", area.has_value());
  if (type && !area) throw UsageError("--private-num-type goes with --area-code");
  AxBindRequest request(std::move(a), x ? AxPrivateNumChoice(*x) : AxPrivateNumChoice(AxNumberFromArea(*area)));
  request.settings = take_settings(c.args);
  c.args.finish();
  return report(c, c.client().ax().bind(request));
}

int modify(CommandContext& c) {
  AxModifyRequest request(take_key(c.args));
  request.orig_num = c.args.take_number("orig-num");
  request.settings = take_settings(c.args);
  c.args.finish();
  return report(c, c.client().ax().modify(request));
}

int query(CommandContext& c) {
  auto id = c.args.take("subscription-id");
  auto a = c.args.take_number("orig-num");
  auto x = c.args.take_number("private-num");
  c.args.finish();
  if (static_cast<int>(id.has_value()) + a.has_value() + x.has_value() != 1) {
    throw UsageError("give exactly one of --subscription-id, --orig-num, --private-num");
  }
  if (id) return report(c, c.client().ax().query(SubscriptionId{*id}));
  if (a) return report(c, c.client().ax().query(AxBindingsOfUser(*a)));
  return report(c, c.client().ax().query(AxBindingOnNumber(*x)));
}

int unbind(CommandContext& c) {
  AxUnbindRequest request(take_key(c.args), c.args.take_number("orig-num"));
  c.args.finish();
  return report(c, c.client().ax().unbind(request));
}

int set_callee(CommandContext& c) {
  AxBindingKey key = take_key(c.args);
  AxTemporaryCalleeRequest request(std::move(key), c.args.require_number("callee-num"));
  request.orig_num = c.args.take_number("orig-num");
  request.duration = c.args.take_duration<std::chrono::seconds>("duration", kAxMinTemporaryCalleeDuration.count(),
                                                                 kAxMaxTemporaryCalleeDuration.count());
  request.user_data = c.args.take("user-data");
  c.args.finish();
  return report(c, c.client().ax().set_temporary_callee(request));
}

}  // namespace

std::vector<Command> ax_commands() {
  return {
      {"ax", "bind", "bind A to a privacy number X (--private-num or --area-code)", bind},
      {"ax", "modify", "change an AX binding", modify},
      {"ax", "query", "show a binding, an A's bindings, or the binding on X", query},
      {"ax", "unbind", "remove an AX binding", unbind},
      {"ax", "set-callee", "set whom A's next call through X reaches", set_callee},
  };
}

}  // namespace privacycall::cli
