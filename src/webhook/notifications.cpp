#include <privacycall/webhook/notifications.hpp>

#include "common/utc_time.hpp"

#include <ctime>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int digits(std::string_view s, std::size_t at, std::size_t count) {
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) value = value * 10 + (s[at + i] - '0');
  return value;
}

bool is_block_mode(const std::optional<Coded<NotifyMode>>& mode) { return mode && *mode == NotifyMode::kBlock; }

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_wire_time(std::string_view text) {
  // yyyy-MM-dd?HH:mm:ss[.f{1,9}][Z]
  static constexpr std::string_view kShape = "dddd-dd-dd?dd:dd:dd";
  if (text.size() < kShape.size()) return std::nullopt;
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    const char expected = kShape[i];
    const char c = text[i];
    if (expected == 'd' ? !is_digit(c) : expected == '?' ? (c != ' ' && c != 'T') : c != expected) {
      return std::nullopt;
    }
  }
  std::string_view rest = text.substr(kShape.size());
  std::chrono::nanoseconds fraction{0};
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    std::size_t n = 0;
    long long nanos = 0;
    while (n < rest.size() && is_digit(rest[n])) {
      if (n < 9) nanos = nanos * 10 + (rest[n] - '0');
      ++n;
    }
    if (n == 0) return std::nullopt;
    for (std::size_t i = n; i < 9; ++i) nanos *= 10;
    fraction = std::chrono::nanoseconds(nanos);
    rest.remove_prefix(n);
  }
  if (rest == "Z") rest.remove_prefix(1);
  if (!rest.empty()) return std::nullopt;

  std::tm utc{};
  utc.tm_year = digits(text, 0, 4) - 1900;
  utc.tm_mon = digits(text, 5, 2) - 1;
  utc.tm_mday = digits(text, 8, 2);
  utc.tm_hour = digits(text, 11, 2);
  utc.tm_min = digits(text, 14, 2);
  utc.tm_sec = digits(text, 17, 2);
  if (utc.tm_mon < 0 || utc.tm_mon > 11 || utc.tm_mday < 1 || utc.tm_mday > 31 ||
      utc.tm_hour > 23 || utc.tm_min > 59 || utc.tm_sec > 60) {
    return std::nullopt;
  }
  const std::optional<std::chrono::system_clock::time_point> whole =
      privacycall::internal::utc_time_point(utc);
  if (!whole) return std::nullopt;
  return *whole + std::chrono::duration_cast<std::chrono::system_clock::duration>(fraction);
}

std::string_view to_string(CallEventType type) noexcept {
  switch (type) {
    case CallEventType::kCallIn: return "callin";
    case CallEventType::kCallOut: return "callout";
    case CallEventType::kAlerting: return "alerting";
    case CallEventType::kAnswer: return "answer";
    case CallEventType::kDisconnect: return "disconnect";
    case CallEventType::kCollectInfo: return "collectInfo";
    case CallEventType::kUnknown: return "unknown";
  }
  return "unknown";
}

bool CallEvent::is_block_callin() const noexcept {
  return event_type == CallEventType::kCallIn && is_block_mode(notify_mode);
}

bool SmsNotification::is_block() const noexcept { return is_block_mode(notification_mode); }

std::optional<std::chrono::seconds> FeeRecord::talk_duration() const {
  if (!fwd_answer_time || !call_end_time || !fwd_answer_time->time || !call_end_time->time) {
    return std::nullopt;
  }
  if (*call_end_time->time < *fwd_answer_time->time) return std::nullopt;
  return privacycall::internal::seconds_between(*fwd_answer_time->time, *call_end_time->time);
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook
