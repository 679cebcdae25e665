// Small helpers shared by the benchmarks: timing loops and figure printing.
#ifndef PRIVACYCALL_BENCH_COMMON_HPP
#define PRIVACYCALL_BENCH_COMMON_HPP

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

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

/// Value of `--name value` in argv, or `fallback`.
inline std::string arg(int argc, char** argv, const char* name, const char* fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return argv[i + 1];
  }
  return fallback;
}

}  // namespace bench

#endif
