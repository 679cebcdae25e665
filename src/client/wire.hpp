#ifndef PRIVACYCALL_SRC_CLIENT_WIRE_HPP
#define PRIVACYCALL_SRC_CLIENT_WIRE_HPP

// Wire forms of the vocabulary in common.hpp, shared by every mode's encoder and decoder.

#include <privacycall/common.hpp>
#include <privacycall/phone_number.hpp>
#include <privacycall/wire_number.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "client/json_body.hpp"
#include "client/json_fields.hpp"
#include "client/validation.hpp"

namespace privacycall::internal {

inline const char* wire(AreaMatchMode mode) { return mode == AreaMatchMode::kLoose ? "1" : "0"; }

inline int wire(CallDirection direction) { return Coded<CallDirection>(direction).raw(); }

/// Sent as text, as the API documents it.
inline std::string wire(DisplayNumber display) { return std::to_string(Coded<DisplayNumber>(display).raw()); }

/// Refuses Enum::kUnknown: it stands for an answer's code this SDK does not know and has no
/// wire form of its own.
template <typename Enum>
void check_code(Validator& validator, const char* field, const std::optional<Enum>& value) {
  validator.require(!value || *value != Enum::kUnknown,
                    std::string(field) + ": kUnknown only describes an answer's code and cannot be sent");
}

/// A coded field; nullopt when absent (or, for integer codes, not an integer).
template <typename Enum>
std::optional<Coded<Enum>> read_code(const AnswerJson& object, std::string_view key) {
  using Raw = typename Coded<Enum>::Raw;
  std::optional<Raw> raw;
  if constexpr (std::is_same_v<Raw, int>) {
    raw = read_small_int(object, key);
  } else {
    raw = read_string(object, key);
  }
  if (!raw) return std::nullopt;
  return Coded<Enum>::from_raw(std::move(*raw));
}

/// A number field, empty when absent: for numbers every success carries.
inline WireNumber read_number(const AnswerJson& object, std::string_view key) {
  return WireNumber(read_string(object, key).value_or(""));
}

/// A number field that may be absent.
inline std::optional<WireNumber> read_optional_number(const AnswerJson& object, std::string_view key) {
  auto text = read_string(object, key);
  if (!text) return std::nullopt;
  return WireNumber(std::move(*text));
}

/// Writes a phone number field when present.
inline void write_number(JsonBody& body, const char* key, const std::optional<PhoneNumber>& number) {
  if (number) body.add(key, number->str());
}

inline void check_subscription_id(Validator& validator, const SubscriptionId& id) {
  validator.text("subscriptionId", id.value, 1, 64);
}

/// A string field, or "" when absent: for fields that are always present on success.
inline std::string read_text(const AnswerJson& object, std::string_view key) {
  return read_string(object, key).value_or("");
}

/// The first of several spellings the docs use for one string field.
inline std::optional<std::string> read_string_any(const AnswerJson& object,
                                                  std::initializer_list<std::string_view> keys) {
  for (const std::string_view key : keys) {
    if (auto value = read_string(object, key)) return value;
  }
  return std::nullopt;
}

/// Decodes every object among the elements of `array` (which must be an array); other
/// elements are skipped.
template <typename Item, typename Decode>
std::vector<Item> read_elements(const AnswerJson& array, Decode decode) {
  std::vector<Item> items;
  items.reserve(array.size());
  for (const AnswerJson& item : array) {
    if (item.is_object()) items.push_back(decode(item));
  }
  return items;
}

/// Decodes every object in the array `key` (absent or not an array: none).
template <typename Item, typename Decode>
std::vector<Item> read_objects(const AnswerJson& object, std::string_view key, Decode decode) {
  const AnswerJson* array = find_member(object, key);
  if (!array || !array->is_array()) return {};
  return read_elements<Item>(*array, decode);
}

/// Writes areaCode and areaMatchMode.
inline void write_area(JsonBody& body, const AreaCode& area) {
  body.add("areaCode", area.code);
  if (area.match_mode) body.add("areaMatchMode", wire(*area.match_mode));
}

inline void check_area(Validator& validator, const AreaCode& area) {
  validator.digits("areaCode", area.code, 1, 32);
}

inline JsonBody pre_voice_json(const PreVoice& voice) {
  JsonBody object;
  write_optional(object, "callerHintTone", voice.caller_hint_tone);
  write_optional(object, "calleeHintTone", voice.callee_hint_tone);
  return object;
}

inline void check_pre_voice(Validator& validator, const std::optional<PreVoice>& voice) {
  if (!voice) return;
  validator.optional_tone("preVoice.callerHintTone", voice->caller_hint_tone)
      .optional_tone("preVoice.calleeHintTone", voice->callee_hint_tone);
}

inline std::optional<PreVoice> read_pre_voice(const AnswerJson& object, std::string_view key) {
  const AnswerJson* voice_object = find_member(object, key);
  if (!voice_object || !voice_object->is_object()) return std::nullopt;
  PreVoice voice;
  voice.caller_hint_tone = read_string(*voice_object, "callerHintTone");
  voice.callee_hint_tone = read_string(*voice_object, "calleeHintTone");
  return voice;
}

// The call settings AXB and AX share, with the same wire names and limits: recordFlag,
// recordHintTone, maxDuration, lastMinVoice, privateSms, preVoice and userData. `Settings` is
// AxbSettings or AxSettings; `Binding` is AxbBinding or AxBinding.

template <typename Settings>
void check_call_settings(Validator& v, const Settings& s) {
  v.range("maxDuration", s.max_duration, 0, kMaxCallDuration.count(), "minutes")
      .tone("recordHintTone", s.record_hint_tone)
      .optional_tone("lastMinVoice", s.last_min_voice)
      .user_data("userData", s.user_data);
  check_pre_voice(v, s.pre_voice);
}

template <typename Settings>
void write_call_settings(JsonBody& body, const Settings& s) {
  write_flag(body, "recordFlag", s.record_flag);
  write_optional(body, "recordHintTone", s.record_hint_tone);
  write_optional(body, "maxDuration", s.max_duration);
  write_optional(body, "lastMinVoice", s.last_min_voice);
  write_flag(body, "privateSms", s.private_sms);
  if (s.pre_voice) body.add("preVoice", pre_voice_json(*s.pre_voice));
  write_optional(body, "userData", s.user_data);
}

template <typename Binding>
void read_call_settings(const AnswerJson& item, Binding& b) {
  b.record_flag = read_flag(item, "recordFlag");
  b.record_hint_tone = read_string(item, "recordHintTone");
  b.max_duration = read_duration<std::chrono::minutes>(item, "maxDuration");
  b.last_min_voice = read_string(item, "lastMinVoice");
  b.private_sms = read_flag(item, "privateSms");
  b.pre_voice = read_pre_voice(item, "preVoice");
  b.user_data = read_string(item, "userData");
}

/// The error for a success answer that lacks a field every success carries.
inline Error missing_in_success(const ApiResponse& envelope, const char* what) {
  Error error;
  error.category = ErrorCategory::kDecode;
  error.http_status = 200;
  error.result_code = envelope.result_code;
  error.message = std::string("the platform answered success without ") + what;
  return error;
}

/// Moves the envelope into a typed response.
template <typename Response>
Response with_envelope(ApiResponse envelope) {
  Response response;
  static_cast<ApiResponse&>(response) = std::move(envelope);
  return response;
}

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_SRC_CLIENT_WIRE_HPP
