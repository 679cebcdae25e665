// privacycall ax bind|modify|query|unbind|set-callee

#include "command.hpp"

namespace privacycall::cli {
namespace {

Flags settings_flags() {
  return Flags{display_flag("callee-num-display", "calleeNumDisplay"),
               boolean("record-flag", "recordFlag", "record the calls"),
               text("record-hint-tone", "recordHintTone", "recording announcement (an approved audio file)"),
               boolean("private-sms", "privateSms", "relay SMS through X")} +
         pre_voice_flags() +
         Flags{integer("max-duration", "maxDuration", 0, kMaxCallDuration.count(), "longest call in minutes; 0: no limit"),
               text("last-min-voice", "lastMinVoice", "tone when one minute remains"),
               text("user-data", "userData", "echoed in the binding's events and CDRs"),
               choice("turn-flag", "turnFlag", {"on", "off"}, "whether calls through X are connected"),
               call_direction_flag()};
}

// --subscription-id or --private-num: one binding.
Flags key_flags() {
  return {text("subscription-id", "subscriptionId", "the binding's ID (or --private-num)"),
          phone("private-num", "privateNum", "the binding's privacy number X (or --subscription-id)")};
}

AxSettings take_settings(Args& args) {
  AxSettings s;
  s.callee_num_display = take_display(args, "callee-num-display");
  s.record_flag = args.take_bool("record-flag");
  s.record_hint_tone = args.take("record-hint-tone");
  s.private_sms = args.take_bool("private-sms");
  take_pre_voice(args, s.pre_voice);
  s.max_duration = args.take_duration<std::chrono::minutes>("max-duration");
  s.last_min_voice = args.take("last-min-voice");
  s.user_data = args.take("user-data");
  if (auto turn = args.take_choice("turn-flag")) s.turn_flag = *turn == "on";
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
  auto type = c.args.take_choice("private-num-type");
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
  request.duration = c.args.take_duration<std::chrono::seconds>("duration");
  request.user_data = c.args.take("user-data");
  c.args.finish();
  return report(c, c.client().ax().set_temporary_callee(request));
}

}  // namespace

std::vector<Command> ax_commands() {
  const Flag a = phone("orig-num", "origNum", "A: the user's real number");
  return {
      {"ax", "bind", "bind A to a privacy number X (--private-num or --area-code)",
       Flags{Flag(a).required_flag(), phone("private-num", "privateNum", "the X to use (or --area-code)")} + area_flags() +
           Flags{choice("private-num-type", "privateNumType", {"mobile-virtual"}, "kind of X to pick; needs --area-code")} +
           settings_flags(),
       bind},
      {"ax", "modify", "change an AX binding; absent flags stay unchanged",
       key_flags() + Flags{phone("orig-num", "origNum", "new A")} + settings_flags(), modify},
      {"ax", "query", "show a binding, an A's bindings, or the binding on X (exactly one flag)",
       {text("subscription-id", "subscriptionId", "the binding's ID"), Flag(a),
        phone("private-num", "privateNum", "the privacy number X")},
       query},
      {"ax", "unbind", "remove an AX binding", key_flags() + Flags{phone("orig-num", "origNum", "A, to check")}, unbind},
      {"ax", "set-callee", "set whom A's next call through X reaches",
       key_flags() + Flags{phone("callee-num", "calleeNum", "the temporary callee").required_flag(),
                           phone("orig-num", "origNum", "A, to check"),
                           integer("duration", "duration", kAxMinTemporaryCalleeDuration.count(),
                                   kAxMaxTemporaryCalleeDuration.count(), "how long it holds, in seconds"),
                           text("user-data", "userData", "echoed in the call's events and CDR")},
       set_callee},
  };
}

}  // namespace privacycall::cli
