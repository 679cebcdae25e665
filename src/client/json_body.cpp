#include "client/json_body.hpp"

#include "common/text.hpp"

#include <algorithm>
#include <cassert>

namespace privacycall::internal {

JsonBody& JsonBody::add(std::string_view key, std::string_view value) {
  start_member(key);
  if (!append_string(value) && !malformed_member_) malformed_member_ = std::string(key);
  return *this;
}

JsonBody& JsonBody::add(std::string_view key, const JsonBody& object) {
  start_member(key);
  text_ += object.text_;
  text_ += '}';
  if (object.malformed_member_ && !malformed_member_) {
    malformed_member_ = std::string(key) + "." + *object.malformed_member_;
  }
  return *this;
}

void JsonBody::start_member(std::string_view key) {
#ifndef NDEBUG
  assert(std::find(keys_.begin(), keys_.end(), key) == keys_.end() && "a key is added twice");
  keys_.emplace_back(key);
#endif
  if (text_.size() > 1) text_ += ',';
  // Keys are the API's field names: ASCII, nothing to escape.
  text_ += '"';
  text_ += key;
  text_ += "\":";
}

bool JsonBody::append_string(std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  bool well_formed = true;
  text_ += '"';
  std::size_t i = 0;
  while (i < value.size()) {
    // Copies the run that needs no escaping in one append.
    std::size_t run = i;
    while (run < value.size()) {
      const auto byte = static_cast<unsigned char>(value[run]);
      if (byte < 0x20 || byte == '"' || byte == '\\' || byte >= 0x80) break;
      ++run;
    }
    text_.append(value.data() + i, run - i);
    i = run;
    if (i == value.size()) break;
    const auto byte = static_cast<unsigned char>(value[i]);
    if (byte >= 0x80) {
      const std::size_t size = utf8_sequence_size(value.substr(i));
      if (size == 0) {
        well_formed = false;
        ++i;
        continue;
      }
      text_.append(value.data() + i, size);
      i += size;
      continue;
    }
    text_ += '\\';
    switch (byte) {
      case '"': text_ += '"'; break;
      case '\\': text_ += '\\'; break;
      case '\b': text_ += 'b'; break;
      case '\f': text_ += 'f'; break;
      case '\n': text_ += 'n'; break;
      case '\r': text_ += 'r'; break;
      case '\t': text_ += 't'; break;
      default:
        text_ += "u00";
        text_ += kHex[byte >> 4];
        text_ += kHex[byte & 0xF];
    }
    ++i;
  }
  text_ += '"';
  return well_formed;
}

}  // namespace privacycall::internal
