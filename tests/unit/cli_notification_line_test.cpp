// `privacycall listen`'s lines: a NotificationLines reuses its DOM from one line to the next,
// so each line must be exactly what a fresh builder gives, whatever the line before held.

#include <privacycall/webhook/parse.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "notification_line.hpp"
#include "support/catch.hpp"

using namespace privacycall::webhook;
using privacycall::cli::NotificationLines;

namespace {

template <typename Kind>
Kind parse_as(std::string_view body) {
  auto parsed = parse_notification(body);
  INFO(std::string(body));
  REQUIRE(parsed.ok());
  REQUIRE(std::holds_alternative<Kind>(*parsed));
  return std::get<Kind>(std::move(parsed).value());
}

template <typename Kind, typename... Answer>
std::string fresh_line(const Kind& notification, Answer... answer) {
  NotificationLines lines;
  return std::string(lines.of(notification, answer...));
}

constexpr std::string_view kRichEvent =
    R"({"eventType":"disconnect","statusInfo":{"sessionId":"s-1","timestamp":"2026-11-22 10:00:00",)"
    R"("caller":"+8613800000021","called":"+8613800000022","stateCode":31,"stateDesc":"a long description here",)"
    R"("userData":"u","subscriptionId":"sub-1","digitInfo":"12"}})";
constexpr std::string_view kSparseEvent = R"({"eventType":"callin","statusInfo":{"sessionId":"s-2"}})";

std::string fee_record(int i, bool rich) {
  std::string record = R"({"sessionId":"session-)" + std::to_string(i) + R"(","icid":"icid-)" + std::to_string(i) + '"';
  if (rich) {
    record += R"(,"direction":1,"bindNum":"+8617000000001","callerNum":"+8613800000021","calleeNum":"+8617000000001",)"
              R"("callInTime":"2026-11-22 10:00:00","fwdAnswerTime":"2026-11-22 10:00:05",)"
              R"("callEndTime":"2026-11-22 10:01:05","recordFlag":1,"recordDomain":"obs.example.com",)"
              R"("recordObjectName":"a-recording-name.wav","ulFailReason":0,"fwdUnaswRsn":16)";
  }
  return record + "}";
}

std::string fee_push(std::initializer_list<std::string> records) {
  std::string list;
  for (const std::string& record : records) list += (list.empty() ? "" : ",") + record;
  return R"({"eventType":"fee","feeLst":[)" + list + "]}";
}

}  // namespace

TEST_CASE("a reused builder prints each line as a fresh one does, with nothing left of the line before") {
  NotificationLines lines;
  const auto rich = parse_as<CallEvent>(kRichEvent);
  const auto sparse = parse_as<CallEvent>(kSparseEvent);
  CHECK(lines.of(rich) == fresh_line(rich));
  CHECK(lines.of(sparse, "close") == fresh_line(sparse, "close"));
  CHECK(lines.of(sparse) == R"({"event_type":"callin","kind":"call_event","session_id":"s-2"})");
  CHECK(lines.of(rich) == fresh_line(rich));
  CHECK(nlohmann::json::parse(lines.of(rich)).at("state_meaning").is_string());

  const auto three = parse_as<FeeNotification>(fee_push({fee_record(1, true), fee_record(2, false), fee_record(3, true)}));
  const auto one = parse_as<FeeNotification>(fee_push({fee_record(4, false)}));
  const auto none = parse_as<FeeNotification>(fee_push({}));
  CHECK(lines.of(three) == fresh_line(three));
  CHECK(lines.of(one) == R"({"kind":"fee","records":[{"icid":"icid-4","session_id":"session-4"}]})");
  CHECK(lines.of(none) == R"({"kind":"fee","records":[]})");
  CHECK(lines.of(three) == fresh_line(three));
  const auto first = nlohmann::json::parse(lines.of(three)).at("records").at(0);
  CHECK(first.at("talk_seconds") == 60);
  CHECK(first.at("fwd_unasw_rsn") == 16);
  CHECK(first.at("record_domain") == "obs.example.com");

  const auto two = parse_as<NumberStatusNotification>(
      R"({"eventType":"numStatus","numInfo":[{"number":"+8617000000001","status":"10","cause":"2"},{"number":"+8617000000002","status":"5"}]})");
  const auto plain = parse_as<NumberStatusNotification>(R"({"eventType":"numStatus","numInfo":[{"status":"5"}]})");
  CHECK(lines.of(two) == fresh_line(two));
  CHECK(lines.of(plain) == R"({"entries":[{"status":"5"}],"kind":"number_status"})");

  const auto block = parse_as<SmsNotification>(
      R"({"appKey":"k","smsEvent":{"smsIdentifier":"m-1","notificationMode":"Block","calling":"+8613800000021",)"
      R"("virtualNumber":"+8617000000001","smsContent":"hello \"there\"\n","timeStamp":"2026-11-22T10:00:00.450Z"}})");
  const auto notify = parse_as<SmsNotification>(R"({"appKey":"k","smsEvent":{"smsIdentifier":"m-2","sendResult":0}})");
  CHECK(lines.of(block, "discard") == fresh_line(block, "discard"));
  CHECK(lines.of(notify) == R"({"kind":"sms","send_result":0,"sms_identifier":"m-2"})");

  const auto unknown = parse_as<UnknownNotification>(R"({"eventType":"brandNew","b":{"z":[1,2.5,null,true],"a":"x"}})");
  CHECK(lines.of(unknown) ==
        R"({"event_type":"brandNew","kind":"unknown","raw":{"b":{"a":"x","z":[1,2.5,null,true]},"eventType":"brandNew"}})");
  CHECK(lines.of(sparse) == R"({"event_type":"callin","kind":"call_event","session_id":"s-2"})");
}

TEST_CASE("a line holds each field as sent, escaped by nlohmann") {
  const auto rich = parse_as<CallEvent>(kRichEvent);
  const nlohmann::json line = nlohmann::json::parse(fresh_line(rich, "connect"));
  CHECK(line.at("kind") == "call_event");
  CHECK(line.at("event_type") == "disconnect");
  CHECK(line.at("timestamp") == "2026-11-22 10:00:00");
  CHECK(line.at("caller") == "+8613800000021");
  CHECK(line.at("state_code") == 31);
  CHECK(line.at("subscription_id") == "sub-1");
  CHECK(line.at("answer") == "connect");
  const auto sms = parse_as<SmsNotification>(R"({"smsEvent":{"smsIdentifier":"m","smsContent":"a\"b\\c\u0001"}})");
  CHECK(fresh_line(sms) == R"({"kind":"sms","sms_content":"a\"b\\c\u0001","sms_identifier":"m"})");
}
