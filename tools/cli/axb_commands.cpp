// privacycall axb bind|modify|query|unbind

#include "command.hpp"

namespace privacycall::cli {
namespace {

Flags settings_flags() {
  return Flags{call_direction_flag(),
               integer("duration", "duration", 0, kAxbMaxBindingDuration.count(),
                       "lifetime in seconds (90 days at most); 0: never expires"),
               boolean("record-flag", "recordFlag", "record the calls"),
               text("record-hint-tone", "recordHintTone", "recording announcement (an approved audio file)"),
               integer("max-duration", "maxDuration", 0, kMaxCallDuration.count(),
                       "longest call in minutes; 0: no limit"),
               text("last-min-voice", "lastMinVoice", "tone when one minute remains"),
               boolean("private-sms", "privateSms", "relay SMS through X")} +
         pre_voice_flags() + Flags{text("user-data", "userData", "echoed in the binding's events and CDRs")};
}

AxbSettings take_settings(Args& args) {
  AxbSettings s;
  s.call_direction = take_call_direction(args);
  s.duration = args.take_duration<std::chrono::seconds>("duration");
  s.record_flag = args.take_bool("record-flag");
  s.record_hint_tone = args.take("record-hint-tone");
  s.max_duration = args.take_duration<std::chrono::minutes>("max-duration");
  s.last_min_voice = args.take("last-min-voice");
  s.private_sms = args.take_bool("private-sms");
  take_pre_voice(args, s.pre_voice);
  s.user_data = args.take("user-data");
  return s;
}

int bind(CommandContext& c) {
  AxbBindRequest request(c.args.require_number("caller-num"), c.args.require_number("callee-num"));
  auto relation = c.args.take_number("relation-num");
  auto area = take_area(c.args);
  one_of("relation-num", relation.has_value(), "area-code", area.has_value(), false);
  if (relation) request.relation = *relation;
  if (area) request.relation = *area;
  request.settings = take_settings(c.args);
  c.args.finish();
  return report(c, c.client().axb().bind(request));
}

int modify(CommandContext& c) {
  AxbModifyRequest request(SubscriptionId{c.args.require("subscription-id")});
  request.caller_num = c.args.take_number("caller-num");
  request.callee_num = c.args.take_number("callee-num");
  request.settings = take_settings(c.args);
  c.args.finish();
  return report(c, c.client().axb().modify(request));
}

int query(CommandContext& c) {
  auto id = c.args.take("subscription-id");
  auto relation = c.args.take_number("relation-num");
  auto caller = c.args.take_number("caller-num");
  auto callee = c.args.take_number("callee-num");
  auto page_index = c.args.take_int("page-index");
  auto page_size = c.args.take_int("page-size");
  c.args.finish();
  if (id && relation) throw UsageError("give --subscription-id or --relation-num, not both");
  if (id) {
    if (caller || callee || page_index || page_size) {
      throw UsageError("--subscription-id names one binding; number and paging flags go with --relation-num");
    }
    return report(c, c.client().axb().query(SubscriptionId{*id}));
  }
  if (!relation) throw UsageError("--subscription-id or --relation-num is required");
  AxbBindingsOnNumber on(*relation, caller, callee);
  if (page_index) on.page_index = static_cast<int>(*page_index);
  if (page_size) on.page_size = static_cast<int>(*page_size);
  return report(c, c.client().axb().query(on));
}

int unbind(CommandContext& c) {
  auto id = c.args.take("subscription-id");
  auto relation = c.args.take_number("relation-num");
  c.args.finish();
  if (id && relation) throw UsageError("give --subscription-id or --relation-num, not both");
  if (id) return report(c, c.client().axb().unbind(SubscriptionId{*id}));
  if (!relation) throw UsageError("--subscription-id or --relation-num is required");
  return report(c, c.client().axb().unbind(AxbAllBindingsOnNumber{*relation}));
}

}  // namespace

std::vector<Command> axb_commands() {
  const Flag id = text("subscription-id", "subscriptionId", "the binding's ID");
  const Flag x = phone("relation-num", "relationNum", "the privacy number X");
  return {
      {"axb", "bind", "bind A and B to a privacy number X",
       Flags{phone("caller-num", "callerNum", "A").required_flag(), phone("callee-num", "calleeNum", "B").required_flag(),
             phone("relation-num", "relationNum", "the X to use (or --area-code; neither: an X near A)")} +
           area_flags() + settings_flags(),
       bind},
      {"axb", "modify", "change an AXB binding; absent flags stay unchanged",
       Flags{Flag(id).required_flag(), phone("caller-num", "callerNum", "new A"), phone("callee-num", "calleeNum", "new B")} +
           settings_flags(),
       modify},
      {"axb", "query", "show a binding (--subscription-id), or the bindings on X (--relation-num)",
       {id, x, phone("caller-num", "callerNum", "only bindings of this A (with --relation-num)"),
        phone("callee-num", "calleeNum", "only bindings of this B (with --relation-num)"),
        integer("page-index", "pageIndex", 1, 1000000, "page to show, from 1"),
        integer("page-size", "pageSize", 10, 100, "bindings per page")},
       query},
      {"axb", "unbind", "remove a binding (--subscription-id), or every binding on X (--relation-num)", {id, x}, unbind},
  };
}

}  // namespace privacycall::cli
