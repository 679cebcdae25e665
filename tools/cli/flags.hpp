#ifndef PRIVACYCALL_CLI_FLAGS_HPP
#define PRIVACYCALL_CLI_FLAGS_HPP

// What a command accepts, declared once: the parser (CLI11), --help, the bash completion and
// docs/cli.md are all made from these declarations, and Args checks values against them.

#include <string>
#include <vector>

namespace privacycall::cli {

enum class FlagType {
  kText,     ///< any string
  kPhone,    ///< a number in global format (+8613800000021)
  kInteger,  ///< a whole number within [min, max]
  kReal,     ///< a positive decimal number
  kBool,     ///< true | false
  kChoice,   ///< one of `choices`
  kSwitch,   ///< no value
};

struct Flag {
  std::string name;  ///< without the leading "--"
  FlagType type = FlagType::kText;
  std::string help;
  /// The platform's parameter name (callerNum), empty for the CLI's own flags.
  std::string wire;
  long long min = 0, max = 0;        ///< kInteger
  std::vector<std::string> choices;  ///< kChoice
  /// Shown in --help; empty when the flag has no default here (the platform's applies).
  std::string default_value;
  bool required = false;
  bool repeatable = false;

  Flag required_flag() && {
    required = true;
    return std::move(*this);
  }
  Flag defaults_to(std::string value) && {
    default_value = std::move(value);
    return std::move(*this);
  }
  Flag repeatable_flag() && {
    repeatable = true;
    return std::move(*this);
  }
  /// "TEXT", "NUMBER", "INT 0..7776000", "true|false", "0|1|2", "REAL"; empty for a switch.
  std::string type_name() const;
  /// The help text with the wire name and "required" / "repeatable" notes.
  std::string description() const;
};

using Flags = std::vector<Flag>;

Flag text(std::string name, std::string wire, std::string help);
Flag phone(std::string name, std::string wire, std::string help);
Flag integer(std::string name, std::string wire, long long min, long long max, std::string help);
Flag real(std::string name, std::string help);
Flag boolean(std::string name, std::string wire, std::string help);
Flag choice(std::string name, std::string wire, std::vector<std::string> choices, std::string help);
Flag on_off(std::string name, std::string help);

/// `base` followed by `more`.
Flags operator+(Flags base, const Flags& more);

}  // namespace privacycall::cli

#endif  // PRIVACYCALL_CLI_FLAGS_HPP
