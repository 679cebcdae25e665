#include <privacycall/webhook/codes.hpp>
#include <privacycall/webhook/parse.hpp>

#include <filesystem>
#include <set>

#include "support/catch.hpp"
#include "support/webhook_test_support.hpp"

using namespace privacycall::webhook;
using privacycall::Result;
using privacycall::SubscriptionId;
using webhook_test::notification_example;

namespace {

std::chrono::system_clock::time_point utc(std::time_t seconds, int millis = 0) {
  return std::chrono::system_clock::from_time_t(seconds) + std::chrono::milliseconds(millis);
}

Notification parse_ok(std::string_view body) {
  Result<Notification> parsed = parse_notification(body);
  INFO((parsed ? std::string("ok") : parsed.error().to_string()));
  REQUIRE(parsed.ok());
  return std::move(parsed).value();
}

privacycall::Error parse_error(std::string_view body) {
  Result<Notification> parsed = parse_notification(body);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().category == privacycall::ErrorCategory::kDecode);
  return parsed.error();
}

}  // namespace

TEST_CASE("every documented notification example parses into the right type and values") {
  // Each file of the examples directory must be listed here, so a new example cannot slip in
  // untested.
  std::set<std::string> checked;

  {
    const std::string name = "axe_event_disconnect.json";
    checked.insert(name);
    const auto n = parse_ok(notification_example(name));
    REQUIRE(std::holds_alternative<CallEvent>(n));
    const auto& e = std::get<CallEvent>(n);
    CHECK(e.event_type == CallEventType::kDisconnect);
    CHECK(e.event_type.raw() == "disconnect");
    CHECK(e.session_id == "1202_1051_4294967295_20190124070250@callenabler246.huaweicaas.com");
    REQUIRE(e.timestamp);
    CHECK(e.timestamp->raw == "2019-01-24 07:03:28");
    CHECK(e.timestamp->time == utc(1548313408));
    CHECK(e.caller == "+86138****0022");
    CHECK(e.called == "+86138****7021");
    CHECK(e.state_code == HangupCause(0));
    CHECK(e.state_desc == "The user releases the call.");
    CHECK(e.subscription_id == SubscriptionId{"********"});
    CHECK_FALSE(e.notify_mode);
    CHECK_FALSE(e.is_block_callin());
    CHECK(e.extra_fields.empty());
  }
  {
    const std::string name = "fee_devguide_example.json";
    checked.insert(name);
    const auto n = parse_ok(notification_example(name));
    REQUIRE(std::holds_alternative<FeeNotification>(n));
    const auto& fee = std::get<FeeNotification>(n);
    REQUIRE(fee.records.size() == 1);
    const FeeRecord& r = fee.records[0];
    CHECK(r.direction == CdrDirection::kFromA);
    CHECK(r.sp_id == "****");
    CHECK(r.app_key == "****");
    CHECK(r.icid == "ba171f34e6953fcd751edc77127748f4.3757285803.338666679.5");
    CHECK(r.bind_num == "+86138****0022");
    CHECK(r.session_id == "1200_1827_4294967295_20190124023003@callenabler246.huaweicaas.com");
    CHECK(r.subscription_id == SubscriptionId{"****"});
    CHECK(r.caller_num == "+86138****0021");
    CHECK(r.callee_num == "+86138****0022");
    CHECK(r.fwd_display_num == "+86138****0022");
    CHECK(r.fwd_dst_num == "+86138****7021");
    REQUIRE(r.call_in_time);
    CHECK(r.call_in_time->raw == "2019-01-24 02:30:03");
    CHECK(r.call_in_time->time == utc(1548297003));
    CHECK(r.fwd_start_time->time == utc(1548297003));
    CHECK(r.fwd_alerting_time->time == utc(1548297004));
    CHECK(r.fwd_answer_time->time == utc(1548297006));
    CHECK(r.call_end_time->time == utc(1548297022));
    CHECK(r.talk_duration() == std::chrono::seconds(16));
    CHECK(r.fwd_unasw_rsn == Q850Cause(0));
    CHECK(r.ul_fail_reason == TeardownPoint(0));
    CHECK(r.sip_status_code == 0);
    CHECK(r.call_out_unasw_rsn == Q850Cause(0));
    CHECK(r.record_flag == RecordingState::kRecorded);
    CHECK(r.record_start_time->raw == "2019-01-24 02:30:06");
    CHECK(r.record_domain == "****.com");
    CHECK(r.record_bucket_name == "****");
    CHECK(r.record_object_name == "****.wav");
    CHECK(r.tts_play_times == 0);
    CHECK(r.tts_trans_duration == 0);
    CHECK(r.mpty_id == "****");
    CHECK(r.service_type == "003");
    CHECK(r.host_name == "callenabler246.huaweicaas.com");
    CHECK_FALSE(r.fail_time);
    CHECK_FALSE(r.record_file_download_url);
    CHECK_FALSE(r.notify_mode);
    CHECK(r.extra_fields.empty());
  }
  {
    const std::string name = "sms_block_request_demo.json";
    checked.insert(name);
    const auto n = parse_ok(notification_example(name));
    REQUIRE(std::holds_alternative<SmsNotification>(n));
    const auto& s = std::get<SmsNotification>(n);
    CHECK(s.app_key == "****");
    CHECK(s.sms_identifier == "****");
    CHECK(s.notification_mode == NotifyMode::kBlock);
    CHECK(s.is_block());
    CHECK(s.calling == "+86138****0001");
    CHECK(s.virtual_number == "+86138****0000");
    CHECK(s.event == "Text SMS ");
    REQUIRE(s.time_stamp);
    CHECK(s.time_stamp->raw == "2018-09-13T09:46:16.023Z");
    CHECK(s.time_stamp->time == utc(1536831976, 23));
    CHECK_FALSE(s.called);
    CHECK_FALSE(s.send_result);
  }
  for (const std::string name : {"sms_notify.json", "sms_notify_axb.json"}) {
    checked.insert(name);
    INFO(name);
    const auto n = parse_ok(notification_example(name));
    REQUIRE(std::holds_alternative<SmsNotification>(n));
    const auto& s = std::get<SmsNotification>(n);
    CHECK(s.sms_identifier == "********");
    CHECK(s.notification_mode == NotifyMode::kNotify);
    CHECK_FALSE(s.is_block());
    CHECK(s.event == (name == "sms_notify.json" ? "TextSMS" : "Text SMS "));
    CHECK(s.time_stamp->time == utc(1608714376, 450));
    REQUIRE(s.ext_params.size() == 2);
    CHECK(s.ext_params[0] == std::make_pair(std::string("splitNum"), std::string("0")));
    CHECK(s.ext_params[1] == std::make_pair(std::string("direction"), std::string("2")));
    CHECK(s.send_result == SmsSendResult::kUnknown);  // undocumented failure code
    CHECK(s.send_result->raw() == 2);
  }
  {
    const std::string name = "x_mode_event_callin_illustrative.json";
    checked.insert(name);
    const auto n = parse_ok(notification_example(name));
    REQUIRE(std::holds_alternative<CallEvent>(n));
    const auto& e = std::get<CallEvent>(n);
    CHECK(e.event_type == CallEventType::kCallIn);
    CHECK(e.notify_mode == NotifyMode::kBlock);
    CHECK(e.is_block_callin());
    CHECK(e.called == "+86170****0001");
    CHECK_FALSE(e.subscription_id);
  }
  {
    const std::string name = "xnum_status_illustrative.json";
    checked.insert(name);
    const auto n = parse_ok(notification_example(name));
    REQUIRE(std::holds_alternative<NumberStatusNotification>(n));
    const auto& s = std::get<NumberStatusNotification>(n);
    REQUIRE(s.entries.size() == 1);
    CHECK(s.entries[0].number == "+86170****0001");
    CHECK(s.entries[0].status->raw() == "9");
    CHECK(s.entries[0].status == NumberStatus::kPaused);
    CHECK_FALSE(s.entries[0].cause);
  }
  // The customer's answers live in the same folder; as push bodies they are of no known kind
  // (block_answers_test reads them as answers).
  for (const std::string name : {"sms_block_response.json", "x_mode_response_close_partial.json",
                                 "x_mode_response_connect_javademo.json"}) {
    checked.insert(name);
    INFO(name);
    const std::string body = notification_example(name);
    const auto n = parse_ok(body);
    REQUIRE(std::holds_alternative<UnknownNotification>(n));
    CHECK(std::get<UnknownNotification>(n).raw_json == body);
  }

  std::set<std::string> on_disk;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::string(PRIVACYCALL_TEST_DATA_DIR) + "/spec_examples/notifications")) {
    on_disk.insert(entry.path().filename().string());
  }
  CHECK(on_disk == checked);
}

TEST_CASE("coded fields decode to enums and keep codes this SDK does not know") {
  const auto event = std::get<CallEvent>(parse_ok(R"({"eventType":"disconnect","statusInfo":{
      "notifyMode":"block","callRelDirection":3,"caller":"+8613800000021","called":"+86138****0022"}})"));
  CHECK(event.notify_mode == NotifyMode::kBlock);
  CHECK(event.notify_mode->raw() == "block");
  CHECK(event.call_rel_direction == ReleasingParty::kUnknown);
  CHECK(event.call_rel_direction->raw() == 3);
  REQUIRE(event.caller);
  CHECK(event.caller->phone() == privacycall::PhoneNumber("+8613800000021"));
  CHECK_FALSE(event.called->phone());  // masked as in the docs: kept as text
  CHECK(event.called->raw() == "+86138****0022");

  const auto fee = std::get<FeeNotification>(parse_ok(
      R"({"eventType":"fee","feeLst":[{"direction":5,"recordFlag":0,"notifyMode":"Queue","ulFailReason":8014}]})"));
  const FeeRecord& record = fee.records.at(0);
  CHECK(record.direction == CdrDirection::kUnknown);
  CHECK(record.direction->raw() == 5);
  CHECK(record.record_flag == RecordingState::kNotRecorded);
  CHECK(record.notify_mode == NotifyMode::kUnknown);
  CHECK(record.notify_mode->raw() == "Queue");
  CHECK(describe(*record.ul_fail_reason) == describe_teardown_point(8014));

  const auto status = std::get<NumberStatusNotification>(
      parse_ok(R"({"eventType":"numStatus","numInfo":[{"number":"+8617000000001","status":"12","cause":"4"}]})"));
  CHECK(status.entries.at(0).status == NumberStatus::kUnknown);
  CHECK(status.entries.at(0).status->raw() == "12");
  CHECK(status.entries.at(0).cause->raw() == "4");
  CHECK(status.entries.at(0).number == privacycall::PhoneNumber("+8617000000001"));
}

TEST_CASE("numbers and strings are accepted for each other, odd values do not lose the push") {
  const auto n = parse_ok(R"({"eventType":"disconnect","statusInfo":{
      "sessionId":12345,"stateCode":"8014","callRelDirection":2.0,"caller":"+86 weird",
      "timestamp":"not a time","userData":true,"digitInfo":null}})");
  const auto& e = std::get<CallEvent>(n);
  CHECK(e.session_id == "12345");
  CHECK(e.state_code == HangupCause(8014));
  CHECK(e.call_rel_direction == ReleasingParty::kCallee);
  CHECK(e.caller == "+86 weird");  // kept as sent, not a PhoneNumber
  CHECK_FALSE(e.caller->phone());
  REQUIRE(e.timestamp);
  CHECK(e.timestamp->raw == "not a time");
  CHECK_FALSE(e.timestamp->time);
  CHECK(e.user_data == "true");
  CHECK_FALSE(e.digit_info);

  const auto fee = std::get<FeeNotification>(parse_ok(
      R"({"eventType":"fee","feeLst":[{"direction":"0","recordFlag":" 1 ","ulFailReason":"x",
          "sipStatusCode":1e20,"callDuration":35,"serviceType":3}]})"));
  REQUIRE(fee.records.size() == 1);
  CHECK(fee.records[0].direction == CdrDirection::kToA);
  CHECK(fee.records[0].record_flag == RecordingState::kRecorded);
  CHECK_FALSE(fee.records[0].ul_fail_reason);   // unreadable number: dropped, push kept
  CHECK_FALSE(fee.records[0].sip_status_code);  // out of int range
  CHECK(fee.records[0].call_duration == "35");
  CHECK(fee.records[0].service_type == "3");

  const auto status = std::get<NumberStatusNotification>(
      parse_ok(R"({"eventType":"numStatus","numInfo":[{"number":"+8617000000001","status":10,"cause":2}]})"));
  CHECK(status.entries[0].status->raw() == "10");
  CHECK(status.entries[0].status == NumberStatus::kUnavailable);
  CHECK(status.entries[0].cause == NumberStatusCause::kArrears);

  const auto sms = std::get<SmsNotification>(
      parse_ok(R"({"smsEvent":{"sendResult":"0","notificationMode":"block "}})"));
  CHECK(sms.send_result == SmsSendResult::kSuccess);
  CHECK(sms.is_block());
  CHECK_FALSE(sms.app_key);
}

TEST_CASE("unknown members are kept, missing optional ones are fine") {
  const auto e = std::get<CallEvent>(parse_ok(
      R"({"eventType":"answer","extra":1,"statusInfo":{"sessionId":"s","xCityCode":"0755"}})"));
  CHECK(e.event_type == CallEventType::kAnswer);
  CHECK(e.extra_fields == R"({"xCityCode":"0755"})");

  const auto bare = std::get<CallEvent>(parse_ok(R"({"eventType":"callout"})"));
  CHECK(bare.event_type == CallEventType::kCallOut);
  CHECK_FALSE(bare.session_id);

  const auto other = std::get<CallEvent>(
      parse_ok(R"({"eventType":"hold","statusInfo":{"sessionId":"s"}})"));
  CHECK(other.event_type == CallEventType::kUnknown);
  CHECK(other.event_type.raw() == "hold");

  const auto empty_fee = std::get<FeeNotification>(parse_ok(R"({"eventType":"fee"})"));
  CHECK(empty_fee.records.empty());

  const auto fee = std::get<FeeNotification>(
      parse_ok(R"({"eventType":"fee","feeLst":[{"sessionId":"a","cityCodeX":"0755"}]})"));
  CHECK(fee.records[0].extra_fields == R"({"cityCodeX":"0755"})");
}

TEST_CASE("bodies of no known kind become UnknownNotification") {
  const std::string body = R"({"eventType":"somethingNew","payload":[1,2]})";
  const auto unknown = std::get<UnknownNotification>(parse_ok(body));
  CHECK(unknown.event_type == "somethingNew");
  CHECK(unknown.raw_json == body);
  CHECK_FALSE(std::get<UnknownNotification>(parse_ok("{}")).event_type);
}

TEST_CASE("invalid JSON, non-objects and wrong shapes are decode errors that quote nothing") {
  const auto error = parse_error(R"({"eventType":"disconnect","statusInfo":{"caller":"+8613812345678")");
  CHECK(error.message.find("+86") == std::string::npos);
  CHECK(error.message.find("not valid JSON") != std::string::npos);

  parse_error("");
  parse_error("not json");
  parse_error("[1,2,3]");
  parse_error(R"("a string")");
  parse_error("42");
  parse_error("null");
  parse_error("{\"a\":\"\xff\xfe\"}");  // invalid UTF-8
  parse_error(R"({"eventType":"fee","feeLst":{}})");
  parse_error(R"({"eventType":"fee","feeLst":[1]})");
  parse_error(R"({"eventType":"fee","feeLst":"x"})");
  parse_error(R"({"eventType":"numStatus","numInfo":{"number":"1"}})");
  parse_error(R"({"eventType":"disconnect","statusInfo":[]})");
  parse_error(R"({"eventType":"disconnect","statusInfo":"x"})");
  parse_error(R"({"eventType":"disconnect","statusInfo":{"caller":{"a":1}}})");
  parse_error(R"({"eventType":"disconnect","statusInfo":{"stateCode":[0]}})");
  parse_error(R"({"smsEvent":"x"})");
  parse_error(R"({"smsEvent":{"extInfo":{"extParas":{}}}})");
  const auto shape = parse_error(R"({"eventType":"fee","feeLst":[{"callerNum":{"n":"+8613812345678"}}]})");
  CHECK(shape.message.find("callerNum") != std::string::npos);
  CHECK(shape.message.find("+86") == std::string::npos);
}

TEST_CASE("deep nesting is refused before it is descended into") {
  std::string deep(100000, '[');
  CHECK(parse_error(deep).message.find("nests deeper") != std::string::npos);
  std::string objects;
  for (int i = 0; i < 40; ++i) objects += R"({"a":)";
  objects += "1";
  objects += std::string(40, '}');
  parse_error(objects);
  // Brackets inside strings do not count.
  const auto ok = parse_ok(R"({"eventType":"x","s":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"[[["})");
  CHECK(std::holds_alternative<UnknownNotification>(ok));
  ParseLimits tight;
  tight.max_depth = 1;
  CHECK_FALSE(parse_notification(R"({"eventType":"disconnect","statusInfo":{}})", tight).ok());
}

TEST_CASE("a record list longer than max_list_entries is refused before its records are built") {
  const auto body = [](std::string_view event_type, std::string_view list, std::size_t entries) {
    std::string text = R"({"eventType":")" + std::string(event_type) + R"(",")" + std::string(list) + R"(":[)";
    for (std::size_t i = 0; i < entries; ++i) text += i == 0 ? "{}" : ",{}";
    return text + "]}";
  };
  ParseLimits limits;
  limits.max_list_entries = 3;
  const auto entries_of = [&](const std::string& text) -> std::size_t {
    const Result<Notification> parsed = parse_notification(text, limits);
    REQUIRE(parsed.ok());
    if (const auto* fee = std::get_if<FeeNotification>(&*parsed)) return fee->records.size();
    return std::get<NumberStatusNotification>(*parsed).entries.size();
  };
  CHECK(entries_of(body("fee", "feeLst", 3)) == 3);
  CHECK(entries_of(body("numStatus", "numInfo", 3)) == 3);
  for (const auto& [event_type, list] : {std::pair{"fee", "feeLst"}, std::pair{"numStatus", "numInfo"}}) {
    CAPTURE(list);
    const Result<Notification> parsed = parse_notification(body(event_type, list, 4), limits);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().category == privacycall::ErrorCategory::kDecode);
    CHECK(parsed.error().message == "push body's \"" + std::string(list) + "\" holds more than 3 entries");
  }
  // The CDR list is counted while it is read: the body is refused at the 4th record, before
  // its end, so what follows is never parsed (here it is not even JSON).
  const auto cut_short = parse_notification(R"({"eventType":"fee","feeLst":[{},{},{},{ not JSON)", limits);
  CHECK(cut_short.error().message.find("holds more than 3") != std::string::npos);
  // By default a thousand: twenty times the 50 CDRs the platform puts in one push.
  CHECK(ParseLimits{}.max_list_entries == 1000);
  CHECK(parse_notification(body("fee", "feeLst", 1000)).ok());
  CHECK_FALSE(parse_notification(body("fee", "feeLst", 1001)).ok());
}

TEST_CASE("wire times: both documented layouts, fractions, Z, and refusals") {
  CHECK(parse_wire_time("2019-01-24 07:03:28") == utc(1548313408));
  CHECK(parse_wire_time("2019-01-24T07:03:28Z") == utc(1548313408));
  CHECK(parse_wire_time("2020-12-23T09:06:16.450Z") == utc(1608714376, 450));
  CHECK(parse_wire_time("2020-12-23T09:06:16.4Z") == utc(1608714376, 400));
  CHECK_FALSE(parse_wire_time("2020-12-23T09:06:16+08:00"));
  CHECK_FALSE(parse_wire_time("2020-13-23 09:06:16"));
  CHECK_FALSE(parse_wire_time("2020-12-23 25:06:16"));
  CHECK_FALSE(parse_wire_time("2020-12-23 09:06:16."));
  CHECK_FALSE(parse_wire_time("1548313408"));
  CHECK_FALSE(parse_wire_time(""));
}

TEST_CASE("wire times the clock cannot hold are refused, far-apart CDR times do not overflow") {
  // Found by fuzz_notifications (corpus: regression-year-4038): libstdc++'s system_clock
  // counts nanoseconds and ends in 2262; from_time_t beyond that overflowed.
  using std::chrono::duration_cast;
  using std::chrono::hours;
  const bool clock_ends_before_4038 =
      duration_cast<hours>(std::chrono::system_clock::duration::max()).count() < 24LL * 366 * 2100;
  CHECK(parse_wire_time("4038-01-24 07:02:50").has_value() == !clock_ends_before_4038);
  CHECK(parse_wire_time("0001-01-01 00:00:00").has_value() == !clock_ends_before_4038);
  const auto event = parse_ok(
      R"({"eventType":"callin","statusInfo":{"timestamp":"4038-01-24 07:02:50","notifyMode":"Block"}})");
  CHECK(std::get<CallEvent>(event).timestamp->raw == "4038-01-24 07:02:50");

  const auto fee = parse_ok(R"({"eventType":"fee","feeLst":[{"fwdAnswerTime":"1700-01-01 00:00:00",
                                                            "callEndTime":"2200-01-01 00:00:00"}]})");
  CHECK(std::get<FeeNotification>(fee).records.at(0).talk_duration() ==
        std::chrono::seconds(15778454400));
}

TEST_CASE("a CDR batch read in one SAX pass keeps the DOM's rules") {
  // feeLst before eventType, a repeated member (the last wins, and replaces an earlier wrong
  // shape), unknown members of every type in extra_fields, keys sorted as nlohmann dumps them.
  const auto fee = std::get<FeeNotification>(parse_ok(
      R"({"feeLst":[{"callerNum":{"bad":1},"callerNum":"+8613800000021","zz":[1,{"a":null}],"aa":2.5,)"
      R"("sessionId":"s1","sessionId":"s2","callInTime":"2026-11-22 10:00:00"},{}],"eventType":"fee"})"));
  REQUIRE(fee.records.size() == 2);
  CHECK(fee.records[0].caller_num == "+8613800000021");
  CHECK(fee.records[0].session_id == "s2");
  CHECK(fee.records[0].call_in_time->raw == "2026-11-22 10:00:00");
  CHECK(fee.records[0].extra_fields == R"({"aa":2.5,"zz":[1,{"a":null}]})");
  CHECK(fee.records[1].extra_fields.empty());
  // A repeated feeLst replaces the earlier one.
  CHECK(std::get<FeeNotification>(parse_ok(R"({"eventType":"fee","feeLst":[{}],"feeLst":null})")).records.empty());
  // Wrong shapes in the records matter only for a CDR push, and name the member.
  CHECK(std::holds_alternative<UnknownNotification>(parse_ok(R"({"eventType":"x","feeLst":[{"icid":[]},7]})")));
  CHECK(parse_error(R"({"feeLst":[{"icid":[]},7],"eventType":"fee"})").message.find("elements of \"feeLst\"") !=
        std::string::npos);
  CHECK(parse_error(R"({"feeLst":[{"sessionId":"a"},{"icid":{}}],"eventType":"fee"})").message.find("\"icid\"") !=
        std::string::npos);
  CHECK(parse_error(R"({"eventType":"fee","feeLst":{"a":[[[]]]}})").message.find("should be an array, not object") !=
        std::string::npos);
}
