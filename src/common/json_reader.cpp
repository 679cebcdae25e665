#include "common/json_reader.hpp"

#include "common/text.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <unordered_set>

namespace privacycall::webhook::internal {
namespace {

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The bytes a string may hold with no check beyond their value: printable ASCII except the
// quote and the backslash.
constexpr std::array<bool, 256> kPlainStringByte = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
  return plain;
}();

void append_utf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

}  // namespace

std::uint32_t json_key_hash(std::string_view key) noexcept {
  // FNV-1a: keys are short, and equal keys only need equal hashes.
  std::uint32_t hash = 2166136261u;
  for (const char c : key) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
  return hash;
}

JsonNumber number_value(std::string_view literal) {
  JsonNumber number;
  const char* const begin = literal.data();
  const char* const end = begin + literal.size();
  if (literal.find_first_of(".eE") == std::string_view::npos) {
    // nlohmann: strtoull for a literal without '-', strtoll with; a double when out of range.
    if (!literal.empty() && literal.front() == '-') {
      const auto [stop, ec] = std::from_chars(begin, end, number.signed_value);
      if (ec == std::errc() && stop == end) return number;
    } else {
      const auto [stop, ec] = std::from_chars(begin, end, number.unsigned_value);
      if (ec == std::errc() && stop == end) {
        number.type = JsonNumber::Type::kUnsigned;
        return number;
      }
    }
  }
  number.type = JsonNumber::Type::kFloat;
  // strtod, as nlohmann uses, wants a terminated string.
  char buffer[64];
  if (literal.size() < sizeof buffer) {
    literal.copy(buffer, literal.size());
    buffer[literal.size()] = '\0';
    number.float_value = std::strtod(buffer, nullptr);
  } else {
    number.float_value = std::strtod(std::string(literal).c_str(), nullptr);
  }
  return number;
}

// Recursive descent over the input, appending to the document's tape. Recursion is bounded by
// the depth limit.
class JsonParser {
 public:
  JsonParser(JsonDocument& document, std::size_t max_depth)
      : document_(document), text_(document.input_), max_depth_(max_depth) {}

  std::optional<std::size_t> run() {
    // nlohmann skips a UTF-8 byte order mark at the very start.
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
    if (!value(0)) return pos_;
    skip_space();
    // nlohmann's lexer takes a NUL byte between tokens for the end of the input, so whatever
    // follows one after the value is ignored, not refused.
    if (pos_ != text_.size() && text_[pos_] != '\0') return pos_;
    return std::nullopt;
  }

 private:
  using Node = JsonDocument::Node;

  bool at(char c) const noexcept { return pos_ < text_.size() && text_[pos_] == c; }
  bool at_digit() const noexcept { return pos_ < text_.size() && is_digit(text_[pos_]); }

  void skip_space() noexcept {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }

  std::uint32_t push(JsonKind kind) {
    const auto index = static_cast<std::uint32_t>(document_.nodes_.size());
    // Filled in place: a Node assembled on the stack and copied stalls on store forwarding.
    Node& node = document_.nodes_.emplace_back();
    node.kind = kind;
    node.next = index + 1;
    return index;
  }

  // Consumes `closer` when it comes next and records the finished container's `size`.
  bool close(std::uint32_t container, char closer, std::uint32_t size) {
    skip_space();
    if (!at(closer)) return false;
    ++pos_;
    Node& node = document_.nodes_[container];
    node.length = size;
    node.next = static_cast<std::uint32_t>(document_.nodes_.size());
    return true;
  }

  bool value(std::size_t depth) {
    skip_space();
    if (pos_ >= text_.size()) return false;
    switch (text_[pos_]) {
      case '{': return object(depth + 1);
      case '[': return array(depth + 1);
      case '"': return string();
      case 't': return literal("true", JsonKind::kBoolean, true);
      case 'f': return literal("false", JsonKind::kBoolean, false);
      case 'n': return literal("null", JsonKind::kNull, false);
      default: return number();
    }
  }

  bool literal(std::string_view word, JsonKind kind, bool flag) {
    if (text_.substr(pos_, word.size()) != word) return false;
    document_.nodes_[push(kind)].flag = flag;
    pos_ += word.size();
    return true;
  }

  bool object(std::size_t depth) {
    if (depth > max_depth_) return too_deep();
    const std::uint32_t self = push(JsonKind::kObject);
    ++pos_;
    if (close(self, '}', 0)) return true;
    std::uint32_t size = 0;
    std::uint64_t seen_hash_bits = 0;  // a one-word Bloom filter: most keys need no comparison
    // Past a few dozen keys the filter is saturated and scanning the earlier keys would make a
    // large object quadratic (a 1 MB body of short members took seconds): index them instead.
    KeyIndex keys_seen(0, KeyHash{this}, SameKey{this});
    while (true) {
      skip_space();
      if (!at('"')) return false;
      const auto key = static_cast<std::uint32_t>(document_.nodes_.size());
      if (!string()) return false;
      Node& key_node = document_.nodes_[key];
      key_node.hash = json_key_hash(document_.text_of(key_node));
      const std::uint64_t bit = std::uint64_t{1} << (key_node.hash & 63);
      ++size;
      if (size > kScannedKeys) {
        if (keys_seen.empty()) index_keys(self + 1, key, keys_seen);
        const auto earlier = keys_seen.find(key);
        if (earlier != keys_seen.end()) {
          document_.nodes_[*earlier].flag = true;  // as in nlohmann, the last duplicate wins
          keys_seen.erase(earlier);
          --size;
        }
        keys_seen.insert(key);
      } else if ((seen_hash_bits & bit) != 0 && replace_earlier(self + 1, key)) {
        --size;
      }
      seen_hash_bits |= bit;
      skip_space();
      if (!at(':')) return false;
      ++pos_;
      if (!value(depth)) return false;
      skip_space();
      if (!at(',')) return close(self, '}', size);
      ++pos_;
    }
  }

  // Stops the parse: the text nests deeper than allowed.
  bool too_deep() {
    document_.too_deep_ = true;
    return false;
  }

  // Keys of an object scanned one by one for duplicates; later ones go through an index.
  static constexpr std::uint32_t kScannedKeys = 64;

  // An index of key nodes by their text. It holds node indices, not string_views: the text of
  // a key with escapes lives in a buffer that moves as the parse goes on.
  struct KeyHash {
    const JsonParser* parser;
    std::size_t operator()(std::uint32_t key) const noexcept { return parser->document_.nodes_[key].hash; }
  };
  struct SameKey {
    const JsonParser* parser;
    bool operator()(std::uint32_t a, std::uint32_t b) const noexcept {
      const JsonDocument& d = parser->document_;
      return d.text_of(d.nodes_[a]) == d.text_of(d.nodes_[b]);
    }
  };
  using KeyIndex = std::unordered_set<std::uint32_t, KeyHash, SameKey>;

  // Indexes the keys from `first` up to (not including) `end` that no later duplicate replaced.
  void index_keys(std::uint32_t first, std::uint32_t end, KeyIndex& index) const {
    const std::vector<Node>& nodes = document_.nodes_;
    for (std::uint32_t i = first; i < end; i = nodes[i + 1].next) {
      if (!nodes[i].flag) index.insert(i);
    }
  }

  // Marks the earlier member with the same name as `key` (if any) as replaced: as in
  // nlohmann, the last duplicate wins.
  bool replace_earlier(std::uint32_t first, std::uint32_t key) {
    std::vector<Node>& nodes = document_.nodes_;
    const std::string_view name = document_.text_of(nodes[key]);
    for (std::uint32_t i = first; i < key; i = nodes[i + 1].next) {
      if (!nodes[i].flag && nodes[i].hash == nodes[key].hash && document_.text_of(nodes[i]) == name) {
        nodes[i].flag = true;
        return true;
      }
    }
    return false;
  }

  bool array(std::size_t depth) {
    if (depth > max_depth_) return too_deep();
    const std::uint32_t self = push(JsonKind::kArray);
    ++pos_;
    if (close(self, ']', 0)) return true;
    std::uint32_t size = 0;
    while (true) {
      if (!value(depth)) return false;
      ++size;
      skip_space();
      if (!at(',')) return close(self, ']', size);
      ++pos_;
    }
  }

  bool number() {
    const std::size_t start = pos_;
    if (at('-')) ++pos_;
    if (at('0')) {
      ++pos_;
    } else if (at_digit()) {
      while (at_digit()) ++pos_;
    } else {
      return false;
    }
    bool integer = true;
    if (at('.')) {
      ++pos_;
      if (!at_digit()) return false;
      while (at_digit()) ++pos_;
      integer = false;
    }
    if (at('e') || at('E')) {
      ++pos_;
      if (at('+') || at('-')) ++pos_;
      if (!at_digit()) return false;
      while (at_digit()) ++pos_;
      integer = false;
    }
    const std::string_view literal = text_.substr(start, pos_ - start);
    // nlohmann refuses a number that overflows a double; 20 digits fit 64 bits or nearly.
    if (!integer || literal.size() > 20) {
      const JsonNumber number = number_value(literal);
      if (number.type == JsonNumber::Type::kFloat && !std::isfinite(number.float_value)) {
        pos_ = start;
        return false;
      }
    }
    Node& node = document_.nodes_[push(JsonKind::kNumber)];
    node.offset = static_cast<std::uint32_t>(start);
    node.length = static_cast<std::uint32_t>(literal.size());
    return true;
  }

  bool string() {
    const std::uint32_t self = push(JsonKind::kString);
    ++pos_;
    const std::size_t start = pos_;
    skip_plain_ascii();
    // Most strings have no escapes and are kept as a view of the input.
    while (pos_ < text_.size()) {
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        Node& node = document_.nodes_[self];
        node.offset = static_cast<std::uint32_t>(start);
        node.length = static_cast<std::uint32_t>(pos_ - start);
        ++pos_;
        return true;
      }
      if (c == '\\') break;
      if (c < 0x20) return false;
      if (c >= 0x80) {
        if (!utf8_sequence()) return false;
      } else {
        ++pos_;
      }
    }
    if (pos_ >= text_.size()) return false;
    std::string& decoded = document_.decoded_;
    const std::size_t decoded_start = decoded.size();
    decoded.append(text_, start, pos_ - start);
    while (pos_ < text_.size()) {
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        Node& node = document_.nodes_[self];
        node.decoded = true;
        node.offset = static_cast<std::uint32_t>(decoded_start);
        node.length = static_cast<std::uint32_t>(decoded.size() - decoded_start);
        ++pos_;
        return true;
      }
      if (c == '\\') {
        if (!escape(decoded)) return false;
        continue;
      }
      if (c < 0x20) return false;
      const std::size_t from = pos_;
      if (c >= 0x80) {
        if (!utf8_sequence()) return false;
      } else {
        ++pos_;
      }
      decoded.append(text_, from, pos_ - from);
    }
    return false;
  }

  // Skips string characters that need no check beyond their value. Local pointers, because a
  // char load may alias pos_, which would otherwise be written back on every byte.
  void skip_plain_ascii() noexcept {
    const char* p = text_.data() + pos_;
    const char* const end = text_.data() + text_.size();
    while (p != end && kPlainStringByte[static_cast<unsigned char>(*p)]) ++p;
    pos_ = static_cast<std::size_t>(p - text_.data());
  }

  // One well-formed UTF-8 sequence of two to four bytes, as nlohmann's lexer checks it.
  bool utf8_sequence() noexcept {
    const std::size_t size = privacycall::internal::utf8_sequence_size(text_.substr(pos_));
    pos_ += size;
    return size != 0;
  }

  // Four hex digits after \u; -1 when they are not.
  int hex4() noexcept {
    if (text_.size() - pos_ < 4) return -1;
    int value = 0;
    for (int i = 0; i < 4; ++i) {
      const int digit = hex_value(text_[pos_ + i]);
      if (digit < 0) return -1;
      value = value * 16 + digit;
    }
    pos_ += 4;
    return value;
  }

  bool escape(std::string& out) {
    ++pos_;  // the backslash
    if (pos_ >= text_.size()) return false;
    const char c = text_[pos_++];
    switch (c) {
      case '"': out += '"'; return true;
      case '\\': out += '\\'; return true;
      case '/': out += '/'; return true;
      case 'b': out += '\b'; return true;
      case 'f': out += '\f'; return true;
      case 'n': out += '\n'; return true;
      case 'r': out += '\r'; return true;
      case 't': out += '\t'; return true;
      case 'u': break;
      default: return false;
    }
    int code_point = hex4();
    if (code_point < 0) return false;
    if (code_point >= 0xD800 && code_point <= 0xDBFF) {
      // A high surrogate must be followed by an escaped low surrogate.
      if (!at('\\') || pos_ + 1 >= text_.size() || text_[pos_ + 1] != 'u') return false;
      pos_ += 2;
      const int low = hex4();
      if (low < 0xDC00 || low > 0xDFFF) return false;
      code_point = 0x10000 + ((code_point - 0xD800) << 10) + (low - 0xDC00);
    } else if (code_point >= 0xDC00 && code_point <= 0xDFFF) {
      return false;
    }
    append_utf8(out, static_cast<std::uint32_t>(code_point));
    return true;
  }

  JsonDocument& document_;
  std::string_view text_;
  std::size_t max_depth_;
  std::size_t pos_ = 0;
};

std::optional<std::size_t> JsonDocument::parse(std::string_view text, std::size_t max_depth) {
  input_ = text;
  decoded_.clear();
  nodes_.clear();
  too_deep_ = false;
  // A member costs two nodes and rarely fewer than ~16 bytes of text.
  nodes_.reserve(text.size() / 8 + 4);
  return JsonParser(*this, max_depth).run();
}

const char* JsonValue::type_name() const noexcept {
  switch (kind()) {
    case JsonKind::kNull: return "null";
    case JsonKind::kBoolean: return "boolean";
    case JsonKind::kNumber: return "number";
    case JsonKind::kString: return "string";
    case JsonKind::kArray: return "array";
    case JsonKind::kObject: return "object";
  }
  return "unknown";
}

bool JsonValue::boolean() const noexcept {
  const JsonDocument::Node& node = document_->nodes_[index_];
  return node.kind == JsonKind::kBoolean && node.flag;
}

std::string_view JsonValue::text() const noexcept {
  const JsonDocument::Node& node = document_->nodes_[index_];
  if (node.kind != JsonKind::kString && node.kind != JsonKind::kNumber) return {};
  return document_->text_of(node);
}

JsonMembers JsonValue::members() const noexcept {
  const JsonDocument::Node& node = document_->nodes_[index_];
  const std::uint32_t end = node.kind == JsonKind::kObject ? node.next : index_ + 1;
  return JsonMembers(document_, index_ + 1, end);
}

JsonElements JsonValue::elements() const noexcept {
  const JsonDocument::Node& node = document_->nodes_[index_];
  const std::uint32_t end = node.kind == JsonKind::kArray ? node.next : index_ + 1;
  return JsonElements(document_, index_ + 1, end);
}

std::size_t JsonValue::size() const noexcept {
  const JsonDocument::Node& node = document_->nodes_[index_];
  const bool container = node.kind == JsonKind::kArray || node.kind == JsonKind::kObject;
  return container ? node.length : 0;
}

std::optional<JsonValue> JsonValue::find(std::string_view key) const noexcept {
  if (kind() != JsonKind::kObject) return std::nullopt;
  for (const JsonMember member : members()) {
    if (member.key == key) return member.value;
  }
  return std::nullopt;
}

nlohmann::json to_nlohmann(JsonValue value) {
  switch (value.kind()) {
    case JsonKind::kNull: return nullptr;
    case JsonKind::kBoolean: return value.boolean();
    case JsonKind::kString: return std::string(value.text());
    case JsonKind::kNumber: {
      const JsonNumber number = number_value(value.text());
      if (number.type == JsonNumber::Type::kSigned) return number.signed_value;
      if (number.type == JsonNumber::Type::kUnsigned) return number.unsigned_value;
      return number.float_value;
    }
    case JsonKind::kArray: {
      nlohmann::json array = nlohmann::json::array();
      for (const JsonValue element : value.elements()) array.push_back(to_nlohmann(element));
      return array;
    }
    case JsonKind::kObject: {
      nlohmann::json object = nlohmann::json::object();
      for (const JsonMember member : value.members()) {
        object[std::string(member.key)] = to_nlohmann(member.value);
      }
      return object;
    }
  }
  return nullptr;
}

}  // namespace privacycall::webhook::internal
