#ifndef PRIVACYCALL_CLI_COMMAND_LINE_HPP
#define PRIVACYCALL_CLI_COMMAND_LINE_HPP

// The CLI11 parser, built from the command table: global flags, one subcommand per group and
// action, one option per declared Flag. --help, the bash completion and the Markdown
// reference all come from it, so none can drift from what is parsed.

#include <CLI/CLI.hpp>

#include <list>
#include <map>
#include <string>
#include <vector>

#include "command.hpp"

namespace privacycall::cli {

/// What comes before the group: connection and output settings.
struct GlobalFlags {
  ClientOptions connection;  ///< base URL, credentials and signature scheme
  bool verbose = false;
};

/// The command chosen and the values given to its flags.
struct ParsedCommand {
  const Command* command = nullptr;
  std::map<std::string, std::vector<std::string>> values;
};

class CommandLine {
 public:
  /// `commands` and `globals` must outlive this object; `globals` receives the global flags.
  CommandLine(const std::vector<Command>& commands, GlobalFlags& globals);

  /// Parses argv. Throws CLI::CallForHelp / CLI::CallForVersion (handled by CLI::App::exit)
  /// and UsageError for anything the user got wrong, naming an unknown flag or command with
  /// the closest known one. `command` is null when no group was given.
  ParsedCommand parse(int argc, char** argv);

  CLI::App& app() { return app_; }

 private:
  // Where CLI11 writes one command's flags: a string per single flag (CLI11 refuses it given
  // twice), a list per repeatable one, a count per switch.
  struct Binding {
    const Command* command;
    CLI::App* subcommand;
    std::map<std::string, std::string> single;
    std::map<std::string, std::vector<std::string>> values;  // repeatable flags and switches
  };
  CLI::App app_;
  std::list<Binding> bindings_;  // a list: options write into `values` by address
  std::string signature_scheme_;
  GlobalFlags* globals_ = nullptr;
};

/// The known word closest to `word` (edit distance), or "" when none is close.
std::string closest(const std::string& word, const std::vector<std::string>& known);

/// A bash completion script for every command and flag of `app`.
std::string bash_completion(const CLI::App& app);

/// The reference part of docs/cli.md: every command with its flags, types, defaults and
/// wire names, in Markdown.
std::string markdown_reference(const CLI::App& app);

}  // namespace privacycall::cli

#endif  // PRIVACYCALL_CLI_COMMAND_LINE_HPP
