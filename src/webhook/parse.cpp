#include <privacycall/webhook/parse.hpp>

#include <privacycall/webhook/codes.hpp>

#include "webhook/json_internal.hpp"

namespace privacycall::webhook {
namespace {

using nlohmann::json;
using internal::extra_fields;
using internal::get_int;
using internal::get_text;
using internal::ShapeError;

std::optional<WireTime> get_time(const json& object, const char* key) {
  std::optional<std::string> raw = get_text(object, key);
  if (!raw) return std::nullopt;
  WireTime time;
  time.time = parse_wire_time(*raw);
  time.raw = std::move(*raw);
  return time;
}

// The member `key` as an object, nullptr when absent or null; ShapeError otherwise.
const json* get_object(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  if (!it->is_object()) {
    throw ShapeError(std::string("member \"") + key + "\" should be an object, not " +
                     it->type_name());
  }
  return &*it;
}

// The member `key` as an array of objects, nullptr when absent or null; ShapeError otherwise.
const json* get_object_array(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  if (!it->is_array()) {
    throw ShapeError(std::string("member \"") + key + "\" should be an array, not " +
                     it->type_name());
  }
  for (const json& element : *it) {
    if (!element.is_object()) {
      throw ShapeError(std::string("elements of \"") + key + "\" should be objects, not " +
                       element.type_name());
    }
  }
  return &*it;
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

CallEvent parse_call_event(std::string event_type, const json* info) {
  CallEvent event;
  event.type = call_event_type(event_type);
  event.event_type = std::move(event_type);
  if (info == nullptr) return event;
  const json& s = *info;
  event.timestamp = get_time(s, "timestamp");
  event.session_id = get_text(s, "sessionId");
  event.caller = get_text(s, "caller");
  event.called = get_text(s, "called");
  event.subscription_id = get_text(s, "subscriptionId");
  event.state_code = get_int(s, "stateCode");
  event.state_desc = get_text(s, "stateDesc");
  event.user_data = get_text(s, "userData");
  event.notify_mode = get_text(s, "notifyMode");
  event.digit_info = get_text(s, "digitInfo");
  event.call_rel_direction = get_int(s, "callRelDirection");
  static const char* const kKnown[] = {"timestamp", "sessionId", "caller", "called",
                                       "subscriptionId", "stateCode", "stateDesc", "userData",
                                       "notifyMode", "digitInfo", "callRelDirection", nullptr};
  event.extra_fields = extra_fields(s, kKnown);
  return event;
}

FeeRecord parse_fee_record(const json& f) {
  FeeRecord r;
  r.direction = get_int(f, "direction");
  r.sp_id = get_text(f, "spId");
  r.app_key = get_text(f, "appKey");
  r.icid = get_text(f, "icid");
  r.bind_num = get_text(f, "bindNum");
  r.session_id = get_text(f, "sessionId");
  r.caller_num = get_text(f, "callerNum");
  r.callee_num = get_text(f, "calleeNum");
  r.fwd_display_num = get_text(f, "fwdDisplayNum");
  r.fwd_dst_num = get_text(f, "fwdDstNum");
  r.call_in_time = get_time(f, "callInTime");
  r.fwd_start_time = get_time(f, "fwdStartTime");
  r.fwd_alerting_time = get_time(f, "fwdAlertingTime");
  r.fwd_answer_time = get_time(f, "fwdAnswerTime");
  r.call_end_time = get_time(f, "callEndTime");
  r.fwd_unasw_rsn = get_int(f, "fwdUnaswRsn");
  r.fail_time = get_time(f, "failTime");
  r.ul_fail_reason = get_int(f, "ulFailReason");
  r.sip_status_code = get_int(f, "sipStatusCode");
  r.call_out_unasw_rsn = get_int(f, "callOutUnaswRsn");
  r.record_flag = get_int(f, "recordFlag");
  r.record_start_time = get_time(f, "recordStartTime");
  r.record_object_name = get_text(f, "recordObjectName");
  r.record_bucket_name = get_text(f, "recordBucketName");
  r.record_domain = get_text(f, "recordDomain");
  r.record_file_download_url = get_text(f, "recordFileDownloadUrl");
  r.tts_play_times = get_int(f, "ttsPlayTimes");
  r.tts_trans_duration = get_int(f, "ttsTransDuration");
  r.mpty_id = get_text(f, "mptyId");
  r.service_type = get_text(f, "serviceType");
  r.host_name = get_text(f, "hostName");
  r.subscription_id = get_text(f, "subscriptionId");
  r.extend_num = get_text(f, "extendNum");
  r.user_data = get_text(f, "userData");
  r.notify_mode = get_text(f, "notifyMode");
  r.call_rel_direction = get_int(f, "callRelDirection");
  r.call_duration = get_text(f, "callDuration");
  static const char* const kKnown[] = {
      "direction", "spId", "appKey", "icid", "bindNum", "sessionId", "callerNum", "calleeNum",
      "fwdDisplayNum", "fwdDstNum", "callInTime", "fwdStartTime", "fwdAlertingTime",
      "fwdAnswerTime", "callEndTime", "fwdUnaswRsn", "failTime", "ulFailReason",
      "sipStatusCode", "callOutUnaswRsn", "recordFlag", "recordStartTime", "recordObjectName",
      "recordBucketName", "recordDomain", "recordFileDownloadUrl", "ttsPlayTimes",
      "ttsTransDuration", "mptyId", "serviceType", "hostName", "subscriptionId", "extendNum",
      "userData", "notifyMode", "callRelDirection", "callDuration", nullptr};
  r.extra_fields = extra_fields(f, kKnown);
  return r;
}

NumberStatusNotification parse_number_status_push(const json& body) {
  NumberStatusNotification out;
  const json* entries = get_object_array(body, "numInfo");
  if (entries == nullptr) return out;
  for (const json& e : *entries) {
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

SmsNotification parse_sms(const json& body, const json& e) {
  SmsNotification sms;
  sms.app_key = get_text(body, "appKey");
  sms.sms_identifier = get_text(e, "smsIdentifier");
  sms.notification_mode = get_text(e, "notificationMode");
  sms.calling = get_text(e, "calling");
  sms.called = get_text(e, "called");
  sms.virtual_number = get_text(e, "virtualNumber");
  sms.event = get_text(e, "event");
  sms.time_stamp = get_time(e, "timeStamp");
  sms.subscription_id = get_text(e, "subscriptionId");
  sms.sms_content = get_text(e, "smsContent");
  sms.send_result = get_int(e, "sendResult");
  if (const json* ext = get_object(e, "extInfo")) {
    if (const json* params = get_object_array(*ext, "extParas")) {
      for (const json& p : *params) {
        sms.ext_params.emplace_back(get_text(p, "key").value_or(std::string()),
                                    get_text(p, "value").value_or(std::string()));
      }
    }
  }
  static const char* const kKnown[] = {
      "smsIdentifier", "notificationMode", "calling", "called", "virtualNumber", "event",
      "timeStamp", "subscriptionId", "smsContent", "extInfo", "sendResult", nullptr};
  sms.extra_fields = extra_fields(e, kKnown);
  return sms;
}

Notification classify(const json& body, std::string_view raw) {
  std::optional<std::string> event_type = get_text(body, "eventType");
  if (event_type) {
    if (*event_type == "fee") {
      FeeNotification fee;
      if (const json* records = get_object_array(body, "feeLst")) {
        fee.records.reserve(records->size());
        for (const json& record : *records) fee.records.push_back(parse_fee_record(record));
      }
      return fee;
    }
    if (*event_type == "numStatus") return parse_number_status_push(body);
    const json* info = get_object(body, "statusInfo");
    if (info != nullptr || call_event_type(*event_type) != CallEventType::kOther) {
      return parse_call_event(std::move(*event_type), info);
    }
    return UnknownNotification{std::move(event_type), std::string(raw)};
  }
  if (const json* sms_event = get_object(body, "smsEvent")) return parse_sms(body, *sms_event);
  return UnknownNotification{std::nullopt, std::string(raw)};
}

}  // namespace

Result<Notification> parse_notification(std::string_view body, const ParseLimits& limits) {
  json document;
  if (std::optional<Error> error = internal::parse_json(body, limits.max_depth, "push body",
                                                        document)) {
    return std::move(*error);
  }
  if (!document.is_object()) {
    return internal::decode_error(std::string("push body should be a JSON object, not ") +
                                  document.type_name());
  }
  try {
    return classify(document, body);
  } catch (const ShapeError& e) {
    return internal::decode_error(std::string("push body has the wrong shape: ") + e.what());
  } catch (const std::exception& e) {
    return internal::decode_error(std::string("push body could not be read: ") + e.what());
  }
}

}  // namespace privacycall::webhook
