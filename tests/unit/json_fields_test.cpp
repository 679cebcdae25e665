// The client's tolerant readers of answer fields: the docs disagree on whether some fields are
// strings or numbers, and an odd value must read as absent rather than as a wrong value.
#include "client/wire.hpp"

#include <chrono>
#include <string>

#include "support/catch.hpp"

namespace {

using privacycall::internal::AnswerJson;

// An answer parsed as the client parses one.
struct Parsed {
  explicit Parsed(const std::string& text) {
    REQUIRE_FALSE(privacycall::internal::parse_json(text, 16, "answer", document).has_value());
  }
  const AnswerJson& root() const { return document; }
  AnswerJson document;
};

std::optional<std::string> string_of(const std::string& value) {
  return privacycall::internal::read_string(Parsed(R"({"v":)" + value + "}").root(), "v");
}
std::optional<long long> int_of(const std::string& value) {
  return privacycall::internal::read_int(Parsed(R"({"v":)" + value + "}").root(), "v");
}
std::optional<bool> flag_of(const std::string& value) {
  return privacycall::internal::read_flag(Parsed(R"({"v":)" + value + "}").root(), "v");
}

}  // namespace

TEST_CASE("read_string takes strings and renders numbers and booleans as text") {
  CHECK(string_of(R"("abc")") == "abc");
  CHECK(string_of(R"("a\u00e9")") == "a\xc3\xa9");
  CHECK(string_of("42") == "42");
  CHECK(string_of("-7") == "-7");
  CHECK(string_of("18446744073709551615") == "18446744073709551615");
  CHECK(string_of("5.0") == "5");
  CHECK(string_of("2.5") == "2.5");
  CHECK(string_of("true") == "true");
  CHECK(string_of("null") == std::nullopt);
  CHECK(string_of("[1]") == std::nullopt);
  CHECK(string_of(R"({"a":1})") == std::nullopt);
  CHECK(privacycall::internal::read_string(Parsed("{}").root(), "v") == std::nullopt);
  // A repeated key reads as its last value, as nlohmann read it.
  CHECK(privacycall::internal::read_string(Parsed(R"({"v":"first","v":"last"})").root(), "v") == "last");
}

TEST_CASE("read_int takes integers and strings of digits and refuses what is no usable integer") {
  CHECK(int_of("120") == 120);
  CHECK(int_of("-3") == -3);
  CHECK(int_of(R"("120")") == 120);
  CHECK(int_of(R"("-3")") == -3);
  CHECK(int_of(R"("999999999999999999")") == 999999999999999999LL);
  CHECK(int_of("9223372036854775807") == 9223372036854775807LL);
  CHECK(int_of("7.9") == 7);
  CHECK(int_of("9223372036854775808") == std::nullopt);
  CHECK(int_of("1e300") == std::nullopt);
  CHECK(int_of(R"("1000000000000000000")") == std::nullopt);  // 19 digits
  CHECK(int_of(R"("")") == std::nullopt);
  CHECK(int_of(R"("-")") == std::nullopt);
  CHECK(int_of(R"(" 12")") == std::nullopt);
  CHECK(int_of(R"("+12")") == std::nullopt);
  CHECK(int_of(R"("12a")") == std::nullopt);
  CHECK(int_of("true") == std::nullopt);
  CHECK(int_of("null") == std::nullopt);
  CHECK(int_of("[1]") == std::nullopt);
}

TEST_CASE("read_small_int and read_duration keep to their range and unit") {
  const Parsed answer(R"({"small":2147483647,"big":2147483648,"minutes":"30"})");
  CHECK(privacycall::internal::read_small_int(answer.root(), "small") == 2147483647);
  CHECK(privacycall::internal::read_small_int(answer.root(), "big") == std::nullopt);
  CHECK(privacycall::internal::read_duration<std::chrono::minutes>(answer.root(), "minutes") ==
        std::chrono::minutes(30));
  CHECK(privacycall::internal::read_duration<std::chrono::minutes>(answer.root(), "absent") == std::nullopt);
}

TEST_CASE("read_flag takes every spelling the docs and demos use") {
  CHECK(flag_of("true") == true);
  CHECK(flag_of("false") == false);
  CHECK(flag_of(R"("true")") == true);
  CHECK(flag_of(R"("false")") == false);
  CHECK(flag_of(R"("1")") == true);
  CHECK(flag_of(R"("0")") == false);
  CHECK(flag_of("1") == true);
  CHECK(flag_of("0") == false);
  CHECK(flag_of("2") == true);
  CHECK(flag_of("0.5") == std::nullopt);
  CHECK(flag_of(R"("yes")") == std::nullopt);
  CHECK(flag_of("null") == std::nullopt);
  CHECK(flag_of("{}") == std::nullopt);
}

TEST_CASE("read_objects decodes the objects of an array and skips anything else") {
  const Parsed answer(R"({"list":[{"id":"a"},7,"x",null,{"id":2}],"notalist":{"id":"b"}})");
  const auto id_of = [](const AnswerJson& item) { return privacycall::internal::read_text(item, "id"); };
  CHECK(privacycall::internal::read_objects<std::string>(answer.root(), "list", id_of) ==
        std::vector<std::string>{"a", "2"});
  CHECK(privacycall::internal::read_objects<std::string>(answer.root(), "notalist", id_of).empty());
  CHECK(privacycall::internal::read_objects<std::string>(answer.root(), "absent", id_of).empty());
}

TEST_CASE("read_string_any takes the first spelling present and read_pre_voice wants an object") {
  const Parsed answer(R"({"nextCursor":"2","preVoice":{"callerHintTone":"a.wav"},"badVoice":"a.wav"})");
  CHECK(privacycall::internal::read_string_any(answer.root(), {"nextCusor", "nextCursor"}) == "2");
  CHECK(privacycall::internal::read_string_any(answer.root(), {"x", "y"}) == std::nullopt);
  const auto voice = privacycall::internal::read_pre_voice(answer.root(), "preVoice");
  REQUIRE(voice);
  CHECK(voice->caller_hint_tone == "a.wav");
  CHECK(voice->callee_hint_tone == std::nullopt);
  CHECK(privacycall::internal::read_pre_voice(answer.root(), "badVoice") == std::nullopt);
}
