// privacycall axyb bind|query|unbind (app_key goes into the query string from the connection)

#include "command.hpp"

namespace privacycall::cli {
namespace {

Flags settings_flags() {
  return {call_direction_flag(),
          integer("duration", "duration", 0, kAxybMaxDuration.count(), "AX lifetime in seconds; 0: never expires"),
          integer("yb-duration", "ybDuration", 0, kAxybMaxDuration.count(), "YB lifetime in seconds"),
          boolean("record-flag", "recordFlag", "record the calls"),
          text("record-hint-tone", "recordHintTone", "recording announcement (an approved audio file)"),
          text("pre-voice-x", "preVoiceX", "tone before calls through X"),
          text("pre-voice-y", "preVoiceY", "tone before calls through Y"),
          text("user-data", "userData", "echoed in the relation's events and CDRs")};
}

AxybSettings take_settings(Args& args) {
  AxybSettings s;
  s.call_direction = take_call_direction(args);
  s.duration = args.take_duration<std::chrono::seconds>("duration");
  s.yb_duration = args.take_duration<std::chrono::seconds>("yb-duration");
  s.record_flag = args.take_bool("record-flag");
  s.record_hint_tone = args.take("record-hint-tone");
  s.pre_voice_x = args.take("pre-voice-x");
  s.pre_voice_y = args.take("pre-voice-y");
  s.user_data = args.take("user-data");
  return s;
}

// Without --subscription-id: the AX call (A = --orig-num, --area-code required). With it: the
// YB call binding B = --orig-num into that relation.
int bind(CommandContext& c) {
  auto user = c.args.require_number("orig-num");
  auto id = c.args.take("subscription-id");
  auto area = take_area(c.args);
  auto settings = take_settings(c.args);
  c.args.finish();
  if (id) {
    AxybBindYbRequest request(SubscriptionId{*id}, std::move(user), area);
    request.settings = settings;
    return report(c, c.client().axyb().bind_yb(request));
  }
  if (!area) throw UsageError("--area-code is required to bind A to X (or give --subscription-id to bind B to Y)");
  AxybBindAxRequest request(std::move(user), *area);
  request.settings = settings;
  return report(c, c.client().axyb().bind_ax(request));
}

int query(CommandContext& c) {
  auto id = c.args.take("subscription-id");
  auto x = c.args.take_number("relation-num");
  c.args.finish();
  one_of("subscription-id", id.has_value(), "relation-num", x.has_value());
  if (id) return report(c, c.client().axyb().query(SubscriptionId{*id}));
  return report(c, c.client().axyb().query(AxybRelationsOnNumber(*x)));
}

// The whole relation, or with --y-num / --b-num only that YB leg.
int unbind(CommandContext& c) {
  SubscriptionId id{c.args.require("subscription-id")};
  auto y = c.args.take_number("y-num");
  auto b = c.args.take_number("b-num");
  c.args.finish();
  one_of("y-num", y.has_value(), "b-num", b.has_value(), false);
  if (y) return report(c, c.client().axyb().unbind(AxybUnbindYbByY(id, *y)));
  if (b) return report(c, c.client().axyb().unbind(AxybUnbindYbByB(id, *b)));
  return report(c, c.client().axyb().unbind(id));
}

}  // namespace

std::vector<Command> axyb_commands() {
  return {
      {"axyb", "bind", "bind A to X, or with --subscription-id B to Y",
       Flags{phone("orig-num", "origNum", "A (AX call), or B with --subscription-id (YB call)").required_flag(),
             text("subscription-id", "subscriptionId", "the relation to bind B into")} +
           area_flags() + settings_flags(),
       bind},
      {"axyb", "query", "show a relation, or the relations on X",
       {text("subscription-id", "subscriptionId", "the relation's ID"),
        phone("relation-num", "relationNum", "the privacy number X")},
       query},
      {"axyb", "unbind", "remove a relation, or one YB leg (--y-num / --b-num)",
       {text("subscription-id", "subscriptionId", "the relation's ID").required_flag(),
        phone("y-num", "yNum", "remove only the YB leg on this Y"), phone("b-num", "bNum", "remove only the YB leg of this B")},
       unbind},
  };
}

}  // namespace privacycall::cli
