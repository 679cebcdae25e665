#include <privacycall/webhook/block_answers.hpp>

#include <nlohmann/json.hpp>

#include "support/catch.hpp"
#include "support/webhook_test_support.hpp"

using namespace privacycall::webhook;
using privacycall::PhoneNumber;
using nlohmann::json;

namespace {

XModeConnect full_connect() {
  XModeConnect c(PhoneNumber("+8613400000001"));
  c.display_callee = PhoneNumber("+8617000000001");
  c.max_duration = std::chrono::minutes(60);
  c.wait_voice = "waitVoice001.wav";
  c.record = true;
  c.record_hint_tone = "recordHintTone001.wav";
  c.last_minute_voice = "lastMinVoice001.wav";
  c.user_data = "userflag001";
  return c;
}

}  // namespace

TEST_CASE("X-mode connect is written in the documented object form") {
  const std::string body = serialize(XModeAnswer::connect(full_connect())).value();
  const json j = json::parse(body);
  CHECK(j == json::parse(R"({"operation":"connect","connectInfo":{
      "displayCalleeNum":"+8617000000001","calleeNum":"+8613400000001","maxDuration":60,
      "waitVoice":"waitVoice001.wav","recordFlag":"true","recordHintTone":"recordHintTone001.wav",
      "lastMinVoice":"lastMinVoice001.wav","userData":"userflag001"}})"));
  CHECK(j["connectInfo"]["recordFlag"].is_string());

  const json minimal =
      json::parse(serialize(XModeAnswer::connect(XModeConnect(PhoneNumber("+8613400000001"))))
                      .value());
  CHECK(minimal == json::parse(
                       R"({"operation":"connect","connectInfo":{"calleeNum":"+8613400000001","maxDuration":0}})"));
}

TEST_CASE("X-mode answers in the Java-demo array form match the demo file") {
  const std::string body =
      serialize(XModeAnswer::connect(full_connect()), XModeAnswerForm::kJavaDemoArray).value();
  json demo = json::parse(webhook_test::notification_example("x_mode_response_connect_javademo.json"));
  json ours = json::parse(body);
  REQUIRE(ours["connectInfo"].is_array());
  // The demo shows the callee's own number as display number; ours differs only there.
  ours["connectInfo"][0]["displayCalleeNum"] = demo["connectInfo"][0]["displayCalleeNum"];
  CHECK(ours == demo);
}

TEST_CASE("X-mode close, and the documented close example reads back") {
  XModeClose close;
  close.close_hint_tone = "closeHintTone.wav";
  close.user_data = "testuserdate";
  const json ours = json::parse(serialize(XModeAnswer::close(close)).value());
  const json doc = json::parse(webhook_test::notification_example("x_mode_response_close_partial.json"));
  CHECK(ours == doc);
  CHECK(json::parse(serialize(XModeAnswer::close()).value()) ==
        json::parse(R"({"operation":"close","closeInfo":{}})"));

  const XModeAnswer parsed = parse_x_mode_answer(doc.dump()).value();
  REQUIRE_FALSE(parsed.is_connect());
  CHECK(std::get<XModeClose>(parsed.action).close_hint_tone == "closeHintTone.wav");
}

TEST_CASE("X-mode answers read back in both forms") {
  const XModeAnswer demo =
      parse_x_mode_answer(webhook_test::notification_example("x_mode_response_connect_javademo.json"))
          .value();
  REQUIRE(demo.is_connect());
  const auto& c = std::get<XModeConnect>(demo.action);
  CHECK(c.callee.str() == "+8613400000001");
  CHECK(c.max_duration == std::chrono::minutes(60));
  CHECK(c.record == true);
  CHECK(c.user_data == "userflag001");

  const XModeAnswer round = parse_x_mode_answer(serialize(XModeAnswer::connect(full_connect())).value()).value();
  CHECK(std::get<XModeConnect>(round.action).display_callee->str() == "+8617000000001");

  CHECK_FALSE(parse_x_mode_answer(R"({"operation":"dial"})").ok());
  CHECK_FALSE(parse_x_mode_answer(R"({"operation":"connect","connectInfo":{}})").ok());
  CHECK_FALSE(parse_x_mode_answer(R"({"operation":"connect","connectInfo":"x"})").ok());
  CHECK_FALSE(parse_x_mode_answer("[").ok());
}

TEST_CASE("invalid X-mode answers are refused without naming numbers") {
  XModeConnect c(PhoneNumber("+8613400000001"));
  c.max_duration = std::chrono::minutes(1441);
  auto result = serialize(XModeAnswer::connect(c));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().category == privacycall::ErrorCategory::kValidation);
  CHECK(result.error().message.find("maxDuration") != std::string::npos);
  CHECK(result.error().message.find("+86") == std::string::npos);

  c.max_duration = std::chrono::minutes(-1);
  CHECK_FALSE(serialize(XModeAnswer::connect(c)).ok());
  c.max_duration = std::chrono::minutes(1440);
  CHECK(serialize(XModeAnswer::connect(c)).ok());
  c.wait_voice = "has space.wav";
  CHECK_FALSE(serialize(XModeAnswer::connect(c)).ok());
  c.wait_voice = std::string(129, 'a');
  CHECK_FALSE(serialize(XModeAnswer::connect(c)).ok());
  XModeClose close;
  close.close_hint_tone = "bad/tone";
  CHECK_FALSE(serialize(XModeAnswer::close(close)).ok());
}

TEST_CASE("SMS Block answers: route, route by binding, discard") {
  const std::string route =
      serialize(SmsBlockAnswer::route(PhoneNumber("+8613800007022"), PhoneNumber("+8613800007021")))
          .value();
  CHECK(json::parse(route) == json::parse(R"({"actions":[{"operation":"vNumberRoute","message":{"called":"+8613800007022","calling":"+8613800007021"}}]})"));
  // Same shape as the official Python demo's answer.
  json demo = json::parse(webhook_test::notification_example("sms_block_response.json"));
  CHECK(demo["actions"][0].size() == json::parse(route)["actions"][0].size());
  CHECK(json::parse(serialize(SmsBlockAnswer::route_by_binding()).value()) ==
        json::parse(R"({"actions":[{"operation":"vNumberRoute"}]})"));
  CHECK(json::parse(serialize(SmsBlockAnswer::discard()).value()) ==
        json::parse(R"({"actions":[{"operation":"DiscardMessage"}]})"));

  SmsBlockAnswer with_data = SmsBlockAnswer::discard();
  with_data.user_data = "abc";
  CHECK(json::parse(serialize(with_data).value())["actions"][0]["userData"] == "abc");
  with_data.user_data = "{x}";
  CHECK_FALSE(serialize(with_data).ok());
  with_data.user_data = std::string(257, 'a');
  CHECK_FALSE(serialize(with_data).ok());
  with_data.user_data = "\xe4\xb8\xad";  // a Chinese character
  CHECK_FALSE(serialize(with_data).ok());
}

TEST_CASE("SMS Block answers read back") {
  const auto demo = parse_sms_block_answer(
      R"({"actions":[{"operation":"vNumberRoute","message":{"called":"+8613800007022","calling":"+8613800007021"}}]})")
                        .value();
  CHECK(demo.operation == SmsBlockAnswer::Operation::kRoute);
  CHECK(demo.called->str() == "+8613800007022");
  // The documented example masks digits, which is not a valid number.
  CHECK_FALSE(parse_sms_block_answer(webhook_test::notification_example("sms_block_response.json")).ok());
  CHECK(parse_sms_block_answer(R"({"actions":[{"operation":"DiscardMessage"}]})").value().operation ==
        SmsBlockAnswer::Operation::kDiscard);
  CHECK_FALSE(parse_sms_block_answer(R"({"actions":[]})").ok());
  CHECK_FALSE(parse_sms_block_answer(R"({"actions":[{"operation":"Forward"}]})").ok());
}
