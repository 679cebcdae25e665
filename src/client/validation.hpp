#ifndef PRIVACYCALL_SRC_CLIENT_VALIDATION_HPP
#define PRIVACYCALL_SRC_CLIENT_VALIDATION_HPP

// Checks request fields against the documented limits before anything is sent, collecting the
// first violation as a validation Error that names the wire field.

#include <privacycall/error.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/text.hpp"

namespace privacycall::internal {

class Validator {
 public:
  /// The first violation found, if any.
  const std::optional<Error>& error() const { return error_; }

  template <typename Rep, typename Period>
  Validator& range(const char* field, const std::optional<std::chrono::duration<Rep, Period>>& value,
                   long long min, long long max, const char* unit) {
    if (value) range(field, static_cast<long long>(value->count()), min, max, unit);
    return *this;
  }
  Validator& range(const char* field, const std::optional<int>& value, long long min, long long max,
                   const char* unit = "") {
    if (value) range(field, static_cast<long long>(*value), min, max, unit);
    return *this;
  }
  Validator& range(const char* field, long long value, long long min, long long max,
                   const char* unit = "") {
    if (value < min || value > max) {
      fail(std::string(field) + " must be between " + std::to_string(min) + " and " +
           std::to_string(max) + (*unit ? std::string(" ") + unit : std::string()) + ", got " +
           std::to_string(value));
    }
    return *this;
  }

  /// Audio file names approved on the console: 1-128 of letters, digits and - _ . @
  Validator& tone(const char* field, const std::optional<std::string>& name) {
    return audio_file(field, name, 1);
  }

  /// A tone the spec types String(0-128) (lastMinVoice, the preVoice hint tones): the same
  /// names, or empty, which sends "" to clear the tone.
  Validator& optional_tone(const char* field, const std::optional<std::string>& name) {
    return audio_file(field, name, 0);
  }

  /// An approved audio file name of `min_length` to 128 letters, digits and - _ . @
  Validator& audio_file(const char* field, const std::optional<std::string>& name, std::size_t min_length) {
    if (!name) return *this;
    bool ok = name->size() >= min_length && name->size() <= 128;
    for (char c : *name) {
      ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.' || c == '@');
    }
    if (!ok) {
      fail(std::string(field) + " must be an approved audio file name: " + std::to_string(min_length) +
           "-128 letters, digits, - _ . @");
    }
    return *this;
  }

  /// Free text echoed back by the platform: 1-256 characters of UTF-8; braces are refused by
  /// several endpoints, so they are refused everywhere.
  Validator& user_data(const char* field, const std::optional<std::string>& value) {
    if (!value) return *this;
    text(field, *value, 1, 256);
    if (value->find_first_of("{}") != std::string::npos) fail(std::string(field) + " must not contain { or }");
    return *this;
  }

  /// Text sent in a JSON body or a query: UTF-8 (JSON can carry nothing else, GBK bytes say),
  /// `min`-`max` characters as the spec's String(min-max) counts them, code points, not bytes.
  Validator& text(const char* field, std::string_view value, std::size_t min, std::size_t max) {
    const std::optional<std::size_t> characters = utf8_length(value);
    if (!characters) {
      fail(std::string(field) + " must be UTF-8 text");
    } else if (*characters < min || *characters > max) {
      fail(std::string(field) + " must be " + std::to_string(min) + "-" + std::to_string(max) + " characters");
    }
    return *this;
  }

  Validator& digits(const char* field, std::string_view value, std::size_t min, std::size_t max) {
    bool ok = value.size() >= min && value.size() <= max;
    for (char c : value) ok = ok && c >= '0' && c <= '9';
    if (!ok) fail(std::string(field) + " must be " + std::to_string(min) + "-" + std::to_string(max) + " digits");
    return *this;
  }

  Validator& require(bool condition, const std::string& message) {
    if (!condition) fail(message);
    return *this;
  }

 private:
  void fail(std::string message) {
    if (error_) return;
    Error error;
    error.category = ErrorCategory::kValidation;
    error.message = std::move(message);
    error_ = std::move(error);
  }
  std::optional<Error> error_;
};

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_SRC_CLIENT_VALIDATION_HPP
