#include "command_line.hpp"

#include <privacycall/version.hpp>

#include <algorithm>
#include <functional>
#include <sstream>

namespace privacycall::cli {
namespace {

// One line per group in the top-level --help.
const std::map<std::string, std::string>& group_summaries() {
  static const std::map<std::string, std::string> summaries = {
      {"axb", "AXB bindings: A and B share a privacy number X"},
      {"ax", "AX bindings: A gets a privacy number X"},
      {"axe", "AXE bindings: X plus an extension per binding"},
      {"axyb", "AXYB relations: A with X, B with Y"},
      {"call", "calls in progress"},
      {"recording", "call recordings"},
      {"completion", "shell completion scripts"},
  };
  return summaries;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::vector<const CLI::App*> subcommands_of(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App*) { return true; });
}

std::vector<std::string> long_flags_of(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* option : app.get_options()) {
    for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
  }
  return names;
}

std::vector<std::string> names_of(const std::vector<const CLI::App*>& apps) {
  std::vector<std::string> names;
  for (const CLI::App* app : apps) names.push_back(app->get_name());
  return names;
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& known) {
  const std::string best = closest(word, known);
  return best.empty() ? std::string() : "; did you mean " + best + "?";
}

std::string joined(const std::vector<std::string>& words, const char* separator) {
  std::string out;
  for (const auto& word : words) out += (out.empty() ? "" : separator) + word;
  return out;
}

// Refuses what `app` did not recognise, naming the closest known flag or subcommand.
void refuse_leftovers(const CLI::App& app, const std::string& where) {
  const std::vector<std::string> left = app.remaining();
  if (left.empty()) return;
  std::string word = left.front();
  if (word.rfind("-", 0) == 0) {
    word = word.substr(0, word.find('='));
    std::string message = "unknown flag " + word + where + did_you_mean(word, long_flags_of(app));
    if (app.get_parent() == nullptr) message += " (a command's flags go after the command)";
    throw UsageError(message);
  }
  const auto subcommands = subcommands_of(app);
  if (!subcommands.empty()) {
    throw UsageError("unknown command '" + word + "'" + where + did_you_mean(word, names_of(subcommands)));
  }
  throw UsageError("unexpected argument '" + word + "'" + where + " (flags look like --name value)");
}

std::string command_path(const CLI::App& app) {
  std::string path;
  for (const CLI::App* at = &app; at->get_parent() != nullptr; at = at->get_parent()) {
    path = at->get_name() + (path.empty() ? "" : " " + path);
  }
  return path;
}

void visit(const CLI::App& app, const std::function<void(const CLI::App&)>& fn) {
  fn(app);
  for (const CLI::App* sub : subcommands_of(app)) visit(*sub, fn);
}

std::string cell(std::string text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

void option_table(std::ostringstream& out, const CLI::App& app) {
  out << "| flag | value | default | meaning |\n|---|---|---|---|\n";
  for (const CLI::Option* option : app.get_options()) {
    const auto names = option->get_lnames();
    if (names.empty() || names.front() == "help") continue;
    out << "| `--" << names.front() << "` | " << (option->get_type_name().empty() ? "" : "`" + cell(option->get_type_name()) + "`")
        << " | " << (option->get_default_str().empty() ? "" : "`" + cell(option->get_default_str()) + "`") << " | "
        << cell(option->get_description()) << " |\n";
  }
}

}  // namespace

std::string closest(const std::string& word, const std::vector<std::string>& known) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const std::string& candidate : known) {
    const std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

CommandLine::CommandLine(const std::vector<Command>& commands, GlobalFlags& globals)
    : app_("Every PrivateNumber endpoint from the shell, plus the simulator.", "privacycall") {
  app_.set_version_flag("--version", std::string("privacycall ") + kVersion);
  app_.allow_extras();  // refused by parse(), with a suggestion
  app_.add_option("--base-url", globals.connection.base_url, "the app's access address (or PRIVACYCALL_BASE_URL)")
      ->type_name("URL");
  app_.add_option("--app-key", globals.connection.app_key, "the app's APP_Key (or PRIVACYCALL_APP_KEY)")
      ->type_name("TEXT");
  app_.add_option("--app-secret", globals.connection.app_secret,
                  "the app's APP_Secret; prefer PRIVACYCALL_APP_SECRET (command lines are visible to others)")
      ->type_name("TEXT");
  app_.add_option("--signature-scheme", signature_scheme_, "how requests are signed: X-AKSK, or the legacy X-WSSE")
      ->type_name("aksk|wsse")
      ->default_str("aksk");
  app_.add_flag("--verbose", globals.verbose, "log each HTTP attempt on stderr (numbers masked)");
  app_.footer(
      "Global flags go before the command, the command's flags after it. API flags are the platform's\n"
      "parameter names in kebab-case (callerNum -> --caller-num); `privacycall COMMAND --help` lists them.\n"
      "Exit status: 0 success, 1 the platform or the network refused, 2 bad input (nothing sent).");
  std::map<std::string, CLI::App*> groups;
  for (const Command& command : commands) {
    CLI::App* parent = &app_;
    if (!command.action.empty()) {
      CLI::App*& group = groups[command.group];
      if (group == nullptr) {
        const auto summary = group_summaries().find(command.group);
        group = app_.add_subcommand(command.group, summary == group_summaries().end() ? "" : summary->second);
        group->allow_extras();
      }
      parent = group;
    }
    CLI::App* sub = parent->add_subcommand(command.action.empty() ? command.group : command.action, command.summary);
    sub->allow_extras();
    Binding& binding = bindings_.emplace_back(Binding{&command, sub, {}, {}});
    for (const Flag& flag : command.flags) {
      if (flag.type == FlagType::kSwitch) {
        std::vector<std::string>& storage = binding.values[flag.name];
        sub->add_flag_function(
            "--" + flag.name,
            [&storage](std::int64_t count) { storage.assign(static_cast<std::size_t>(count), std::string()); },
            flag.description());
        continue;
      }
      CLI::Option* option =
          flag.repeatable
              ? sub->add_option("--" + flag.name, binding.values[flag.name], flag.description())->allow_extra_args(false)
              : sub->add_option("--" + flag.name, binding.single[flag.name], flag.description())
                    ->multi_option_policy(CLI::MultiOptionPolicy::Throw);
      option->type_name(flag.type_name());
      if (!flag.default_value.empty()) option->default_str(flag.default_value);
    }
  }
  globals_ = &globals;
}

ParsedCommand CommandLine::parse(int argc, char** argv) {
  try {
    app_.parse(argc, argv);
  } catch (const CLI::Success&) {
    throw;  // --help, --version
  } catch (const CLI::ParseError& e) {
    throw UsageError(e.what());
  }
  if (signature_scheme_ == "wsse") {
    globals_->connection.signature_scheme = SignatureScheme::kWsse;
  } else if (!signature_scheme_.empty() && signature_scheme_ != "aksk") {
    throw UsageError("--signature-scheme must be one of: aksk, wsse");
  }
  refuse_leftovers(app_, "");
  for (Binding& binding : bindings_) {
    if (!binding.subcommand->parsed()) continue;
    refuse_leftovers(*binding.subcommand, " for " + command_path(*binding.subcommand));
    ParsedCommand parsed;
    parsed.command = binding.command;
    for (auto& [name, values] : binding.values) {
      if (!values.empty()) parsed.values[name] = values;
    }
    for (auto& [name, value] : binding.single) {
      if (binding.subcommand->count("--" + name) > 0) parsed.values[name] = {value};
    }
    return parsed;
  }
  for (const CLI::App* group : subcommands_of(app_)) {
    if (!group->parsed()) continue;
    refuse_leftovers(*group, " of " + group->get_name());
    throw UsageError("'" + group->get_name() + "' needs one of: " + joined(names_of(subcommands_of(*group)), ", "));
  }
  return {};
}

std::string bash_completion(const CLI::App& app) {
  std::ostringstream paths, cases;
  visit(app, [&](const CLI::App& at) {
    const std::string path = command_path(at);
    std::vector<std::string> words = long_flags_of(at);
    for (const std::string& name : names_of(subcommands_of(at))) words.push_back(name);
    if (!path.empty()) paths << (paths.tellp() > 0 ? "|" : "") << '"' << path << '"';
    cases << "    \"" << path << "\") words=\"" << joined(words, " ") << "\" ;;\n";
  });
  std::ostringstream out;
  out << "# bash completion for privacycall, made by `privacycall completion bash` from its parser.\n"
         "# Load it with: source <(privacycall completion bash)\n"
         "_privacycall() {\n"
         "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" path=\"\" next words i\n"
         "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "    next=\"${path:+$path }${COMP_WORDS[i]}\"\n"
         "    case \"$next\" in\n"
         "      "
      << paths.str()
      << ") path=\"$next\" ;;\n"
         "    esac\n"
         "  done\n"
         "  case \"$path\" in\n"
      << cases.str()
      << "  esac\n"
         "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
         "}\n"
         "complete -F _privacycall privacycall\n";
  return out.str();
}

std::string markdown_reference(const CLI::App& app) {
  std::ostringstream out;
  out << "### Global flags\n\n`privacycall [GLOBAL FLAGS] COMMAND [FLAGS]`\n\n";
  option_table(out, app);
  visit(app, [&](const CLI::App& at) {
    if (at.get_parent() == nullptr || !subcommands_of(at).empty()) return;  // the leaves are commands
    out << "\n### `" << command_path(at) << "`\n\n" << at.get_description() << ".\n\n";
    option_table(out, at);
  });
  return out.str();
}

}  // namespace privacycall::cli
