// Request bodies are written without a DOM; nlohmann's dump() is the reference for how every
// string is escaped and for which strings JSON cannot carry.
#include "client/json_body.hpp"

#include <nlohmann/json.hpp>

#include <climits>
#include <random>
#include <string>

#include "support/catch.hpp"

using privacycall::internal::JsonBody;

namespace {

// nlohmann's text for {"k": value}; nullopt when nlohmann refuses to serialise it.
std::optional<std::string> reference(const std::string& value) {
  try {
    return nlohmann::json{{"k", value}}.dump();
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

void check_against_reference(const std::string& value) {
  JsonBody body;
  body.add("k", value);
  const std::optional<std::string> expected = reference(value);
  INFO("value bytes: " << value.size());
  if (expected) {
    CHECK_FALSE(body.malformed_member());
    CHECK(body.text() == *expected);
  } else {
    CHECK(body.malformed_member() == std::string("k"));
  }
}

}  // namespace

TEST_CASE("JsonBody writes members in order with strings numbers and nested objects") {
  JsonBody voice;
  voice.add("callerHintTone", "a.wav");
  JsonBody body;
  body.add("callerNum", "+8613800000021")
      .add("duration", 3600)
      .add("offset", -5LL)
      .add("max", ULLONG_MAX)
      .add("preVoice", voice)
      .add("empty", JsonBody());
  CHECK(body.text() ==
        R"({"callerNum":"+8613800000021","duration":3600,"offset":-5,"max":18446744073709551615,)"
        R"("preVoice":{"callerHintTone":"a.wav"},"empty":{}})");
  CHECK(nlohmann::json::parse(body.text())["preVoice"]["callerHintTone"] == "a.wav");
  CHECK(JsonBody().text() == "{}");
}

TEST_CASE("JsonBody escapes strings exactly as nlohmann dumps them") {
  for (const std::string& value : {std::string(""), std::string("plain"), std::string("quote \" and \\ back"),
                                  std::string("\b\f\n\r\t"), std::string("\x01\x1f\x7f", 3), std::string("\0x", 2),
                                  std::string("\xE4\xBD\xA0\xE5\xA5\xBD"), std::string("\xF0\x9F\x98\x80 emoji"),
                                  std::string("</script>{\"a\":1}")}) {
    check_against_reference(value);
  }
}

TEST_CASE("JsonBody names the member whose text is not UTF-8 as nlohmann would refuse it") {
  for (const std::string& value : {std::string("\xC4\xE3"), std::string("\xC0\xAF"), std::string("\xED\xA0\x80"),
                                  std::string("\xF4\x90\x80\x80"), std::string("ok\xE4\xBD"), std::string("\x80")}) {
    check_against_reference(value);
  }
  JsonBody inner;
  inner.add("tone", "\xFF");
  JsonBody outer;
  outer.add("good", "x").add("preVoice", inner).add("bad", "\xFE");
  CHECK(outer.malformed_member() == std::string("preVoice.tone"));
}

TEST_CASE("JsonBody agrees with nlohmann on random bytes") {
  std::mt19937 random(20261129);
  std::uniform_int_distribution<int> length(0, 12);
  // Mostly bytes that matter: controls, quotes, backslash and UTF-8 lead and continuation bytes.
  const std::string interesting("\x00\x01\x1f\x20\"\\A\x7f\x80\xBF\xC2\xC3\xDF\xE0\xE4\xED\xEF\xF0\xF4\xF5\xFF", 21);
  std::uniform_int_distribution<std::size_t> pick(0, interesting.size() - 1);
  for (int round = 0; round < 20000; ++round) {
    std::string value;
    for (int i = length(random); i > 0; --i) value += interesting[pick(random)];
    check_against_reference(value);
  }
}
