#ifndef PRIVACYCALL_SRC_COMMON_UTC_TIME_HPP
#define PRIVACYCALL_SRC_COMMON_UTC_TIME_HPP

// Broken-down UTC time to a system_clock instant, shared by the signer (Created) and the
// webhook parsers (event and CDR times).

#include <chrono>
#include <ctime>
#include <optional>

namespace privacycall::internal {

/// Days from 1970-01-01 to the first of month `month` (1..12) of `year` in the proleptic
/// Gregorian calendar, as timegm() counts them (H. Hinnant's days_from_civil).
constexpr long long days_from_civil(long long year, unsigned month) {
  year -= month <= 2 ? 1 : 0;
  const long long era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<long long>(day_of_era) - 719468;
}

/// The instant `utc` names, or nullopt when system_clock cannot hold it: libstdc++'s clock
/// counts nanoseconds in 64 bits (years 1678..2261), and from_time_t beyond that overflows.
/// One second of margin on each side leaves room for a sub-second fraction.
inline std::optional<std::chrono::system_clock::time_point> utc_time_point(const std::tm& utc) {
  using std::chrono::duration_cast;
  using std::chrono::seconds;
  using std::chrono::system_clock;
  constexpr auto kLatest = duration_cast<seconds>(system_clock::duration::max()).count() - 1;
  constexpr auto kEarliest = duration_cast<seconds>(system_clock::duration::min()).count() + 1;
  // Arithmetic instead of timegm(), which takes glibc's time-zone lock and costs ~100 ns (a
  // CDR has four times). Out-of-range fields carry over exactly as timegm() normalises them.
  long long year = 1900LL + utc.tm_year + utc.tm_mon / 12;
  int month = utc.tm_mon % 12;
  if (month < 0) {
    month += 12;
    --year;
  }
  const long long since_epoch =
      (days_from_civil(year, static_cast<unsigned>(month) + 1) + utc.tm_mday - 1) * 86400 +
      utc.tm_hour * 3600LL + utc.tm_min * 60LL + utc.tm_sec;
  if (since_epoch > kLatest || since_epoch < kEarliest) return std::nullopt;
  return system_clock::from_time_t(static_cast<std::time_t>(since_epoch));
}

/// `later - earlier` in whole seconds. Subtracting the instants themselves overflows when they
/// are far apart (near the ends of the range above, the difference exceeds the clock's 64-bit
/// nanosecond count), so each is cut to seconds first.
inline std::chrono::seconds seconds_between(std::chrono::system_clock::time_point earlier,
                                            std::chrono::system_clock::time_point later) {
  using std::chrono::duration_cast;
  using std::chrono::seconds;
  return duration_cast<seconds>(later.time_since_epoch()) - duration_cast<seconds>(earlier.time_since_epoch());
}

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_SRC_COMMON_UTC_TIME_HPP
