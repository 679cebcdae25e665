#include "args.hpp"

#include <cstdlib>

namespace privacycall::cli {

Args::Args(int argc, char** argv, int first) {
  for (int i = first; i < argc; ++i) {
    std::string token = argv[i];
    if (token.size() < 3 || token.compare(0, 2, "--") != 0) {
      throw UsageError("unexpected argument '" + token + "' (flags look like --name value)");
    }
    token.erase(0, 2);
    Flag flag;
    const auto eq = token.find('=');
    if (eq != std::string::npos) {
      flag.name = token.substr(0, eq);
      flag.value = token.substr(eq + 1);
    } else {
      flag.name = token;
      if (i + 1 < argc && std::string(argv[i + 1]).compare(0, 2, "--") != 0) flag.value = argv[++i];
    }
    flags_.push_back(std::move(flag));
  }
}

std::optional<std::string> Args::take(const std::string& name) {
  std::optional<std::string> found;
  for (Flag& flag : flags_) {
    if (flag.name != name) continue;
    if (found) throw UsageError("--" + name + " given twice");
    if (!flag.value) throw UsageError("--" + name + " needs a value");
    flag.taken = true;
    found = flag.value;
  }
  return found;
}

std::string Args::require(const std::string& name) {
  auto value = take(name);
  if (!value) throw UsageError("--" + name + " is required");
  return *value;
}

std::vector<std::string> Args::take_all(const std::string& name) {
  std::vector<std::string> values;
  for (Flag& flag : flags_) {
    if (flag.name != name) continue;
    if (!flag.value) throw UsageError("--" + name + " needs a value");
    flag.taken = true;
    values.push_back(*flag.value);
  }
  return values;
}

bool Args::take_switch(const std::string& name) {
  bool present = false;
  for (Flag& flag : flags_) {
    if (flag.name != name) continue;
    if (flag.value) throw UsageError("--" + name + " takes no value");
    flag.taken = true;
    present = true;
  }
  return present;
}

std::optional<PhoneNumber> Args::take_number(const std::string& name) {
  const auto text = take(name);
  if (!text) return std::nullopt;
  auto number = PhoneNumber::parse(*text);
  if (!number) throw UsageError("--" + name + ": " + number.error().message);
  return std::move(number).value();
}

PhoneNumber Args::require_number(const std::string& name) {
  auto number = take_number(name);
  if (!number) throw UsageError("--" + name + " is required");
  return std::move(*number);
}

std::optional<long long> Args::take_int(const std::string& name, long long min, long long max) {
  const auto text = take(name);
  if (!text) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(text->c_str(), &end, 10);
  if (text->empty() || *end != '\0' || errno != 0 || value < min || value > max) {
    throw UsageError("--" + name + " must be a whole number from " + std::to_string(min) + " to " +
                     std::to_string(max));
  }
  return value;
}

std::optional<double> Args::take_double(const std::string& name) {
  const auto text = take(name);
  if (!text) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text->c_str(), &end);
  if (text->empty() || *end != '\0' || !(value > 0)) throw UsageError("--" + name + " must be a positive number");
  return value;
}

std::optional<bool> Args::take_bool(const std::string& name) {
  const auto text = take(name);
  if (!text) return std::nullopt;
  if (*text == "true") return true;
  if (*text == "false") return false;
  throw UsageError("--" + name + " must be true or false");
}

std::optional<std::string> Args::take_choice(const std::string& name, const std::vector<std::string>& choices) {
  const auto text = take(name);
  if (!text) return std::nullopt;
  for (const auto& choice : choices) {
    if (*text == choice) return text;
  }
  std::string list;
  for (const auto& choice : choices) list += (list.empty() ? "" : ", ") + choice;
  throw UsageError("--" + name + " must be one of: " + list);
}

void Args::finish() const {
  for (const Flag& flag : flags_) {
    if (!flag.taken) throw UsageError("unknown flag --" + flag.name);
  }
}

}  // namespace privacycall::cli
