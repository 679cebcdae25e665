#include "notification_line.hpp"

#include <privacycall/webhook/codes.hpp>

#include <type_traits>

namespace privacycall::cli {
namespace {

using nlohmann::json;

// Each field as the platform sent it: the lines print codes, numbers and times unchanged.
const std::string& as_sent(const std::string& text) { return text; }
std::string_view as_sent(std::string_view text) { return text; }
long long as_sent(long long number) { return number; }
const std::string& as_sent(const webhook::WireTime& time) { return time.raw; }
const std::string& as_sent(const WireNumber& number) { return number.raw(); }
const std::string& as_sent(const SubscriptionId& id) { return id.value; }
template <typename Enum>
const auto& as_sent(const Coded<Enum>& code) {
  return code.raw();
}
template <webhook::CauseTable Table>
int as_sent(const webhook::CauseCode<Table>& code) {
  return code.raw();
}

// `slot` becomes `text`, in the string it holds already when it holds one.
void assign(json& slot, std::string_view text) {
  if (slot.is_string()) {
    slot.get_ref<std::string&>().assign(text.data(), text.size());
  } else {
    slot = std::string(text);
  }
}
template <typename Number, typename = std::enable_if_t<std::is_arithmetic_v<Number>>>
void assign(json& slot, Number number) {
  slot = number;
}

// The member `key` of the object `out`, made (null) when missing. Looked up by the view, as
// the map's comparator is transparent: no key string is made unless the member is new.
json& member(json& out, std::string_view key) {
  if (const auto found = out.find(key); found != out.end()) return *found;
  return *out.emplace(std::string(key), nullptr).first;
}

template <typename Value>
void set(json& out, std::string_view key, const Value& value) {
  assign(member(out, key), value);
}

// The member `key` holds the field as sent, or is gone when the field was not sent: `out` may
// hold it from an earlier line.
template <typename T>
void put(json& out, std::string_view key, const std::optional<T>& value) {
  if (value) {
    set(out, key, as_sent(*value));
  } else {
    out.erase(key);
  }
}

void put_answer(json& out, std::string_view answer) {
  if (answer.empty()) {
    out.erase("answer");
  } else {
    set(out, "answer", answer);
  }
}

// `out` as an array of `size` objects, keeping the elements it had.
json::array_t& objects(json& out, std::size_t size) {
  if (!out.is_array()) out = json::array();
  auto& items = out.get_ref<json::array_t&>();
  items.resize(size);
  for (json& item : items) {
    if (!item.is_object()) item = json::object();
  }
  return items;
}

void fill(json& out, const webhook::FeeRecord& r) {
  put(out, "direction", r.direction);
  put(out, "session_id", r.session_id);
  put(out, "icid", r.icid);
  put(out, "bind_num", r.bind_num);
  put(out, "caller_num", r.caller_num);
  put(out, "callee_num", r.callee_num);
  put(out, "fwd_display_num", r.fwd_display_num);
  put(out, "fwd_dst_num", r.fwd_dst_num);
  put(out, "call_in_time", r.call_in_time);
  put(out, "fwd_answer_time", r.fwd_answer_time);
  put(out, "call_end_time", r.call_end_time);
  put(out, "ul_fail_reason", r.ul_fail_reason);
  put(out, "fwd_unasw_rsn", r.fwd_unasw_rsn);
  put(out, "record_flag", r.record_flag);
  put(out, "record_object_name", r.record_object_name);
  put(out, "record_domain", r.record_domain);
  put(out, "record_file_download_url", r.record_file_download_url);
  put(out, "subscription_id", r.subscription_id);
  put(out, "extend_num", r.extend_num);
  put(out, "user_data", r.user_data);
  put(out, "notify_mode", r.notify_mode);
  const auto talk = r.talk_duration();
  put(out, "talk_seconds", talk ? std::optional<long long>(talk->count()) : std::nullopt);
}

}  // namespace

std::string_view NotificationLines::of(const webhook::CallEvent& e, std::string_view answer) {
  json& out = call_event_;
  set(out, "kind", "call_event");
  set(out, "event_type", e.event_type.raw());
  put(out, "timestamp", e.timestamp);
  put(out, "session_id", e.session_id);
  put(out, "caller", e.caller);
  put(out, "called", e.called);
  put(out, "subscription_id", e.subscription_id);
  put(out, "state_code", e.state_code);
  put(out, "state_desc", e.state_desc);
  put(out, "state_meaning", e.state_code ? std::optional<std::string_view>(webhook::describe(*e.state_code))
                                         : std::nullopt);
  put(out, "user_data", e.user_data);
  put(out, "notify_mode", e.notify_mode);
  put(out, "digit_info", e.digit_info);
  put(out, "call_rel_direction", e.call_rel_direction);
  put_answer(out, answer);
  return dump(out);
}

std::string_view NotificationLines::of(const webhook::FeeNotification& n) {
  json& out = fee_;
  set(out, "kind", "fee");
  auto& records = objects(member(out, "records"), n.records.size());
  for (std::size_t i = 0; i < records.size(); ++i) fill(records[i], n.records[i]);
  return dump(out);
}

std::string_view NotificationLines::of(const webhook::NumberStatusNotification& n) {
  json& out = number_status_;
  set(out, "kind", "number_status");
  auto& entries = objects(member(out, "entries"), n.entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    put(entries[i], "number", n.entries[i].number);
    put(entries[i], "status", n.entries[i].status);
    put(entries[i], "cause", n.entries[i].cause);
  }
  return dump(out);
}

std::string_view NotificationLines::of(const webhook::SmsNotification& n, std::string_view answer) {
  json& out = sms_;
  set(out, "kind", "sms");
  put(out, "notification_mode", n.notification_mode);
  put(out, "sms_identifier", n.sms_identifier);
  put(out, "calling", n.calling);
  put(out, "called", n.called);
  put(out, "virtual_number", n.virtual_number);
  put(out, "event", n.event);
  put(out, "time_stamp", n.time_stamp);
  put(out, "subscription_id", n.subscription_id);
  put(out, "sms_content", n.sms_content);
  put(out, "send_result", n.send_result);
  put_answer(out, answer);
  return dump(out);
}

// Rare, and its raw body has a shape of its own each time: built afresh.
std::string_view NotificationLines::of(const webhook::UnknownNotification& n) {
  json out = {{"kind", "unknown"}, {"raw", json::parse(n.raw_json, nullptr, false)}};
  put(out, "event_type", n.event_type);
  return dump(out);
}

std::string_view NotificationLines::dump(const json& line) {
  text_ = line.dump();
  return text_;
}

}  // namespace privacycall::cli
