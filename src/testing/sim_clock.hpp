#ifndef PRIVACYCALL_SRC_TESTING_SIM_CLOCK_HPP
#define PRIVACYCALL_SRC_TESTING_SIM_CLOCK_HPP

#include <atomic>
#include <chrono>

namespace privacycall::testing::internal {

/// Simulated wall-clock time: starts at the real time, runs `scale` times faster than real
/// time and can be pushed forward by hand. Thread-safe.
class SimClock {
 public:
  explicit SimClock(double scale)
      : scale_(scale > 0 ? scale : 1.0),
        wall_start_(std::chrono::system_clock::now()),
        steady_start_(std::chrono::steady_clock::now()) {}

  std::chrono::system_clock::time_point now() const {
    const auto real = std::chrono::steady_clock::now() - steady_start_;
    const auto scaled = std::chrono::duration_cast<std::chrono::system_clock::duration>(
        std::chrono::duration<double, std::nano>(std::chrono::duration<double, std::nano>(real).count() * scale_));
    return wall_start_ + scaled + std::chrono::seconds(offset_seconds_.load());
  }

  void advance(std::chrono::seconds amount) { offset_seconds_ += amount.count(); }

  /// Real time that corresponds to `amount` of simulated time.
  std::chrono::steady_clock::duration to_real(std::chrono::steady_clock::duration amount) const {
    return std::chrono::duration_cast<std::chrono::steady_clock::duration>(amount / scale_);
  }

  double scale() const { return scale_; }

 private:
  double scale_;
  std::chrono::system_clock::time_point wall_start_;
  std::chrono::steady_clock::time_point steady_start_;
  std::atomic<long long> offset_seconds_{0};
};

}  // namespace privacycall::testing::internal

#endif  // PRIVACYCALL_SRC_TESTING_SIM_CLOCK_HPP
