#ifndef PRIVACYCALL_CLI_ARGS_HPP
#define PRIVACYCALL_CLI_ARGS_HPP

// The values one command was given, read by flag name and converted as its Flag declares
// (range, choices, phone number format). Parsing itself is CLI11's (see cli_app.hpp).

#include <privacycall/phone_number.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "flags.hpp"

namespace privacycall::cli {

/// Bad input on the command line: exit status 2, nothing sent.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  /// `values`: what was given per flag name (one entry per occurrence; "" for a switch).
  Args(const Flags& flags, std::map<std::string, std::vector<std::string>> values);

  std::optional<std::string> take(const std::string& name);
  std::string require(const std::string& name);
  std::vector<std::string> take_all(const std::string& name);
  /// A flag without a value (`--v2`).
  bool take_switch(const std::string& name);

  std::optional<PhoneNumber> take_number(const std::string& name);
  PhoneNumber require_number(const std::string& name);
  /// Within the flag's declared range.
  std::optional<long long> take_int(const std::string& name);
  /// A positive number.
  std::optional<double> take_double(const std::string& name);
  /// "true" or "false".
  std::optional<bool> take_bool(const std::string& name);
  /// One of the flag's declared choices.
  std::optional<std::string> take_choice(const std::string& name);

  template <typename Duration>
  std::optional<Duration> take_duration(const std::string& name) {
    const auto value = take_int(name);
    if (!value) return std::nullopt;
    return Duration(*value);
  }

  /// Refuses a flag given but never read by the command (a declaration the command forgot
  /// to use: a bug, reported rather than ignored).
  void finish() const;

 private:
  const Flag& declared(const std::string& name) const;
  const Flags& flags_;
  std::map<std::string, std::vector<std::string>> values_;
  std::map<std::string, bool> taken_;
};

}  // namespace privacycall::cli

#endif  // PRIVACYCALL_CLI_ARGS_HPP
