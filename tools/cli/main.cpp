// privacycall: every PrivateNumber endpoint from the shell, plus the simulator.

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "command.hpp"
#include "command_line.hpp"

namespace privacycall::cli {
namespace {

std::vector<Command> all_commands() {
  std::vector<Command> commands;
  for (auto group : {axb_commands, ax_commands, axe_commands, axyb_commands, call_commands, recording_commands,
                     sim_commands, listen_commands, queue_commands, doctor_commands, sign_commands, meta_commands}) {
    for (auto& command : group()) commands.push_back(std::move(command));
  }
  return commands;
}

const char* env_or_null(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : nullptr;
}

int run(int argc, char** argv) {
  const auto commands = all_commands();
  GlobalFlags globals;
  if (const char* v = env_or_null("PRIVACYCALL_BASE_URL")) globals.connection.base_url = v;
  if (const char* v = env_or_null("PRIVACYCALL_APP_KEY")) globals.connection.app_key = v;
  if (const char* v = env_or_null("PRIVACYCALL_APP_SECRET")) globals.connection.app_secret = v;
  CommandLine line(commands, globals);
  ParsedCommand parsed;
  try {
    parsed = line.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return line.app().exit(e);  // --help or --version, on stdout
  }
  if (parsed.command == nullptr) {
    std::cerr << line.app().help();
    return kExitUsage;
  }
  if (globals.verbose) {
    globals.connection.log = [](const LogRecord& record) {
      std::cerr << "privacycall: " << to_string(record.level) << ": " << record.message << "\n";
    };
  }
  Args args(parsed.command->flags, std::move(parsed.values));
  CommandContext context{args, globals.connection, std::cout, std::cerr, line.app(), STDOUT_FILENO};
  return parsed.command->run(context);
}

}  // namespace

std::vector<Command> meta_commands() {
  const auto completion = [](CommandContext& c) {
    c.args.finish();
    c.out << bash_completion(c.app);
    return kExitOk;
  };
  const auto reference = [](CommandContext& c) {
    c.args.finish();
    c.out << markdown_reference(c.app);
    return kExitOk;
  };
  return {
      {"completion", "bash", "print a bash completion script: source <(privacycall completion bash)", {}, completion},
      {"reference", "", "print every command's flags in Markdown (the reference part of docs/cli.md)", {}, reference},
  };
}

}  // namespace privacycall::cli

int main(int argc, char** argv) {
  try {
    return privacycall::cli::run(argc, argv);
  } catch (const privacycall::cli::UsageError& e) {
    std::cerr << "privacycall: " << e.what() << " (see --help)\n";
    return privacycall::cli::kExitUsage;
  } catch (const privacycall::Exception& e) {
    std::cerr << "privacycall: error: " << e.error().to_string() << "\n";
    return e.error().category == privacycall::ErrorCategory::kValidation ? privacycall::cli::kExitUsage
                                                                         : privacycall::cli::kExitFailed;
  } catch (const std::exception& e) {
    std::cerr << "privacycall: " << e.what() << "\n";
    return privacycall::cli::kExitFailed;
  }
}
