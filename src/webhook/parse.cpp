#include <privacycall/webhook/parse.hpp>

#include <privacycall/webhook/codes.hpp>

#include <type_traits>
#include <utility>

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

template <typename T>
struct IsCoded : std::false_type {};
template <typename Enum>
struct IsCoded<Coded<Enum>> : std::true_type {};

// One member's value as the type `Field` of the record's std::optional<Field>: text, numbers,
// times, phone numbers, IDs and codes, each as tolerant as its reader (as_text, as_int).
template <typename Field>
std::optional<Field> field_of(const JsonScalar& value, std::string_view name) {
  if constexpr (std::is_same_v<Field, int>) {
    return int_of(value, name);
  } else if constexpr (IsCoded<Field>::value) {
    if constexpr (std::is_same_v<typename Field::Raw, int>) {
      const std::optional<int> raw = int_of(value, name);
      return raw ? std::optional<Field>(Field::from_raw(*raw)) : std::nullopt;
    } else {
      std::optional<std::string> raw = text_of(value, name);
      return raw ? std::optional<Field>(Field::from_raw(std::move(*raw))) : std::nullopt;
    }
  } else if constexpr (std::is_constructible_v<Field, int>) {  // a CauseCode
    const std::optional<int> raw = int_of(value, name);
    return raw ? std::optional<Field>(Field(*raw)) : std::nullopt;
  } else {
    std::optional<std::string> raw = text_of(value, name);
    if (!raw) return std::nullopt;
    if constexpr (std::is_same_v<Field, std::string>) {
      return raw;
    } else if constexpr (std::is_same_v<Field, WireTime>) {
      WireTime time;
      time.time = parse_wire_time(*raw);
      time.raw = std::move(*raw);
      return time;
    } else if constexpr (std::is_same_v<Field, SubscriptionId>) {
      return SubscriptionId{std::move(*raw)};
    } else {
      static_assert(std::is_same_v<Field, WireNumber>, "no reader for this field type");
      return WireNumber(std::move(*raw));
    }
  }
}

// The T of a member `std::optional<T> Record::*`.
template <auto Member>
using FieldOf = typename std::remove_reference_t<decltype(
    std::declval<typename internal::RecordOf<decltype(Member)>::type&>().*Member)>::value_type;

// The table entry for a scalar member, read as its type says.
template <auto Member>
constexpr auto kField = &internal::store_member<Member, &field_of<FieldOf<Member>>>;

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

// statusInfo of a call event.
const FieldTable<CallEvent>& call_event_members() {
  static const FieldTable<CallEvent> table{
      {"timestamp", kField<&CallEvent::timestamp>},
      {"sessionId", kField<&CallEvent::session_id>},
      {"caller", kField<&CallEvent::caller>},
      {"called", kField<&CallEvent::called>},
      {"subscriptionId", kField<&CallEvent::subscription_id>},
      {"stateCode", kField<&CallEvent::state_code>},
      {"stateDesc", kField<&CallEvent::state_desc>},
      {"userData", kField<&CallEvent::user_data>},
      {"notifyMode", kField<&CallEvent::notify_mode>},
      {"digitInfo", kField<&CallEvent::digit_info>},
      {"callRelDirection", kField<&CallEvent::call_rel_direction>},
  };
  return table;
}

CallEvent parse_call_event(Coded<CallEventType> event_type, const Json* info) {
  CallEvent event;
  event.event_type = std::move(event_type);
  if (info) event.extra_fields = call_event_members().read(*info, event);
  return event;
}

// One element of feeLst.
const FieldTable<FeeRecord>& fee_record_members() {
  static const FieldTable<FeeRecord> table{
      {"direction", kField<&FeeRecord::direction>},
      {"spId", kField<&FeeRecord::sp_id>},
      {"appKey", kField<&FeeRecord::app_key>},
      {"icid", kField<&FeeRecord::icid>},
      {"bindNum", kField<&FeeRecord::bind_num>},
      {"sessionId", kField<&FeeRecord::session_id>},
      {"callerNum", kField<&FeeRecord::caller_num>},
      {"calleeNum", kField<&FeeRecord::callee_num>},
      {"fwdDisplayNum", kField<&FeeRecord::fwd_display_num>},
      {"fwdDstNum", kField<&FeeRecord::fwd_dst_num>},
      {"callInTime", kField<&FeeRecord::call_in_time>},
      {"fwdStartTime", kField<&FeeRecord::fwd_start_time>},
      {"fwdAlertingTime", kField<&FeeRecord::fwd_alerting_time>},
      {"fwdAnswerTime", kField<&FeeRecord::fwd_answer_time>},
      {"callEndTime", kField<&FeeRecord::call_end_time>},
      {"fwdUnaswRsn", kField<&FeeRecord::fwd_unasw_rsn>},
      {"failTime", kField<&FeeRecord::fail_time>},
      {"ulFailReason", kField<&FeeRecord::ul_fail_reason>},
      {"sipStatusCode", kField<&FeeRecord::sip_status_code>},
      {"callOutUnaswRsn", kField<&FeeRecord::call_out_unasw_rsn>},
      {"recordFlag", kField<&FeeRecord::record_flag>},
      {"recordStartTime", kField<&FeeRecord::record_start_time>},
      {"recordObjectName", kField<&FeeRecord::record_object_name>},
      {"recordBucketName", kField<&FeeRecord::record_bucket_name>},
      {"recordDomain", kField<&FeeRecord::record_domain>},
      {"recordFileDownloadUrl", kField<&FeeRecord::record_file_download_url>},
      {"ttsPlayTimes", kField<&FeeRecord::tts_play_times>},
      {"ttsTransDuration", kField<&FeeRecord::tts_trans_duration>},
      {"mptyId", kField<&FeeRecord::mpty_id>},
      {"serviceType", kField<&FeeRecord::service_type>},
      {"hostName", kField<&FeeRecord::host_name>},
      {"subscriptionId", kField<&FeeRecord::subscription_id>},
      {"extendNum", kField<&FeeRecord::extend_num>},
      {"userData", kField<&FeeRecord::user_data>},
      {"notifyMode", kField<&FeeRecord::notify_mode>},
      {"callRelDirection", kField<&FeeRecord::call_rel_direction>},
      {"callDuration", kField<&FeeRecord::call_duration>},
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

// `entries`: the body's "numInfo" (nullptr when absent).
NumberStatusNotification parse_number_status_push(const Json* entries) {
  NumberStatusNotification out;
  if (!entries) return out;
  out.entries.reserve(entries->size());
  for (const Json& e : *entries) {
    NumberStatusEntry entry;
    if (auto number = get_text(e, "number")) entry.number = WireNumber(std::move(*number));
    if (auto status = get_text(e, "status")) entry.status = Coded<NumberStatus>::from_raw(std::move(*status));
    if (auto cause = get_text(e, "cause")) entry.cause = Coded<NumberStatusCause>::from_raw(std::move(*cause));
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
      {"smsIdentifier", kField<&SmsNotification::sms_identifier>},
      {"notificationMode", kField<&SmsNotification::notification_mode>},
      {"calling", kField<&SmsNotification::calling>},
      {"called", kField<&SmsNotification::called>},
      {"virtualNumber", kField<&SmsNotification::virtual_number>},
      {"event", kField<&SmsNotification::event>},
      {"timeStamp", kField<&SmsNotification::time_stamp>},
      {"subscriptionId", kField<&SmsNotification::subscription_id>},
      {"smsContent", kField<&SmsNotification::sms_content>},
      {"extInfo", nullptr, &read_ext_info},
      {"sendResult", kField<&SmsNotification::send_result>},
  };
  return table;
}

SmsNotification parse_sms(const Json& body, const Json& event) {
  SmsNotification sms;
  sms.app_key = get_text(body, "appKey");
  sms.extra_fields = sms_event_members().read(event, sms);
  return sms;
}

Result<Notification> classify(internal::PushBody& push, std::string_view raw, const ParseLimits& limits) {
  const Json& body = push.json;
  std::optional<std::string> event_type = get_text(body, "eventType");
  if (event_type) {
    if (*event_type == "fee") {
      FeeNotification fee;
      fee.records = fee_records(push.fees);
      return Notification(std::move(fee));
    }
    if (*event_type == "numStatus") {
      // Read into a DOM first (a small one: no typed entry is built before this check).
      const Json* entries = get_object_array(body, "numInfo");
      if (entries && entries->size() > limits.max_list_entries) {
        return internal::too_many_entries_error("numInfo", limits.max_list_entries);
      }
      return Notification(parse_number_status_push(entries));
    }
    const Json* info = get_object(body, "statusInfo");
    Coded<CallEventType> type = Coded<CallEventType>::from_raw(*event_type);
    if (info || type.known()) return Notification(parse_call_event(std::move(type), info));
    return Notification(UnknownNotification{std::move(event_type), std::string(raw)});
  }
  if (const Json* sms_event = get_object(body, "smsEvent")) {
    return Notification(parse_sms(body, *sms_event));
  }
  return Notification(UnknownNotification{std::nullopt, std::string(raw)});
}

}  // namespace

Result<Notification> parse_notification(std::string_view body, const ParseLimits& limits) {
  using privacycall::internal::decode_error;
  try {
    Result<internal::PushBody> push = internal::read_push_body(body, limits, fee_record_members());
    if (!push) return std::move(push).error();
    if (!push->json.is_object()) {
      return decode_error(std::string("push body should be a JSON object, not ") + push->json.type_name());
    }
    return classify(*push, body, limits);
  } catch (const ShapeError& e) {
    return decode_error(std::string("push body has the wrong shape: ") + e.what());
  } catch (const std::exception& e) {
    return decode_error(std::string("push body could not be read: ") + e.what());
  }
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook
