#include "flags.hpp"

namespace privacycall::cli {
namespace {

Flag make(std::string name, FlagType type, std::string wire, std::string help) {
  Flag flag;
  flag.name = std::move(name);
  flag.type = type;
  flag.wire = std::move(wire);
  flag.help = std::move(help);
  return flag;
}

}  // namespace

std::string Flag::type_name() const {
  switch (type) {
    case FlagType::kText: return "TEXT";
    case FlagType::kPhone: return "NUMBER";
    case FlagType::kInteger: return "INT " + std::to_string(min) + ".." + std::to_string(max);
    case FlagType::kReal: return "REAL";
    case FlagType::kBool: return "true|false";
    case FlagType::kChoice: {
      std::string joined;
      for (const auto& c : choices) joined += (joined.empty() ? "" : "|") + c;
      return joined;
    }
    case FlagType::kSwitch: return "";
  }
  return "";
}

std::string Flag::description() const {
  std::string text = help;
  if (!wire.empty()) text += " [wire: " + wire + "]";
  if (required) text += " (required)";
  if (repeatable) text += " (repeatable)";
  return text;
}

Flag text(std::string name, std::string wire, std::string help) {
  return make(std::move(name), FlagType::kText, std::move(wire), std::move(help));
}

Flag phone(std::string name, std::string wire, std::string help) {
  return make(std::move(name), FlagType::kPhone, std::move(wire), std::move(help));
}

Flag integer(std::string name, std::string wire, long long min, long long max, std::string help) {
  Flag flag = make(std::move(name), FlagType::kInteger, std::move(wire), std::move(help));
  flag.min = min;
  flag.max = max;
  return flag;
}

Flag real(std::string name, std::string help) {
  return make(std::move(name), FlagType::kReal, "", std::move(help));
}

Flag boolean(std::string name, std::string wire, std::string help) {
  return make(std::move(name), FlagType::kBool, std::move(wire), std::move(help));
}

Flag choice(std::string name, std::string wire, std::vector<std::string> choices, std::string help) {
  Flag flag = make(std::move(name), FlagType::kChoice, std::move(wire), std::move(help));
  flag.choices = std::move(choices);
  return flag;
}

Flag on_off(std::string name, std::string help) {
  return make(std::move(name), FlagType::kSwitch, "", std::move(help));
}

Flags operator+(Flags base, const Flags& more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

}  // namespace privacycall::cli
