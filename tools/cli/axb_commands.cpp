// privacycall axb bind|modify|query|unbind

#include "command.hpp"

namespace privacycall::cli {
namespace {

AxbSettings take_settings(Args& args) {
  AxbSettings s;
  s.call_direction = take_call_direction(args);
  s.duration = args.take_duration<std::chrono::seconds>("duration", 0, kAxbMaxBindingDuration.count());
  s.record_flag = args.take_bool("record-flag");
  s.record_hint_tone = args.take("record-hint-tone");
  s.max_duration = args.take_duration<std::chrono::minutes>("max-duration", 0, kMaxCallDuration.count());
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
  auto page_index = c.args.take_int("page-index", 1, 1000000);
  auto page_size = c.args.take_int("page-size", 10, 100);
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
  return {
      {"axb", "bind", "bind A and B to a privacy number X", bind},
      {"axb", "modify", "change an AXB binding", modify},
      {"axb", "query", "show a binding, or the bindings on X", query},
      {"axb", "unbind", "remove a binding, or every binding on X", unbind},
  };
}

}  // namespace privacycall::cli
