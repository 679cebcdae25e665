#include "command.hpp"

#include <iostream>

namespace privacycall::cli {

Client CommandContext::client() const {
  if (connection.base_url.empty()) throw UsageError("no base URL: give --base-url or set PRIVACYCALL_BASE_URL");
  if (connection.app_key.empty()) throw UsageError("no app key: give --app-key or set PRIVACYCALL_APP_KEY");
  if (connection.app_secret.empty()) {
    throw UsageError("no app secret: set PRIVACYCALL_APP_SECRET (or give --app-secret)");
  }
  auto client = Client::create(connection);
  if (!client) throw UsageError(client.error().message);
  return std::move(client).value();
}

int report(CommandContext& context, const Result<ApiResponse>& result) {
  if (result.ok()) {
    context.out << result->raw_json << std::endl;
    return kExitOk;
  }
  const Error& error = result.error();
  // One line, never the secret: Error carries neither credentials nor full numbers.
  context.err << "privacycall: error: " << error.to_string() << std::endl;
  return error.category == ErrorCategory::kValidation ? kExitUsage : kExitFailed;
}

Flags area_flags() {
  return {text("area-code", "areaCode", "city code to pick the privacy number from, e.g. 0755"),
          choice("area-match-mode", "areaMatchMode", {"0", "1"},
                 "0: that city only (platform default), 1: elsewhere when it has none; needs --area-code")};
}

std::optional<AreaCode> take_area(Args& args) {
  const auto code = args.take("area-code");
  const auto mode = args.take_choice("area-match-mode");
  if (!code) {
    if (mode) throw UsageError("--area-match-mode needs --area-code");
    return std::nullopt;
  }
  AreaCode area(*code);
  if (mode) area.match_mode = *mode == "1" ? AreaMatchMode::kLoose : AreaMatchMode::kStrict;
  return area;
}

Flag call_direction_flag() {
  return integer("call-direction", "callDirection", 0, 2, "0: both ways, 1: only A calls B, 2: only B calls A");
}

std::optional<CallDirection> take_call_direction(Args& args) {
  const auto value = args.take_int("call-direction");
  if (!value) return std::nullopt;
  return static_cast<CallDirection>(*value);
}

Flags pre_voice_flags() {
  return {text("pre-voice-caller-hint-tone", "preVoice.callerHintTone", "tone the caller hears before the answer"),
          text("pre-voice-callee-hint-tone", "preVoice.calleeHintTone", "tone the callee hears before the answer")};
}

void take_pre_voice(Args& args, std::optional<PreVoice>& target) {
  PreVoice voice;
  voice.caller_hint_tone = args.take("pre-voice-caller-hint-tone");
  voice.callee_hint_tone = args.take("pre-voice-callee-hint-tone");
  if (voice.caller_hint_tone || voice.callee_hint_tone) target = voice;
}

Flag display_flag(std::string name, std::string wire) {
  return choice(std::move(name), std::move(wire), {"0", "1"},
                "number the callee sees: 0 the privacy number, 1 the real caller");
}

std::optional<DisplayNumber> take_display(Args& args, const std::string& name) {
  const auto value = args.take_choice(name);
  if (!value) return std::nullopt;
  return *value == "1" ? DisplayNumber::kRealCaller : DisplayNumber::kPrivacyNumber;
}

void one_of(const char* first, bool has_first, const char* second, bool has_second, bool required) {
  if (has_first && has_second) throw UsageError(std::string("give --") + first + " or --" + second + ", not both");
  if (required && !has_first && !has_second) {
    throw UsageError(std::string("--") + first + " or --" + second + " is required");
  }
}

}  // namespace privacycall::cli
