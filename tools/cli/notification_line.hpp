#ifndef PRIVACYCALL_CLI_NOTIFICATION_LINE_HPP
#define PRIVACYCALL_CLI_NOTIFICATION_LINE_HPP

// The JSON line `privacycall listen` prints for a notification: compact, keys sorted, every
// field as the platform sent it (codes, numbers and times unchanged), through nlohmann/json.
//
// A line costs about as much as the push's whole verification and parse when its DOM is built
// afresh (a map node, a string and often a buffer per field, then the dump's growing string).
// So a NotificationLines keeps one DOM per kind of notification and its text from one line to
// the next: a line of the same shape as the one before overwrites its values in place (their
// string buffers are reused), drops the members it lacks, and is dumped into the same buffer.
// Not thread-safe: one per thread.

#include <privacycall/webhook/notifications.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace privacycall::cli {

class NotificationLines {
 public:
  /// `answer`, when given, is the answer given to a Block push ("connect", "close", "forward",
  /// "discard"). Each returns the line without its newline, valid until the next call.
  std::string_view of(const webhook::CallEvent& event, std::string_view answer = {});
  std::string_view of(const webhook::FeeNotification& fee);
  std::string_view of(const webhook::NumberStatusNotification& status);
  std::string_view of(const webhook::SmsNotification& sms, std::string_view answer = {});
  std::string_view of(const webhook::UnknownNotification& unknown);

 private:
  std::string_view dump(const nlohmann::json& line);

  nlohmann::json call_event_, fee_, number_status_, sms_;
  std::string text_;
};

}  // namespace privacycall::cli

#endif  // PRIVACYCALL_CLI_NOTIFICATION_LINE_HPP
