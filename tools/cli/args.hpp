#ifndef PRIVACYCALL_CLI_ARGS_HPP
#define PRIVACYCALL_CLI_ARGS_HPP

// Command-line flags of one command: `--name value` or `--name=value`, each taken by name
// exactly once; finish() refuses anything left over, so a mistyped flag is never ignored.

#include <privacycall/phone_number.hpp>

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace privacycall::cli {

/// Bad input on the command line: exit status 2, nothing sent.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  /// Parses argv[first..argc). Throws UsageError on a token that is not a flag.
  Args(int argc, char** argv, int first);

  std::optional<std::string> take(const std::string& name);
  std::string require(const std::string& name);
  std::vector<std::string> take_all(const std::string& name);
  /// A flag without a value (`--v2`).
  bool take_switch(const std::string& name);

  std::optional<PhoneNumber> take_number(const std::string& name);
  PhoneNumber require_number(const std::string& name);
  std::optional<long long> take_int(const std::string& name, long long min, long long max);
  std::optional<double> take_double(const std::string& name);
  /// "true" or "false".
  std::optional<bool> take_bool(const std::string& name);
  /// One of `choices`.
  std::optional<std::string> take_choice(const std::string& name, const std::vector<std::string>& choices);

  template <typename Duration>
  std::optional<Duration> take_duration(const std::string& name, long long min, long long max) {
    const auto value = take_int(name, min, max);
    if (!value) return std::nullopt;
    return Duration(*value);
  }

  /// Throws UsageError naming any flag no one took.
  void finish() const;

 private:
  struct Flag {
    std::string name;
    std::optional<std::string> value;
    bool taken = false;
  };
  std::vector<Flag> flags_;
};

}  // namespace privacycall::cli

#endif  // PRIVACYCALL_CLI_ARGS_HPP
