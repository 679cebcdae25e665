#include <privacycall/webhook/latency_histogram.hpp>

#include <algorithm>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

void LatencyHistogram::observe(std::chrono::nanoseconds duration) noexcept {
  if (duration.count() < 0) duration = std::chrono::nanoseconds(0);
  // The first bound at or above the duration (Prometheus buckets are "less than or equal").
  const auto bound = std::lower_bound(kBounds.begin(), kBounds.end(), duration,
                                      [](std::chrono::microseconds b, std::chrono::nanoseconds d) { return b < d; });
  const auto index = static_cast<std::size_t>(bound - kBounds.begin());
  // Relaxed: each counter is exact on its own, and nothing else is published through them.
  buckets_[index].fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<std::uint64_t>(duration.count()), std::memory_order_relaxed);
}

LatencyHistogram::Snapshot LatencyHistogram::snapshot() const noexcept {
  Snapshot snapshot;
  for (std::size_t i = 0; i < kBuckets; ++i) snapshot.buckets[i] = buckets_[i].load(std::memory_order_relaxed);
  snapshot.sum = std::chrono::nanoseconds(static_cast<std::int64_t>(sum_ns_.load(std::memory_order_relaxed)));
  return snapshot;
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook
