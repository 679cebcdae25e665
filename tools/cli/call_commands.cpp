// privacycall call stop

#include "command.hpp"

namespace privacycall::cli {
namespace {

int stop(CommandContext& c) {
  StopCallRequest request(c.args.require("session-id"));
  c.args.finish();
  return report(c, c.client().calls().stop_call(request));
}

}  // namespace

std::vector<Command> call_commands() {
  return {{"call", "stop", "end a call in progress (--session-id from its call event or CDR)",
           {text("session-id", "sessionid", "the call's sessionId").required_flag()}, stop}};
}

}  // namespace privacycall::cli
