// libFuzzer target: the Block-answer parsers the simulators use (X-mode callin answer, SMS
// Block answer). Whatever parses and serialises must parse back to the same answer.
#include <privacycall/webhook/block_answers.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

using namespace privacycall::webhook;

void check_x_mode(std::string_view body) {
  const auto parsed = parse_x_mode_answer(body);
  if (!parsed.ok()) return;
  for (auto form : {XModeAnswerForm::kObject, XModeAnswerForm::kJavaDemoArray}) {
    const auto text = serialize(*parsed, form);
    if (!text.ok()) continue;  // parsing is lenient, serialising validates
    const auto again = parse_x_mode_answer(*text);
    if (!again.ok() || again->is_connect() != parsed->is_connect()) __builtin_trap();
    if (parsed->is_connect()) {
      const auto& a = std::get<XModeConnect>(parsed->action);
      const auto& b = std::get<XModeConnect>(again->action);
      if (a.callee.str() != b.callee.str() || a.max_duration != b.max_duration ||
          a.record != b.record || a.user_data != b.user_data || a.wait_voice != b.wait_voice) {
        __builtin_trap();
      }
    } else if (std::get<XModeClose>(parsed->action).user_data !=
               std::get<XModeClose>(again->action).user_data) {
      __builtin_trap();
    }
  }
}

void check_sms_block(std::string_view body) {
  const auto parsed = parse_sms_block_answer(body);
  if (!parsed.ok()) return;
  const auto text = serialize(*parsed);
  if (!text.ok()) return;
  const auto again = parse_sms_block_answer(*text);
  if (!again.ok() || again->operation != parsed->operation ||
      again->user_data != parsed->user_data) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  check_x_mode(body);
  check_sms_block(body);
  return 0;
}
