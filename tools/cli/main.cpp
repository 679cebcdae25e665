// privacycall: every PrivateNumber endpoint from the shell, plus the simulator.

#include <privacycall/version.hpp>

#include <iostream>
#include <map>

#include "command.hpp"

namespace privacycall::cli {
namespace {

std::vector<Command> all_commands() {
  std::vector<Command> commands;
  for (auto group : {axb_commands, ax_commands, axe_commands, axyb_commands, call_commands, recording_commands,
                     sim_commands, listen_commands}) {
    for (auto& command : group()) commands.push_back(std::move(command));
  }
  return commands;
}

void print_usage(std::ostream& out, const std::vector<Command>& commands) {
  out << "usage: privacycall [--base-url URL] [--app-key KEY] [--app-secret SECRET] [--verbose]\n"
         "                   GROUP ACTION [--flag value]...\n\n"
         "Base URL and credentials also come from PRIVACYCALL_BASE_URL, PRIVACYCALL_APP_KEY and\n"
         "PRIVACYCALL_APP_SECRET (preferred for the secret: command lines are visible to other users).\n"
         "API flags are the platform's parameter names in kebab-case (callerNum -> --caller-num).\n"
         "Prints the platform's JSON answer; exit 0 on success, 1 when the platform or network\n"
         "refused, 2 on bad input (nothing is sent).\n\ncommands:\n";
  for (const auto& command : commands) {
    std::string name = command.group + (command.action.empty() ? "" : " " + command.action);
    out << "  " << name << std::string(name.size() < 22 ? 22 - name.size() : 1, ' ') << command.summary << "\n";
  }
}

const char* env_or_null(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : nullptr;
}

int run(int argc, char** argv) {
  const auto commands = all_commands();
  ClientOptions connection;
  if (const char* v = env_or_null("PRIVACYCALL_BASE_URL")) connection.base_url = v;
  if (const char* v = env_or_null("PRIVACYCALL_APP_KEY")) connection.app_key = v;
  if (const char* v = env_or_null("PRIVACYCALL_APP_SECRET")) connection.app_secret = v;
  bool verbose = false;

  int i = 1;
  const std::map<std::string, std::string*> globals = {{"--base-url", &connection.base_url},
                                                        {"--app-key", &connection.app_key},
                                                        {"--app-secret", &connection.app_secret}};
  for (; i < argc; ++i) {
    std::string token = argv[i];
    if (token == "--help" || token == "-h") {
      print_usage(std::cout, commands);
      return kExitOk;
    }
    if (token == "--version") {
      std::cout << "privacycall " << kVersion << "\n";
      return kExitOk;
    }
    if (token == "--verbose") {
      verbose = true;
      continue;
    }
    if (token.compare(0, 2, "--") != 0) break;
    std::string value;
    const auto eq = token.find('=');
    if (eq != std::string::npos) {
      value = token.substr(eq + 1);
      token = token.substr(0, eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      throw UsageError(token + " needs a value");
    }
    const auto global = globals.find(token);
    if (global == globals.end()) throw UsageError("unknown global flag " + token + " (flags of a command go after it)");
    *global->second = value;
  }
  if (i >= argc) {
    print_usage(std::cerr, commands);
    return kExitUsage;
  }
  if (verbose) {
    connection.log = [](const LogRecord& record) {
      std::cerr << "privacycall: " << to_string(record.level) << ": " << record.message << "\n";
    };
  }

  const std::string group = argv[i];
  const Command* chosen = nullptr;
  int flags_start = i + 1;
  for (const auto& command : commands) {
    if (command.group != group) continue;
    if (command.action.empty()) {
      chosen = &command;
      break;
    }
    if (i + 1 < argc && command.action == argv[i + 1]) {
      chosen = &command;
      flags_start = i + 2;
      break;
    }
  }
  if (chosen == nullptr) {
    std::string known;
    for (const auto& command : commands) {
      if (command.group == group) known += (known.empty() ? "" : ", ") + command.action;
    }
    throw UsageError(known.empty() ? "unknown command '" + group + "'"
                                   : "'" + group + "' needs one of: " + known);
  }
  Args args(argc, argv, flags_start);
  CommandContext context{args, connection, std::cout, std::cerr};
  return chosen->run(context);
}

}  // namespace
}  // namespace privacycall::cli

int main(int argc, char** argv) {
  try {
    return privacycall::cli::run(argc, argv);
  } catch (const privacycall::cli::UsageError& e) {
    std::cerr << "privacycall: " << e.what() << " (see privacycall --help)\n";
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
