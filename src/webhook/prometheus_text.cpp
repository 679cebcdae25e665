#include "webhook/prometheus_text.hpp"

#include <string>

namespace privacycall::webhook::internal {
namespace {

// `text` with backslashes and line feeds (and double quotes when `quote`) escaped.
std::string escape(std::string_view text, bool quote) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string escape_label_value(std::string_view value) { return escape(value, true); }

std::string escape_help(std::string_view text) { return escape(text, false); }

std::string seconds_text(std::chrono::nanoseconds duration) {
  const std::uint64_t ns = duration.count() < 0 ? 0 : static_cast<std::uint64_t>(duration.count());
  std::string text = std::to_string(ns / 1000000000u);
  std::string fraction = std::to_string(ns % 1000000000u);
  if (fraction == "0") return text;
  fraction.insert(0, 9 - fraction.size(), '0');
  fraction.erase(fraction.find_last_not_of('0') + 1);
  return text + "." + fraction;
}

void PrometheusText::family(std::string_view name, std::string_view type, std::string_view help) {
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  out_ += escape_help(help);
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += type;
  out_ += '\n';
}

void PrometheusText::sample(std::string_view name, std::initializer_list<Label> labels, std::string_view value) {
  out_ += name;
  if (labels.size() != 0) {
    out_ += '{';
    bool first = true;
    for (const auto& [label, label_value] : labels) {
      if (!first) out_ += ',';
      first = false;
      out_ += label;
      out_ += "=\"";
      out_ += escape_label_value(label_value);
      out_ += '"';
    }
    out_ += '}';
  }
  out_ += ' ';
  out_ += value;
  out_ += '\n';
}

void PrometheusText::sample(std::string_view name, std::initializer_list<Label> labels, std::uint64_t value) {
  sample(name, labels, std::string_view(std::to_string(value)));
}

void PrometheusText::histogram(std::string_view name, std::string_view help,
                               const LatencyHistogram::Snapshot& snapshot) {
  family(name, "histogram", help);
  const std::string bucket = std::string(name) + "_bucket";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < LatencyHistogram::kBounds.size(); ++i) {
    cumulative += snapshot.buckets[i];
    sample(bucket, {{"le", seconds_text(LatencyHistogram::kBounds[i])}}, cumulative);
  }
  const std::uint64_t count = snapshot.count();
  sample(bucket, {{"le", "+Inf"}}, count);
  sample(std::string(name) + "_sum", {}, seconds_text(snapshot.sum));
  sample(std::string(name) + "_count", {}, count);
}

}  // namespace privacycall::webhook::internal
