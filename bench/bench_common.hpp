// Small helpers shared by the benchmarks: timing loops and figure printing.
#ifndef PRIVACYCALL_BENCH_COMMON_HPP
#define PRIVACYCALL_BENCH_COMMON_HPP

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace bench {

using Clock = std::chrono::steady_clock;

/// Runs `body` repeatedly for about `seconds`; returns operations per second.
template <typename Body>
double rate_for(double seconds, Body body) {
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration<double>(seconds);
  long long count = 0;
  while (Clock::now() < deadline) {
    for (int i = 0; i < 16; ++i) body();
    count += 16;
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  return static_cast<double>(count) / elapsed;
}

inline void figure(const char* name, double value, const char* unit) {
  std::printf("%-52s %12.1f %s\n", name, value, unit);
  std::fflush(stdout);
}

inline void ratio(const char* name, double ours, double baseline, double goal, bool higher_is_better = true) {
  const double r = ours / baseline;
  const bool met = higher_is_better ? r >= goal : r <= goal;
  std::printf("%-52s %12.2f x   (goal %s %.2f: %s)\n", name, r, higher_is_better ? ">=" : "<=", goal,
              met ? "met" : "NOT met");
  std::fflush(stdout);
}

/// The median of `values` (not empty).
inline double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/// One figure and its baseline over several alternating rounds. On a shared machine whose
/// speed drifts during a run, a single long measurement of each side compares two different
/// machines; rounds that alternate, and the median of their per-round ratios, compare like
/// with like.
class Rounds {
 public:
  /// Records one round's pair of rates.
  void add(double ours, double baseline) {
    ours_.push_back(ours);
    baselines_.push_back(baseline);
    ratios_.push_back(ours / baseline);
  }
  double ours() const { return median(ours_); }          ///< Median rate of ours
  double baseline() const { return median(baselines_); }  ///< Median rate of the baseline
  double ratio() const { return median(ratios_); }        ///< Median of the per-round ratios

  /// Prints the median ratio with its goal, and the spread of the rounds.
  void print_ratio(const char* name, double goal, bool higher_is_better = true) const {
    const auto [low, high] = std::minmax_element(ratios_.begin(), ratios_.end());
    const double r = ratio();
    const bool met = higher_is_better ? r >= goal : r <= goal;
    std::printf("%-52s %12.2f x   (goal %s %.2f: %s; %zu rounds %.2f-%.2f)\n", name, r,
                higher_is_better ? ">=" : "<=", goal, met ? "met" : "NOT met", ratios_.size(), *low, *high);
    std::fflush(stdout);
  }

  /// Prints the median ratio and the spread of the rounds, for a figure with no goal.
  void print_ratio(const char* name) const {
    const auto [low, high] = std::minmax_element(ratios_.begin(), ratios_.end());
    std::printf("%-52s %12.2f x   (no goal; %zu rounds %.2f-%.2f)\n", name, ratio(), ratios_.size(), *low, *high);
    std::fflush(stdout);
  }

 private:
  std::vector<double> ours_, baselines_, ratios_;
};

/// Value of `--name value` in argv, or `fallback`.
inline std::string arg(int argc, char** argv, const char* name, const char* fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return argv[i + 1];
  }
  return fallback;
}

}  // namespace bench

#endif
