#ifndef PRIVACYCALL_INTERNAL_WIRE_HPP
#define PRIVACYCALL_INTERNAL_WIRE_HPP

// Wire forms of the vocabulary in common.hpp, shared by every mode's encoder and decoder.

#include <privacycall/common.hpp>

#include <nlohmann/json.hpp>

#include "internal/json_fields.hpp"
#include "internal/validation.hpp"

namespace privacycall::internal {

inline const char* wire(AreaMatchMode mode) { return mode == AreaMatchMode::kLoose ? "1" : "0"; }

inline int wire(CallDirection direction) { return static_cast<int>(direction); }

/// Writes areaCode and areaMatchMode.
inline void write_area(nlohmann::json& body, const AreaCode& area) {
  body["areaCode"] = area.code;
  if (area.match_mode) body["areaMatchMode"] = wire(*area.match_mode);
}

inline void check_area(Validator& validator, const AreaCode& area) {
  validator.digits("areaCode", area.code, 1, 32);
}

inline nlohmann::json pre_voice_json(const PreVoice& voice) {
  nlohmann::json object = nlohmann::json::object();
  write_optional(object, "callerHintTone", voice.caller_hint_tone);
  write_optional(object, "calleeHintTone", voice.callee_hint_tone);
  return object;
}

inline void check_pre_voice(Validator& validator, const std::optional<PreVoice>& voice) {
  if (!voice) return;
  validator.tone("preVoice.callerHintTone", voice->caller_hint_tone)
      .tone("preVoice.calleeHintTone", voice->callee_hint_tone);
}

inline std::optional<PreVoice> read_pre_voice(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_object()) return std::nullopt;
  PreVoice voice;
  voice.caller_hint_tone = read_string(*it, "callerHintTone");
  voice.callee_hint_tone = read_string(*it, "calleeHintTone");
  return voice;
}

/// Copies the envelope into a typed response.
template <typename Response>
Response with_envelope(const ApiResponse& envelope) {
  Response response;
  static_cast<ApiResponse&>(response) = envelope;
  return response;
}

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_INTERNAL_WIRE_HPP
