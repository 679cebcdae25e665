#ifndef PRIVACYCALL_SRC_WEBHOOK_PROMETHEUS_TEXT_HPP
#define PRIVACYCALL_SRC_WEBHOOK_PROMETHEUS_TEXT_HPP

// A writer of the Prometheus text exposition format 0.0.4: `# HELP` and `# TYPE` lines, then
// `name{label="value",...} number` samples. Every sample of a family follows its TYPE line;
// callers write one family at a time.

#include <privacycall/webhook/latency_histogram.hpp>

#include "common/internal_export.hpp"

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace privacycall::webhook::internal {

/// `value` as a label value: backslash, double quote and line feed escaped (\\ \" \n).
PRIVACYCALL_INTERNAL_EXPORT std::string escape_label_value(std::string_view value);

/// `text` as HELP text: backslash and line feed escaped (\\ \n).
PRIVACYCALL_INTERNAL_EXPORT std::string escape_help(std::string_view text);

/// A duration in seconds, as exact decimal text without trailing zeros ("0.00025", "2", "0").
PRIVACYCALL_INTERNAL_EXPORT std::string seconds_text(std::chrono::nanoseconds duration);

class PRIVACYCALL_INTERNAL_EXPORT PrometheusText {
 public:
  /// One label: name (a valid label name, not escaped) and value (escaped when written).
  using Label = std::pair<std::string_view, std::string_view>;

  /// Appends to `out`.
  explicit PrometheusText(std::string& out) : out_(out) {}

  /// Starts a family: its HELP and TYPE ("counter", "gauge", "histogram") lines.
  void family(std::string_view name, std::string_view type, std::string_view help);

  /// One sample of the family being written.
  void sample(std::string_view name, std::initializer_list<Label> labels, std::uint64_t value);
  /// One sample with a value already in the format's number syntax.
  void sample(std::string_view name, std::initializer_list<Label> labels, std::string_view value);

  /// A whole family of one sample without labels.
  void single(std::string_view name, std::string_view type, std::string_view help, std::uint64_t value) {
    family(name, type, help);
    sample(name, {}, value);
  }

  /// A whole histogram family: cumulative `_bucket{le=...}` samples, `_sum` (seconds) and
  /// `_count`.
  void histogram(std::string_view name, std::string_view help, const LatencyHistogram::Snapshot& snapshot);

 private:
  std::string& out_;
};

}  // namespace privacycall::webhook::internal

#endif  // PRIVACYCALL_SRC_WEBHOOK_PROMETHEUS_TEXT_HPP
