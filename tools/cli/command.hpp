#ifndef PRIVACYCALL_CLI_COMMAND_HPP
#define PRIVACYCALL_CLI_COMMAND_HPP

// The CLI's command table. Each group (axb, ax, ..., sim) lives in its own file and
// contributes its commands, with their flag declarations, through one function declared here.

#include <privacycall/client.hpp>
#include <privacycall/common.hpp>

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "args.hpp"
#include "flags.hpp"

namespace CLI {
class App;
}

namespace privacycall::cli {

/// Exit statuses: 0 success, 1 the platform or the network said no, 2 bad input.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

/// What a command gets: its flags, the global connection settings and the output streams.
struct CommandContext {
  Args& args;
  /// Base URL and credentials from the global flags or PRIVACYCALL_* variables; empty
  /// fields when neither gave them (client() then fails with a usage error).
  ClientOptions connection;
  std::ostream& out;
  std::ostream& err;
  /// The whole parsed command line's definitions (for completion and the reference).
  const CLI::App& app;
  /// The file descriptor `out` writes to, or -1 when it writes to none (a test's buffer).
  int out_fd = -1;

  /// A Client for `connection`. Throws UsageError when base URL or credentials are missing.
  Client client() const;
};

struct Command {
  std::string group;
  std::string action;  ///< empty for single-word commands such as "sim"
  std::string summary;
  Flags flags;  ///< everything the command accepts
  std::function<int(CommandContext&)> run;
};

/// Prints a successful answer's JSON, or the error line; returns the exit status.
int report(CommandContext& context, const Result<ApiResponse>& result);

template <typename Response>
int report(CommandContext& context, const Result<Response>& result) {
  if (result.ok()) return report(context, Result<ApiResponse>(static_cast<const ApiResponse&>(*result)));
  return report(context, Result<ApiResponse>(result.error()));
}

// Flags shared by several groups, named after the wire fields: each declaration, then its
// reader.

/// --area-code with optional --area-match-mode 0|1.
Flags area_flags();
std::optional<AreaCode> take_area(Args& args);
/// --call-direction 0|1|2.
Flag call_direction_flag();
std::optional<CallDirection> take_call_direction(Args& args);
/// --pre-voice-caller-hint-tone / --pre-voice-callee-hint-tone into `target` when either is given.
Flags pre_voice_flags();
void take_pre_voice(Args& args, std::optional<PreVoice>& target);
/// A 0|1 display flag (--callee-num-display, --display-num-mode).
Flag display_flag(std::string name, std::string wire);
std::optional<DisplayNumber> take_display(Args& args, const std::string& name);
/// Refuses two alternatives given together, or neither when one is required.
void one_of(const char* first, bool has_first, const char* second, bool has_second, bool required = true);

/// Prints each page's JSON on its own line until the last page; stops at the first error.
template <typename Page>
int report_pages(CommandContext& context, Pager<Page> pager) {
  for (const auto& page : pager) {
    const int status = report(context, page);
    if (status != kExitOk) return status;
  }
  return kExitOk;
}

std::vector<Command> axb_commands();
std::vector<Command> ax_commands();
std::vector<Command> axe_commands();
std::vector<Command> axyb_commands();
std::vector<Command> call_commands();
std::vector<Command> recording_commands();
std::vector<Command> sim_commands();
std::vector<Command> listen_commands();
/// `queue list|replay`: the fleet's dead letters on Redis (fleet.cpp).
std::vector<Command> queue_commands();
std::vector<Command> doctor_commands();
std::vector<Command> sign_commands();
/// `completion bash` and `reference`: made from the parser's own definitions.
std::vector<Command> meta_commands();

}  // namespace privacycall::cli

#endif  // PRIVACYCALL_CLI_COMMAND_HPP
