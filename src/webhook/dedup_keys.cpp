#include "webhook/dedup_keys.hpp"

#include <privacycall/webhook/parse.hpp>

#include <optional>
#include <unordered_set>

namespace privacycall::webhook::internal {
namespace {

std::string_view or_empty(const std::optional<std::string>& text) {
  return text ? std::string_view(*text) : std::string_view();
}

}  // namespace

std::string join_key(char kind, std::initializer_list<std::string_view> parts) {
  std::size_t size = 1;
  for (std::string_view part : parts) size += 1 + part.size();
  std::string key;
  key.reserve(size);
  key += kind;
  for (std::string_view part : parts) {
    key += '|';
    key += part;
  }
  return key;
}

std::string event_key(const CallEvent& e) {
  if (!e.session_id || e.session_id->empty()) return {};
  return join_key('e', {*e.session_id, e.event_type.raw(),
                        e.timestamp ? std::string_view(e.timestamp->raw) : std::string_view()});
}

std::string fee_key(const FeeRecord& r) {
  const bool has_session = r.session_id && !r.session_id->empty();
  const bool has_icid = r.icid && !r.icid->empty();
  if (!has_session && !has_icid) return {};
  // Both when present: either identifies the CDR, together they can never merge two CDRs.
  return join_key('f', {or_empty(r.session_id), or_empty(r.icid)});
}

std::string sms_key(const SmsNotification& s) {
  if (!s.sms_identifier || s.sms_identifier->empty()) return {};
  // The mode as sent, so keys stay those of stores written before it was decoded.
  const std::string_view mode = s.notification_mode ? std::string_view(s.notification_mode->raw()) : std::string_view();
  return join_key('s', {*s.sms_identifier, mode});
}

std::vector<std::string> notify_keys(const Notification& notification, const std::string& push_key) {
  std::vector<std::string> keys;
  std::unordered_set<std::string> seen;  // a CDR batch may repeat a record
  const auto add = [&](std::string key) {
    if (!key.empty() && seen.insert(key).second) keys.push_back(std::move(key));
  };
  if (const auto* event = std::get_if<CallEvent>(&notification)) {
    add(event_key(*event));
  } else if (const auto* fee = std::get_if<FeeNotification>(&notification)) {
    for (const FeeRecord& record : fee->records) add(fee_key(record));
  } else if (const auto* sms = std::get_if<SmsNotification>(&notification)) {
    add(sms_key(*sms));
  } else {  // a number status or an unknown kind: deduplicated on the push itself
    add(push_key);
  }
  return keys;
}

std::vector<std::string> queued_push_keys(const QueuedPush& push) {
  Result<Notification> parsed = parse_notification(push.body);
  if (!parsed) return {};
  return notify_keys(*parsed, push.push_key);
}

}  // namespace privacycall::webhook::internal
