#ifndef PRIVACYCALL_WEBHOOK_LATENCY_HISTOGRAM_HPP
#define PRIVACYCALL_WEBHOOK_LATENCY_HISTOGRAM_HPP

/// @file
/// A histogram of durations with fixed buckets, recorded with a few relaxed atomic additions
/// (no lock: the receiver records one per request from every server thread).

#include <privacycall/abi.hpp>
#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// Durations counted into fixed buckets, for a Prometheus histogram. Thread-safe.
class LatencyHistogram {
 public:
  /// Upper bounds of the buckets, from 100 µs to 10 s: a push is answered in well under a
  /// millisecond, a Block push may take up to its deadline (2 s by default), and a slow store
  /// or handler shows in the upper ones. A last bucket (+Inf) takes the rest.
  static constexpr std::array<std::chrono::microseconds, 14> kBounds{
      std::chrono::microseconds(100),    std::chrono::microseconds(250),
      std::chrono::microseconds(500),    std::chrono::microseconds(1000),
      std::chrono::microseconds(2500),   std::chrono::microseconds(5000),
      std::chrono::microseconds(10000),  std::chrono::microseconds(25000),
      std::chrono::microseconds(50000),  std::chrono::microseconds(100000),
      std::chrono::microseconds(250000), std::chrono::microseconds(1000000),
      std::chrono::microseconds(2500000), std::chrono::microseconds(10000000)};

  /// Number of buckets, the +Inf one included.
  static constexpr std::size_t kBuckets = kBounds.size() + 1;

  /// The histogram at one moment.
  struct Snapshot {
    /// Observations per bucket, not cumulative: buckets[i] counts durations in
    /// (kBounds[i-1], kBounds[i]]; the last one those above every bound.
    std::array<std::uint64_t, kBuckets> buckets{};
    std::chrono::nanoseconds sum{0};  ///< Total of every observed duration

    /// Observations in all buckets.
    std::uint64_t count() const noexcept {
      std::uint64_t total = 0;
      for (const std::uint64_t n : buckets) total += n;
      return total;
    }
  };

  /// Counts one duration (a negative one as zero).
  void observe(std::chrono::nanoseconds duration) noexcept;

  /// The counts so far. Taken while others observe, each bucket is exact at the moment it is
  /// read; count() always equals the sum of the buckets.
  Snapshot snapshot() const noexcept;

 private:
  std::array<std::atomic<std::uint64_t>, kBuckets> buckets_{};
  std::atomic<std::uint64_t> sum_ns_{0};
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook

#endif  // PRIVACYCALL_WEBHOOK_LATENCY_HISTOGRAM_HPP
