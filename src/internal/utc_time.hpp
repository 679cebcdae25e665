#ifndef PRIVACYCALL_INTERNAL_UTC_TIME_HPP
#define PRIVACYCALL_INTERNAL_UTC_TIME_HPP

// Broken-down UTC time to a system_clock instant, shared by the signer (Created) and the
// webhook parsers (event and CDR times).

#include <chrono>
#include <ctime>
#include <optional>

namespace privacycall::internal {

/// The instant `utc` names, or nullopt when system_clock cannot hold it: libstdc++'s clock
/// counts nanoseconds in 64 bits (years 1678..2261), and from_time_t beyond that overflows.
/// One second of margin on each side leaves room for a sub-second fraction.
inline std::optional<std::chrono::system_clock::time_point> utc_time_point(std::tm utc) {
  using std::chrono::duration_cast;
  using std::chrono::seconds;
  using std::chrono::system_clock;
  constexpr auto kLatest = duration_cast<seconds>(system_clock::duration::max()).count() - 1;
  constexpr auto kEarliest = duration_cast<seconds>(system_clock::duration::min()).count() + 1;
  const std::time_t since_epoch = timegm(&utc);
  if (since_epoch > kLatest || since_epoch < kEarliest) return std::nullopt;
  return system_clock::from_time_t(since_epoch);
}

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_INTERNAL_UTC_TIME_HPP
