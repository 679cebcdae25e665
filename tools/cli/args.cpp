#include "args.hpp"

#include <cerrno>
#include <cstdlib>

namespace privacycall::cli {

Args::Args(const Flags& flags, std::map<std::string, std::vector<std::string>> values)
    : flags_(flags), values_(std::move(values)) {}

const Flag& Args::declared(const std::string& name) const {
  for (const Flag& flag : flags_) {
    if (flag.name == name) return flag;
  }
  throw std::logic_error("the command reads --" + name + " but does not declare it");
}

std::vector<std::string> Args::take_all(const std::string& name) {
  declared(name);
  taken_[name] = true;
  const auto found = values_.find(name);
  return found == values_.end() ? std::vector<std::string>() : found->second;
}

std::optional<std::string> Args::take(const std::string& name) {
  const std::vector<std::string> all = take_all(name);
  if (all.empty()) return std::nullopt;
  if (all.size() > 1 && !declared(name).repeatable) throw UsageError("--" + name + " given twice");
  return all.front();
}

std::string Args::require(const std::string& name) {
  auto value = take(name);
  if (!value) throw UsageError("--" + name + " is required");
  return *value;
}

bool Args::take_switch(const std::string& name) { return !take_all(name).empty(); }

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

std::optional<long long> Args::take_int(const std::string& name) {
  const Flag& flag = declared(name);
  const auto text = take(name);
  if (!text) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(text->c_str(), &end, 10);
  if (text->empty() || *end != '\0' || errno != 0 || value < flag.min || value > flag.max) {
    throw UsageError("--" + name + " must be a whole number from " + std::to_string(flag.min) + " to " +
                     std::to_string(flag.max));
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

std::optional<std::string> Args::take_choice(const std::string& name) {
  const Flag& flag = declared(name);
  const auto text = take(name);
  if (!text) return std::nullopt;
  for (const auto& choice : flag.choices) {
    if (*text == choice) return text;
  }
  std::string list;
  for (const auto& choice : flag.choices) list += (list.empty() ? "" : ", ") + choice;
  throw UsageError("--" + name + " must be one of: " + list);
}

void Args::finish() const {
  for (const auto& [name, given] : values_) {
    if (!given.empty() && taken_.count(name) == 0) {
      throw std::logic_error("--" + name + " was given but the command never read it");
    }
  }
}

}  // namespace privacycall::cli
