#include "json_line.hpp"

#include <charconv>

namespace privacycall::cli {

void JsonLine::number(std::string_view name, long long value) {
  key(name);
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out_.append(digits, end);
}

void JsonLine::string(std::string_view value) {
  // As nlohmann's dump() without ensure_ascii: the short escapes it knows, \u00XX (lower
  // case) for the other control characters, every other byte as it is.
  constexpr char kHex[] = "0123456789abcdef";
  out_ += '"';
  std::size_t plain = 0;  // start of the bytes not written yet
  for (std::size_t i = 0; i < value.size(); ++i) {
    const auto byte = static_cast<unsigned char>(value[i]);
    if (byte >= 0x20 && byte != '"' && byte != '\\') continue;
    out_.append(value.data() + plain, i - plain);
    plain = i + 1;
    out_ += '\\';
    switch (byte) {
      case '"': out_ += '"'; break;
      case '\\': out_ += '\\'; break;
      case '\b': out_ += 'b'; break;
      case '\f': out_ += 'f'; break;
      case '\n': out_ += 'n'; break;
      case '\r': out_ += 'r'; break;
      case '\t': out_ += 't'; break;
      default:
        out_ += "u00";
        out_ += kHex[byte >> 4];
        out_ += kHex[byte & 0xF];
    }
  }
  out_.append(value.data() + plain, value.size() - plain);
  out_ += '"';
}

}  // namespace privacycall::cli
