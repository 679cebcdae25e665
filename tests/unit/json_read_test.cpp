// The lenient readers shared by the webhook and the client (common/json_read.hpp) and the
// depth-limited parse they read from. nlohmann is the JSON parser; these cases pin what the
// SDK adds on top: which texts reach the readers, the depth limit, and how values read.
#include "common/json_read.hpp"

#include <nlohmann/json.hpp>

#include <string>

#include "support/catch.hpp"

using privacycall::internal::as_int;
using privacycall::internal::as_text;
using privacycall::internal::find_member;
using privacycall::internal::Json;
using privacycall::internal::parse_json;
using privacycall::internal::ShapeError;

namespace {

constexpr std::size_t kDepth = 32;

// Parses `text` as the SDK does; nullopt when refused.
std::optional<Json> parsed(const std::string& text, std::size_t depth = kDepth) {
  Json out;
  if (parse_json(text, depth, "body", out)) return std::nullopt;
  return out;
}

bool accepts(const std::string& text) {
  INFO("text: " << text);
  return parsed(text).has_value();
}

// The text of the single member "v" of the object `text`, as get_text reads it.
std::optional<std::string> text_of(const std::string& value) {
  const auto root = parsed("{\"v\":" + value + "}");
  REQUIRE(root);
  return as_text(*find_member(*root, "v"), "v");
}

std::optional<int> int_of(const std::string& value) {
  const auto root = parsed("{\"v\":" + value + "}");
  REQUIRE(root);
  return as_int(*find_member(*root, "v"), "v");
}

}  // namespace

TEST_CASE("parse_json accepts RFC 8259 JSON") {
  for (const char* text :
       {"{}", "[]", " \t\r\n{ \"a\" : [ 1 , -2 , 3.5 , -0 , 0.0 , 1e5 , 1E-5 , 2e+3 ] } \n", "true",
        "false", "null", "0", "-0", "\"\"", "\"plain\"", "[[],{},[{}]]",
        "{\"a\":{\"b\":{\"c\":null}}}", "18446744073709551615", "18446744073709551616",
        "-9223372036854775808", "-9223372036854775809", "1e-400", "123456789012345678901234567890"}) {
    CHECK(accepts(text));
  }
}

TEST_CASE("parse_json refuses what is not JSON") {
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

TEST_CASE("escapes and surrogate pairs decode") {
  for (const char* text :
       {R"("\"\\\/\b\f\n\r\t")", R"("\u0041\u00e9\u20AC")", R"("\ud83d\ude00")", R"("\u0000")",
        R"({"k\u0065y":"v\nw","key2":"plain"})", R"("mixed é and \u00e9")"}) {
    CHECK(accepts(text));
  }
  CHECK(parsed(R"("\u0041\u00e9")") == Json("A\xc3\xa9"));
  for (const char* text : {R"("\ud83d")", R"("\ud83dx")", R"("\ud83d\u0041")", R"("\ude00")",
                           R"("\ud83d\ud83d")", R"("\ud83d\n")", R"("\U0041")"}) {
    CHECK_FALSE(accepts(text));
  }
}

TEST_CASE("invalid UTF-8 is refused, a leading BOM skipped") {
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
  CHECK(parsed("[[[]]]", 3));
  CHECK_FALSE(parsed("[[[[]]]]", 3));
  CHECK_FALSE(parsed("{\"a\":{\"b\":{\"c\":{}}}}", 3));
}

TEST_CASE("brackets inside strings do not count towards the depth limit") {
  CHECK(parsed(R"(["[[[[{{{{"])", 1));
  CHECK(parsed(R"({"a\"[[[[":"\\"})", 1));
  CHECK(parsed(R"([["]]]]", "[[[["]])", 2));
  CHECK_FALSE(parsed(R"([["]]]]", [[]]])", 2));
}

TEST_CASE("duplicate keys: the last one wins, once") {
  const std::string text = R"({"a":1,"b":[2],"a":{"x":1},"c":3,"a":"last","b":null})";
  const auto root = parsed(text);
  REQUIRE(root);
  CHECK(root->size() == 3);
  CHECK(*find_member(*root, "a") == "last");
  CHECK(find_member(*root, "b")->is_null());
  CHECK(*find_member(*parsed(R"({"\u0061":1,"a":2})"), "a") == 2);
  // The client's ordered parse keeps the last value too.
  nlohmann::ordered_json ordered;
  REQUIRE_FALSE(parse_json(text, kDepth, "answer", ordered));
  CHECK(ordered.size() == 3);
  CHECK(*find_member(ordered, "a") == "last");
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

TEST_CASE("duplicate keys in a large object: the last wins") {
  std::string text = "{";
  for (int i = 0; i < 300; ++i) text += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  text += R"("k5":"early","k150":"late","k\u0031":"escaped","k\u0032\u0030\u0030":"esc-200","k150":"again"})";
  const auto root = parsed(text);
  REQUIRE(root);
  CHECK(root->size() == 300);
  CHECK(*find_member(*root, "k5") == "early");
  CHECK(*find_member(*root, "k150") == "again");
  CHECK(*find_member(*root, "k1") == "escaped");
  CHECK(*find_member(*root, "k200") == "esc-200");
}

TEST_CASE("parse_json tells nesting beyond its limit from other errors") {
  Json out;
  const auto deep = parse_json(std::string(100000, '['), kDepth, "body", out);
  REQUIRE(deep);
  CHECK(deep->message.find("nests deeper than 32 levels") != std::string::npos);
  const auto syntax = parse_json("[1,]", kDepth, "body", out);
  REQUIRE(syntax);
  CHECK(syntax->message.find("not valid JSON") != std::string::npos);
  CHECK(parsed(std::string(kDepth, '[') + std::string(kDepth, ']')));
  const auto one_more = parse_json(std::string(kDepth + 1, '[') + std::string(kDepth + 1, ']'), kDepth, "body", out);
  REQUIRE(one_more);
  CHECK(one_more->message.find("nests deeper") != std::string::npos);
}
