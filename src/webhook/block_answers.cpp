#include <privacycall/webhook/block_answers.hpp>

#include "common/make_error.hpp"
#include "common/json_read.hpp"

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN
namespace {

using nlohmann::json;

constexpr std::size_t kMaxToneName = 128;
constexpr std::size_t kMaxSmsUserData = 256;
constexpr auto kMaxDuration = std::chrono::minutes(1440);
constexpr std::size_t kAnswerDepth = 8;

Error validation_error(std::string message) {
  return privacycall::internal::make_error(ErrorCategory::kValidation, std::move(message));
}

// requests.md §1.6: approved play files are named with letters, digits and -_.@ only.
std::optional<Error> check_tone(const std::optional<std::string>& tone, const char* field) {
  if (!tone) return std::nullopt;
  if (tone->size() > kMaxToneName) {
    return validation_error(std::string(field) + " is longer than 128 characters");
  }
  for (char c : *tone) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == '@';
    if (!ok) {
      return validation_error(std::string(field) +
                              " may hold only letters, digits and -_.@ (an approved file name)");
    }
  }
  return std::nullopt;
}

using privacycall::internal::decode_error;
using privacycall::internal::find_member;
using privacycall::internal::get_int;
using privacycall::internal::get_text;

Result<PhoneNumber> read_number(const json& object, const char* key) {
  std::optional<std::string> text = get_text(object, key);
  if (!text) return validation_error(std::string(key) + " is missing");
  return PhoneNumber::parse(*text);
}

}  // namespace

Result<std::string> serialize(const XModeAnswer& answer, XModeAnswerForm form) {
  json body = json::object();
  json info = json::object();
  const char* info_key = nullptr;
  if (const auto* c = std::get_if<XModeConnect>(&answer.action)) {
    if (c->max_duration < std::chrono::minutes(0) || c->max_duration > kMaxDuration) {
      return validation_error("maxDuration must be within 0..1440 minutes, got " +
                              std::to_string(c->max_duration.count()));
    }
    for (const auto& [tone, name] : {std::pair{&c->wait_voice, "waitVoice"},
                                     std::pair{&c->record_hint_tone, "recordHintTone"},
                                     std::pair{&c->last_minute_voice, "lastMinVoice"}}) {
      if (std::optional<Error> error = check_tone(*tone, name)) return std::move(*error);
    }
    body["operation"] = "connect";
    info_key = "connectInfo";
    if (c->display_callee) info["displayCalleeNum"] = c->display_callee->str();
    info["calleeNum"] = c->callee.str();
    info["maxDuration"] = c->max_duration.count();
    if (c->wait_voice) info["waitVoice"] = *c->wait_voice;
    if (c->record) info["recordFlag"] = *c->record ? "true" : "false";
    if (c->record_hint_tone) info["recordHintTone"] = *c->record_hint_tone;
    if (c->last_minute_voice) info["lastMinVoice"] = *c->last_minute_voice;
    if (c->user_data) info["userData"] = *c->user_data;
  } else {
    const auto& close = std::get<XModeClose>(answer.action);
    if (std::optional<Error> error = check_tone(close.close_hint_tone, "closeHintTone")) {
      return std::move(*error);
    }
    body["operation"] = "close";
    info_key = "closeInfo";
    if (close.close_hint_tone) info["closeHintTone"] = *close.close_hint_tone;
    if (close.user_data) info["userData"] = *close.user_data;
  }
  if (form == XModeAnswerForm::kJavaDemoArray) {
    body[info_key] = json::array({std::move(info)});
  } else {
    body[info_key] = std::move(info);
  }
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<XModeAnswer> parse_x_mode_answer(std::string_view text) {
  json body;
  if (std::optional<Error> error = privacycall::internal::parse_json(text, kAnswerDepth, "answer", body)) {
    return std::move(*error);
  }
  try {
    if (!body.is_object()) return decode_error("answer should be a JSON object");
    const std::optional<std::string> operation = get_text(body, "operation");
    const bool connect = operation == std::optional<std::string>("connect");
    if (!connect && operation != std::optional<std::string>("close")) {
      return decode_error("answer operation should be connect or close");
    }
    const char* key = connect ? "connectInfo" : "closeInfo";
    const json* info = nullptr;
    if (const json* member = find_member(body, key); member && !member->is_null()) {
      if (member->is_array() && member->size() == 1 && member->front().is_object()) {
        info = &member->front();
      } else if (member->is_object()) {
        info = member;
      } else {
        return decode_error(std::string(key) + " should be an object");
      }
    }
    if (!info) {
      // Read as an empty object.
      if (!connect) return XModeAnswer::close(XModeClose{std::nullopt, std::nullopt});
      return validation_error("calleeNum is missing");
    }
    if (!connect) {
      return XModeAnswer::close(XModeClose{get_text(*info, "closeHintTone"),
                                           get_text(*info, "userData")});
    }
    Result<PhoneNumber> callee = read_number(*info, "calleeNum");
    if (!callee) return std::move(callee).error();
    XModeConnect c(std::move(callee).value());
    if (get_text(*info, "displayCalleeNum")) {
      Result<PhoneNumber> display = read_number(*info, "displayCalleeNum");
      if (!display) return std::move(display).error();
      c.display_callee = std::move(display).value();
    }
    c.max_duration = std::chrono::minutes(get_int(*info, "maxDuration").value_or(0));
    c.wait_voice = get_text(*info, "waitVoice");
    if (std::optional<std::string> flag = get_text(*info, "recordFlag")) {
      c.record = *flag == "true";
    }
    c.record_hint_tone = get_text(*info, "recordHintTone");
    c.last_minute_voice = get_text(*info, "lastMinVoice");
    c.user_data = get_text(*info, "userData");
    return XModeAnswer::connect(std::move(c));
  } catch (const std::exception& e) {
    return decode_error(std::string("answer has the wrong shape: ") + e.what());
  }
}

SmsBlockAnswer SmsBlockAnswer::route(PhoneNumber called, PhoneNumber calling) {
  SmsBlockAnswer answer;
  answer.operation = Operation::kRoute;
  answer.called = std::move(called);
  answer.calling = std::move(calling);
  return answer;
}

SmsBlockAnswer SmsBlockAnswer::route_by_binding() {
  SmsBlockAnswer answer;
  answer.operation = Operation::kRoute;
  return answer;
}

SmsBlockAnswer SmsBlockAnswer::discard() { return SmsBlockAnswer{}; }

Result<std::string> serialize(const SmsBlockAnswer& answer) {
  json action = json::object();
  action["operation"] =
      answer.operation == SmsBlockAnswer::Operation::kRoute ? "vNumberRoute" : "DiscardMessage";
  if (answer.operation == SmsBlockAnswer::Operation::kRoute && (answer.called || answer.calling)) {
    json message = json::object();
    if (answer.called) message["called"] = answer.called->str();
    if (answer.calling) message["calling"] = answer.calling->str();
    action["message"] = std::move(message);
  }
  if (answer.user_data) {
    const std::string& data = *answer.user_data;
    if (data.size() > kMaxSmsUserData) {
      return validation_error("SMS userData is longer than 256 characters");
    }
    for (char c : data) {
      // Printable ASCII without braces: the docs forbid braces and Chinese characters.
      if (c < 0x20 || c > 0x7e || c == '{' || c == '}') {
        return validation_error(
            "SMS userData may hold only printable ASCII without { or } (Base64-encode it)");
      }
    }
    action["userData"] = data;
  }
  json body = json::object();
  body["actions"] = json::array({std::move(action)});
  return body.dump();
}

Result<SmsBlockAnswer> parse_sms_block_answer(std::string_view text) {
  json body;
  if (std::optional<Error> error = privacycall::internal::parse_json(text, kAnswerDepth, "answer", body)) {
    return std::move(*error);
  }
  try {
    if (!body.is_object()) return decode_error("answer should be a JSON object");
    const json* actions = find_member(body, "actions");
    if (!actions || !actions->is_array() || actions->empty() || !actions->front().is_object()) {
      return decode_error("answer should hold a non-empty actions array");
    }
    const json& action = actions->front();
    const std::optional<std::string> operation = get_text(action, "operation");
    SmsBlockAnswer answer;
    if (operation == std::optional<std::string>("vNumberRoute")) {
      answer.operation = SmsBlockAnswer::Operation::kRoute;
    } else if (operation != std::optional<std::string>("DiscardMessage")) {
      return decode_error("action operation should be vNumberRoute or DiscardMessage");
    }
    if (const json* message = find_member(action, "message"); message && message->is_object()) {
      if (get_text(*message, "called")) {
        Result<PhoneNumber> called = read_number(*message, "called");
        if (!called) return std::move(called).error();
        answer.called = std::move(called).value();
      }
      if (get_text(*message, "calling")) {
        Result<PhoneNumber> calling = read_number(*message, "calling");
        if (!calling) return std::move(calling).error();
        answer.calling = std::move(calling).value();
      }
    }
    answer.user_data = get_text(action, "userData");
    return answer;
  } catch (const std::exception& e) {
    return decode_error(std::string("answer has the wrong shape: ") + e.what());
  }
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook
