#include <privacycall/webhook/parse.hpp>

#include <privacycall/webhook/codes.hpp>

#include "common/json_read.hpp"
#include "webhook/push_reader.hpp"
#include "webhook/record_fields.hpp"

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN
namespace {

using privacycall::internal::get_text;
using privacycall::internal::Json;
using privacycall::internal::JsonScalar;
using privacycall::internal::ShapeError;
using internal::FieldTable;

// The readers a field table stores through, one function each (as_text and as_int are
// overloaded, so their addresses would be ambiguous).
std::optional<std::string> text_of(const JsonScalar& value, std::string_view name) {
  return privacycall::internal::as_text(value, name);
}

std::optional<int> int_of(const JsonScalar& value, std::string_view name) {
  return privacycall::internal::as_int(value, name);
}

std::optional<WireTime> time_of(const JsonScalar& value, std::string_view name) {
  std::optional<std::string> raw = text_of(value, name);
  if (!raw) return std::nullopt;
  WireTime time;
  time.time = parse_wire_time(*raw);
  time.raw = std::move(*raw);
  return time;
}

// Table entries for a text, int or time member.
template <auto Member>
constexpr auto kText = &internal::store_member<Member, &text_of>;
template <auto Member>
constexpr auto kInt = &internal::store_member<Member, &int_of>;
template <auto Member>
constexpr auto kTime = &internal::store_member<Member, &time_of>;

// `value` when it is an object, nullptr when it is null; ShapeError otherwise.
const Json* as_object(const Json& value, std::string_view name) {
  if (value.is_null()) return nullptr;
  if (!value.is_object()) throw privacycall::internal::wrong_shape(name, "an object", value.type_name());
  return &value;
}

// The member `key` as an object, nullptr when absent or null; ShapeError otherwise.
const Json* get_object(const Json& object, const char* key) {
  const Json* value = privacycall::internal::find_member(object, key);
  return value ? as_object(*value, key) : nullptr;
}

// The ShapeError for the array `key` holding an element of type `type_name`.
ShapeError non_object_element(const char* key, const char* type_name) {
  return ShapeError(std::string("elements of \"") + key + "\" should be objects, not " + type_name);
}

// The member `key` as an array of objects, nullptr when absent or null; ShapeError otherwise.
const Json* get_object_array(const Json& object, const char* key) {
  const Json* value = privacycall::internal::find_member(object, key);
  if (!value || value->is_null()) return nullptr;
  if (!value->is_array()) throw privacycall::internal::wrong_shape(key, "an array", value->type_name());
  for (const Json& element : *value) {
    if (!element.is_object()) throw non_object_element(key, element.type_name());
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
const FieldTable<CallEvent>& call_event_members() {
  static const FieldTable<CallEvent> table{
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

CallEvent parse_call_event(std::string event_type, const Json* info) {
  CallEvent event;
  event.type = call_event_type(event_type);
  event.event_type = std::move(event_type);
  if (info) event.extra_fields = call_event_members().read(*info, event);
  return event;
}

// One element of feeLst.
const FieldTable<FeeRecord>& fee_record_members() {
  static const FieldTable<FeeRecord> table{
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

// The records of a CDR batch, read while parsing (push_reader.hpp); ShapeError as
// get_object_array() and the record table would have raised it.
std::vector<FeeRecord> fee_records(internal::FeeList& fees) {
  if (fees.type == Json::value_t::null) return {};
  if (fees.type != Json::value_t::array) throw privacycall::internal::wrong_shape("feeLst", "an array", fees.type_name);
  if (fees.first_non_object) throw non_object_element("feeLst", fees.first_non_object);
  if (fees.record_error) throw ShapeError(*fees.record_error);
  return std::move(fees.records);
}

NumberStatusNotification parse_number_status_push(const Json& body) {
  NumberStatusNotification out;
  const Json* entries = get_object_array(body, "numInfo");
  if (!entries) return out;
  for (const Json& e : *entries) {
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
void read_ext_info(SmsNotification& sms, const Json& value, std::string_view name) {
  const Json* ext = as_object(value, name);
  if (!ext) return;
  if (const Json* params = get_object_array(*ext, "extParas")) {
    for (const Json& p : *params) {
      sms.ext_params.emplace_back(get_text(p, "key").value_or(std::string()),
                                  get_text(p, "value").value_or(std::string()));
    }
  }
}

// smsEvent of an SMS push.
const FieldTable<SmsNotification>& sms_event_members() {
  static const FieldTable<SmsNotification> table{
      {"smsIdentifier", kText<&SmsNotification::sms_identifier>},
      {"notificationMode", kText<&SmsNotification::notification_mode>},
      {"calling", kText<&SmsNotification::calling>},
      {"called", kText<&SmsNotification::called>},
      {"virtualNumber", kText<&SmsNotification::virtual_number>},
      {"event", kText<&SmsNotification::event>},
      {"timeStamp", kTime<&SmsNotification::time_stamp>},
      {"subscriptionId", kText<&SmsNotification::subscription_id>},
      {"smsContent", kText<&SmsNotification::sms_content>},
      {"extInfo", nullptr, &read_ext_info},
      {"sendResult", kInt<&SmsNotification::send_result>},
  };
  return table;
}

SmsNotification parse_sms(const Json& body, const Json& event) {
  SmsNotification sms;
  sms.app_key = get_text(body, "appKey");
  sms.extra_fields = sms_event_members().read(event, sms);
  return sms;
}

Notification classify(internal::PushBody& push, std::string_view raw) {
  const Json& body = push.json;
  std::optional<std::string> event_type = get_text(body, "eventType");
  if (event_type) {
    if (*event_type == "fee") {
      FeeNotification fee;
      fee.records = fee_records(push.fees);
      return fee;
    }
    if (*event_type == "numStatus") return parse_number_status_push(body);
    const Json* info = get_object(body, "statusInfo");
    if (info || call_event_type(*event_type) != CallEventType::kOther) {
      return parse_call_event(std::move(*event_type), info);
    }
    return UnknownNotification{std::move(event_type), std::string(raw)};
  }
  if (const Json* sms_event = get_object(body, "smsEvent")) {
    return parse_sms(body, *sms_event);
  }
  return UnknownNotification{std::nullopt, std::string(raw)};
}

}  // namespace

Result<Notification> parse_notification(std::string_view body, const ParseLimits& limits) {
  using privacycall::internal::decode_error;
  try {
    Result<internal::PushBody> push = internal::read_push_body(body, limits.max_depth, fee_record_members());
    if (!push) return std::move(push).error();
    if (!push->json.is_object()) {
      return decode_error(std::string("push body should be a JSON object, not ") + push->json.type_name());
    }
    return classify(*push, body);
  } catch (const ShapeError& e) {
    return decode_error(std::string("push body has the wrong shape: ") + e.what());
  } catch (const std::exception& e) {
    return decode_error(std::string("push body could not be read: ") + e.what());
  }
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook
