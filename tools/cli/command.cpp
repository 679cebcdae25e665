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

std::optional<AreaCode> take_area(Args& args) {
  const auto code = args.take("area-code");
  const auto mode = args.take_choice("area-match-mode", {"0", "1"});
  if (!code) {
    if (mode) throw UsageError("--area-match-mode needs --area-code");
    return std::nullopt;
  }
  AreaCode area(*code);
  if (mode) area.match_mode = *mode == "1" ? AreaMatchMode::kLoose : AreaMatchMode::kStrict;
  return area;
}

std::optional<CallDirection> take_call_direction(Args& args) {
  const auto value = args.take_int("call-direction", 0, 2);
  if (!value) return std::nullopt;
  return static_cast<CallDirection>(*value);
}

void take_pre_voice(Args& args, std::optional<PreVoice>& target) {
  PreVoice voice;
  voice.caller_hint_tone = args.take("pre-voice-caller-hint-tone");
  voice.callee_hint_tone = args.take("pre-voice-callee-hint-tone");
  if (voice.caller_hint_tone || voice.callee_hint_tone) target = voice;
}

std::optional<DisplayNumber> take_display(Args& args, const std::string& name) {
  const auto value = args.take_choice(name, {"0", "1"});
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
