// The push-body JSON reader must accept exactly what nlohmann::json::parse accepts and read
// values as nlohmann would; nlohmann is the reference for every case here.
#include "common/json_internal.hpp"
#include "common/json_reader.hpp"

#include <nlohmann/json.hpp>

#include <string>

#include "support/catch.hpp"

using privacycall::webhook::internal::as_int;
using privacycall::webhook::internal::as_text;
using privacycall::webhook::internal::JsonDocument;
using privacycall::webhook::internal::JsonKind;
using privacycall::webhook::internal::JsonValue;
using privacycall::webhook::internal::ShapeError;
using privacycall::webhook::internal::to_nlohmann;

namespace {

constexpr std::size_t kDepth = 32;

bool nlohmann_accepts(const std::string& text) {
  try {
    const nlohmann::json parsed = nlohmann::json::parse(text.begin(), text.end());
    return !parsed.is_discarded();
  } catch (const std::exception&) {
    return false;
  }
}

// Parses `text`, checks the verdict against nlohmann's and, when both accept, the value.
bool accepts(const std::string& text) {
  JsonDocument document;
  const bool accepted = !document.parse(text, kDepth).has_value();
  INFO("text: " << text);
  CHECK(accepted == nlohmann_accepts(text));
  if (accepted && nlohmann_accepts(text)) {
    CHECK(to_nlohmann(document.root()) == nlohmann::json::parse(text));
  }
  return accepted;
}

// The text of the single member "v" of the object `text`, as get_text reads it.
std::optional<std::string> text_of(const std::string& value) {
  JsonDocument document;
  const std::string text = "{\"v\":" + value + "}";
  REQUIRE_FALSE(document.parse(text, kDepth).has_value());
  return as_text(*document.root().find("v"), "v");
}

std::optional<int> int_of(const std::string& value) {
  JsonDocument document;
  const std::string text = "{\"v\":" + value + "}";
  REQUIRE_FALSE(document.parse(text, kDepth).has_value());
  return as_int(*document.root().find("v"), "v");
}

}  // namespace

TEST_CASE("the reader accepts RFC 8259 JSON") {
  for (const char* text :
       {"{}", "[]", " \t\r\n{ \"a\" : [ 1 , -2 , 3.5 , -0 , 0.0 , 1e5 , 1E-5 , 2e+3 ] } \n", "true",
        "false", "null", "0", "-0", "\"\"", "\"plain\"", "[[],{},[{}]]",
        "{\"a\":{\"b\":{\"c\":null}}}", "18446744073709551615", "18446744073709551616",
        "-9223372036854775808", "-9223372036854775809", "1e-400", "123456789012345678901234567890"}) {
    CHECK(accepts(text));
  }
}

TEST_CASE("the reader refuses what nlohmann refuses") {
  for (const char* text :
       {"", " ", "{", "}", "[1,]", "{\"a\":1,}", "[1 2]", "{\"a\" 1}", "{a:1}", "{'a':1}",
        "// c\n{}", "/* c */{}", "{} {}", "{}x", "01", "-01", "+1", ".5", "1.", "1.e5", "1e",
        "1e+", "-", "--1", "0x10", "NaN", "Infinity", "1e400", "-1e400", "tru", "nul", "True",
        "[\"\x01\"]", "[\"a\tb\"]", "\"unterminated", "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"",
        "\x0b{}", "\xc2\xa0{}"}) {
    CHECK_FALSE(accepts(text));
  }
  CHECK_FALSE(accepts(std::string("[\"a\0b\"]", 7)));
  CHECK_FALSE(accepts(std::string("[\0]", 3)));
  CHECK_FALSE(accepts(std::string("\0{}", 3)));
}

TEST_CASE("a NUL byte after the value ends the input, as in nlohmann's lexer") {
  CHECK(accepts(std::string("{\"a\":1}\0", 8)));
  CHECK(accepts(std::string("{} \0 not json", 14)));
  CHECK(accepts(std::string("12\0x", 4)));
}

TEST_CASE("escapes and surrogate pairs decode as nlohmann decodes them") {
  for (const char* text :
       {R"("\"\\\/\b\f\n\r\t")", R"("\u0041\u00e9\u20AC")", R"("\ud83d\ude00")", R"("\u0000")",
        R"({"k\u0065y":"v\nw","key2":"plain"})", R"("mixed é and \u00e9")"}) {
    CHECK(accepts(text));
  }
  for (const char* text : {R"("\ud83d")", R"("\ud83dx")", R"("\ud83d\u0041")", R"("\ude00")",
                           R"("\ud83d\ud83d")", R"("\ud83d\n")", R"("\U0041")"}) {
    CHECK_FALSE(accepts(text));
  }
}

TEST_CASE("invalid UTF-8 is refused like nlohmann refuses it") {
  for (const char* text : {"\"\xc3\xa9\"", "\"\xe2\x82\xac\"", "\"\xf0\x9f\x98\x80\"",
                           "\"\xf4\x8f\xbf\xbf\"", "\xEF\xBB\xBF{}"}) {
    CHECK(accepts(text));
  }
  for (const char* text :
       {"\"\x80\"", "\"\xc0\xaf\"", "\"\xc1\xbf\"", "\"\xc3\"", "\"\xe0\x80\xaf\"",
        "\"\xed\xa0\x80\"", "\"\xf0\x80\x80\x80\"", "\"\xf4\x90\x80\x80\"", "\"\xf5\x80\x80\x80\"",
        "\"\xff\"", "\"\xe2\x82\"", "\xEF\xBB{}", " \xEF\xBB\xBF{}"}) {
    CHECK_FALSE(accepts(text));
  }
}

TEST_CASE("nesting deeper than the limit is refused") {
  JsonDocument document;
  CHECK_FALSE(document.parse("[[[]]]", 3).has_value());
  CHECK(document.parse("[[[[]]]]", 3).has_value());
  CHECK(document.parse("{\"a\":{\"b\":{\"c\":{}}}}", 3).has_value());
}

TEST_CASE("duplicate keys: the last one wins, once") {
  JsonDocument document;
  const std::string text = R"({"a":1,"b":[2],"a":{"x":1},"c":3,"a":"last","b":null})";
  REQUIRE_FALSE(document.parse(text, kDepth).has_value());
  const JsonValue root = document.root();
  CHECK(root.size() == 3);
  CHECK(root.find("a")->text() == "last");
  CHECK(root.find("b")->is_null());
  int members = 0;
  for (const auto member : root.members()) {
    ++members;
    CHECK((member.key != "a" || member.value.kind() == JsonKind::kString));
  }
  CHECK(members == 3);
  CHECK(accepts(text));
  CHECK(accepts(R"({"\u0061":1,"a":2})"));
}

TEST_CASE("numbers read as text the way nlohmann dumps them") {
  CHECK(text_of("0") == "0");
  CHECK(text_of("-0") == "0");
  CHECK(text_of("42") == "42");
  CHECK(text_of("-42") == "-42");
  CHECK(text_of("18446744073709551615") == "18446744073709551615");
  CHECK(text_of("-9223372036854775808") == "-9223372036854775808");
  CHECK(text_of("5.0") == "5");
  CHECK(text_of("1E2") == "100");
  CHECK(text_of("-0.0") == "0");
  CHECK(text_of("1.5") == "1.5");
  CHECK(text_of("1e15") == nlohmann::json(1e15).dump());
  CHECK(text_of("18446744073709551616") == nlohmann::json(18446744073709551616.0).dump());
  CHECK(text_of("true") == "true");
  CHECK(text_of("null") == std::nullopt);
  CHECK(text_of("\"a\\\"b\"") == "a\"b");
  CHECK_THROWS_AS(text_of("[]"), ShapeError);
  CHECK_THROWS_AS(text_of("{}"), ShapeError);
}

TEST_CASE("numbers and strings read as ints") {
  CHECK(int_of("7") == 7);
  CHECK(int_of("-7") == -7);
  CHECK(int_of("7.0") == 7);
  CHECK(int_of("7.5") == std::nullopt);
  CHECK(int_of("2147483648") == std::nullopt);
  CHECK(int_of("-2147483649") == std::nullopt);
  CHECK(int_of("\" +12 \"") == 12);
  CHECK(int_of("\"12a\"") == std::nullopt);
  CHECK(int_of("\"\"") == std::nullopt);
  CHECK(int_of("true") == 1);
  CHECK(int_of("null") == std::nullopt);
  CHECK_THROWS_AS(int_of("[1]"), ShapeError);
}

TEST_CASE("duplicate keys in a large object: the last wins, past the scanned keys too") {
  // Beyond the first 64 keys the reader finds duplicates through an index instead of a scan;
  // keys with escapes ("k\u0031" is "k1") live in a buffer that moves while parsing.
  std::string text = "{";
  for (int i = 0; i < 300; ++i) text += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  text += R"("k5":"early","k150":"late","k\u0031":"escaped","k\u0032\u0030\u0030":"esc-200","k150":"again"})";
  CHECK(accepts(text));
  JsonDocument document;
  REQUIRE_FALSE(document.parse(text, kDepth).has_value());
  const JsonValue root = document.root();
  CHECK(root.size() == 300);
  CHECK(root.find("k5")->text() == "early");
  CHECK(root.find("k150")->text() == "again");
  CHECK(root.find("k1")->text() == "escaped");
  CHECK(root.find("k200")->text() == "esc-200");
  std::size_t members = 0;
  for (const auto member : root.members()) {
    (void)member;
    ++members;
  }
  CHECK(members == 300);
}

TEST_CASE("the reader tells nesting beyond its limit from other errors") {
  JsonDocument document;
  CHECK(document.parse(std::string(100000, '['), kDepth).has_value());
  CHECK(document.too_deep());
  CHECK(document.parse("[1,]", kDepth).has_value());
  CHECK_FALSE(document.too_deep());
  CHECK_FALSE(document.parse(std::string(kDepth, '[') + std::string(kDepth, ']'), kDepth).has_value());
  CHECK_FALSE(document.too_deep());
  CHECK(document.parse(std::string(kDepth + 1, '[') + std::string(kDepth + 1, ']'), kDepth).has_value());
  CHECK(document.too_deep());
}
