#include <privacycall/webhook/parse.hpp>

#include <privacycall/webhook/codes.hpp>

#include "common/json_internal.hpp"
#include "webhook/member_table.hpp"

namespace privacycall::webhook {
namespace {

using internal::as_int;
using internal::as_text;
using internal::get_text;
using internal::JsonKind;
using internal::JsonValue;
using internal::MemberTable;
using internal::ShapeError;

std::optional<WireTime> as_time(JsonValue value, std::string_view name) {
  std::optional<std::string> raw = as_text(value, name);
  if (!raw) return std::nullopt;
  WireTime time;
  time.time = parse_wire_time(*raw);
  time.raw = std::move(*raw);
  return time;
}

// Table entries for a text, int or time member.
template <auto Member>
constexpr auto kText = &internal::store_member<Member, &as_text>;
template <auto Member>
constexpr auto kInt = &internal::store_member<Member, &as_int>;
template <auto Member>
constexpr auto kTime = &internal::store_member<Member, &as_time>;

// `value` when it is an object, nullopt when it is null; ShapeError otherwise.
std::optional<JsonValue> as_object(JsonValue value, std::string_view name) {
  if (value.is_null()) return std::nullopt;
  if (value.kind() != JsonKind::kObject) {
    throw internal::wrong_shape(name, "an object", value);
  }
  return value;
}

// The member `key` as an object, nullopt when absent or null; ShapeError otherwise.
std::optional<JsonValue> get_object(JsonValue object, const char* key) {
  const std::optional<JsonValue> value = object.find(key);
  return value ? as_object(*value, key) : std::nullopt;
}

// The member `key` as an array of objects, nullopt when absent or null; ShapeError otherwise.
std::optional<JsonValue> get_object_array(JsonValue object, const char* key) {
  const std::optional<JsonValue> value = object.find(key);
  if (!value || value->is_null()) return std::nullopt;
  if (value->kind() != JsonKind::kArray) {
    throw internal::wrong_shape(key, "an array", *value);
  }
  for (const JsonValue element : value->elements()) {
    if (element.kind() != JsonKind::kObject) {
      throw ShapeError(std::string("elements of \"") + key + "\" should be objects, not " +
                       element.type_name());
    }
  }
  return value;
}

CallEventType call_event_type(std::string_view text) {
  if (text == "callin") return CallEventType::kCallIn;
  if (text == "callout") return CallEventType::kCallOut;
  if (text == "alerting") return CallEventType::kAlerting;
  if (text == "answer") return CallEventType::kAnswer;
  if (text == "disconnect") return CallEventType::kDisconnect;
  if (text == "collectInfo") return CallEventType::kCollectInfo;
  return CallEventType::kOther;
}

// statusInfo of a call event.
const MemberTable<CallEvent>& call_event_members() {
  static const MemberTable<CallEvent> table{
      {"timestamp", kTime<&CallEvent::timestamp>},
      {"sessionId", kText<&CallEvent::session_id>},
      {"caller", kText<&CallEvent::caller>},
      {"called", kText<&CallEvent::called>},
      {"subscriptionId", kText<&CallEvent::subscription_id>},
      {"stateCode", kInt<&CallEvent::state_code>},
      {"stateDesc", kText<&CallEvent::state_desc>},
      {"userData", kText<&CallEvent::user_data>},
      {"notifyMode", kText<&CallEvent::notify_mode>},
      {"digitInfo", kText<&CallEvent::digit_info>},
      {"callRelDirection", kInt<&CallEvent::call_rel_direction>},
  };
  return table;
}

CallEvent parse_call_event(std::string event_type, std::optional<JsonValue> info) {
  CallEvent event;
  event.type = call_event_type(event_type);
  event.event_type = std::move(event_type);
  if (info) event.extra_fields = call_event_members().read(*info, event);
  return event;
}

// One element of feeLst.
const MemberTable<FeeRecord>& fee_record_members() {
  static const MemberTable<FeeRecord> table{
      {"direction", kInt<&FeeRecord::direction>},
      {"spId", kText<&FeeRecord::sp_id>},
      {"appKey", kText<&FeeRecord::app_key>},
      {"icid", kText<&FeeRecord::icid>},
      {"bindNum", kText<&FeeRecord::bind_num>},
      {"sessionId", kText<&FeeRecord::session_id>},
      {"callerNum", kText<&FeeRecord::caller_num>},
      {"calleeNum", kText<&FeeRecord::callee_num>},
      {"fwdDisplayNum", kText<&FeeRecord::fwd_display_num>},
      {"fwdDstNum", kText<&FeeRecord::fwd_dst_num>},
      {"callInTime", kTime<&FeeRecord::call_in_time>},
      {"fwdStartTime", kTime<&FeeRecord::fwd_start_time>},
      {"fwdAlertingTime", kTime<&FeeRecord::fwd_alerting_time>},
      {"fwdAnswerTime", kTime<&FeeRecord::fwd_answer_time>},
      {"callEndTime", kTime<&FeeRecord::call_end_time>},
      {"fwdUnaswRsn", kInt<&FeeRecord::fwd_unasw_rsn>},
      {"failTime", kTime<&FeeRecord::fail_time>},
      {"ulFailReason", kInt<&FeeRecord::ul_fail_reason>},
      {"sipStatusCode", kInt<&FeeRecord::sip_status_code>},
      {"callOutUnaswRsn", kInt<&FeeRecord::call_out_unasw_rsn>},
      {"recordFlag", kInt<&FeeRecord::record_flag>},
      {"recordStartTime", kTime<&FeeRecord::record_start_time>},
      {"recordObjectName", kText<&FeeRecord::record_object_name>},
      {"recordBucketName", kText<&FeeRecord::record_bucket_name>},
      {"recordDomain", kText<&FeeRecord::record_domain>},
      {"recordFileDownloadUrl", kText<&FeeRecord::record_file_download_url>},
      {"ttsPlayTimes", kInt<&FeeRecord::tts_play_times>},
      {"ttsTransDuration", kInt<&FeeRecord::tts_trans_duration>},
      {"mptyId", kText<&FeeRecord::mpty_id>},
      {"serviceType", kText<&FeeRecord::service_type>},
      {"hostName", kText<&FeeRecord::host_name>},
      {"subscriptionId", kText<&FeeRecord::subscription_id>},
      {"extendNum", kText<&FeeRecord::extend_num>},
      {"userData", kText<&FeeRecord::user_data>},
      {"notifyMode", kText<&FeeRecord::notify_mode>},
      {"callRelDirection", kInt<&FeeRecord::call_rel_direction>},
      {"callDuration", kText<&FeeRecord::call_duration>},
  };
  return table;
}

// Reads into `record` in place: a FeeRecord is large, and moving one costs as much as a member.
void read_fee_record(JsonValue object, FeeRecord& record) {
  record.extra_fields = fee_record_members().read(object, record);
}

NumberStatusNotification parse_number_status_push(JsonValue body) {
  NumberStatusNotification out;
  const std::optional<JsonValue> entries = get_object_array(body, "numInfo");
  if (!entries) return out;
  for (const JsonValue e : entries->elements()) {
    NumberStatusEntry entry;
    entry.number = get_text(e, "number");
    entry.status_code = get_text(e, "status");
    entry.cause_code = get_text(e, "cause");
    entry.status = entry.status_code ? parse_number_status(*entry.status_code)
                                     : NumberStatus::kUnknown;
    if (entry.cause_code) entry.cause = parse_number_status_cause(*entry.cause_code);
    out.entries.push_back(std::move(entry));
  }
  return out;
}

// smsEvent.extInfo: its extParas as key/value pairs.
void read_ext_info(SmsNotification& sms, JsonValue value, std::string_view name) {
  const std::optional<JsonValue> ext = as_object(value, name);
  if (!ext) return;
  if (const std::optional<JsonValue> params = get_object_array(*ext, "extParas")) {
    for (const JsonValue p : params->elements()) {
      sms.ext_params.emplace_back(get_text(p, "key").value_or(std::string()),
                                  get_text(p, "value").value_or(std::string()));
    }
  }
}

// smsEvent of an SMS push.
const MemberTable<SmsNotification>& sms_event_members() {
  static const MemberTable<SmsNotification> table{
      {"smsIdentifier", kText<&SmsNotification::sms_identifier>},
      {"notificationMode", kText<&SmsNotification::notification_mode>},
      {"calling", kText<&SmsNotification::calling>},
      {"called", kText<&SmsNotification::called>},
      {"virtualNumber", kText<&SmsNotification::virtual_number>},
      {"event", kText<&SmsNotification::event>},
      {"timeStamp", kTime<&SmsNotification::time_stamp>},
      {"subscriptionId", kText<&SmsNotification::subscription_id>},
      {"smsContent", kText<&SmsNotification::sms_content>},
      {"extInfo", &read_ext_info},
      {"sendResult", kInt<&SmsNotification::send_result>},
  };
  return table;
}

SmsNotification parse_sms(JsonValue body, JsonValue event) {
  SmsNotification sms;
  sms.app_key = get_text(body, "appKey");
  sms.extra_fields = sms_event_members().read(event, sms);
  return sms;
}

Notification classify(JsonValue body, std::string_view raw) {
  std::optional<std::string> event_type = get_text(body, "eventType");
  if (event_type) {
    if (*event_type == "fee") {
      FeeNotification fee;
      if (const std::optional<JsonValue> records = get_object_array(body, "feeLst")) {
        fee.records.reserve(records->size());
        for (const JsonValue record : records->elements()) {
          read_fee_record(record, fee.records.emplace_back());
        }
      }
      return fee;
    }
    if (*event_type == "numStatus") return parse_number_status_push(body);
    const std::optional<JsonValue> info = get_object(body, "statusInfo");
    if (info || call_event_type(*event_type) != CallEventType::kOther) {
      return parse_call_event(std::move(*event_type), info);
    }
    return UnknownNotification{std::move(event_type), std::string(raw)};
  }
  if (const std::optional<JsonValue> sms_event = get_object(body, "smsEvent")) {
    return parse_sms(body, *sms_event);
  }
  return UnknownNotification{std::nullopt, std::string(raw)};
}

}  // namespace

Result<Notification> parse_notification(std::string_view body, const ParseLimits& limits) {
  internal::JsonDocument document;
  if (std::optional<Error> error = internal::parse_json(body, limits.max_depth, "push body",
                                                        document)) {
    return std::move(*error);
  }
  const JsonValue root = document.root();
  if (root.kind() != JsonKind::kObject) {
    return internal::decode_error(std::string("push body should be a JSON object, not ") +
                                  root.type_name());
  }
  try {
    return classify(root, body);
  } catch (const ShapeError& e) {
    return internal::decode_error(std::string("push body has the wrong shape: ") + e.what());
  } catch (const std::exception& e) {
    return internal::decode_error(std::string("push body could not be read: ") + e.what());
  }
}

}  // namespace privacycall::webhook
