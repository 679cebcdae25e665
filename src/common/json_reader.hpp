#ifndef PRIVACYCALL_SRC_COMMON_JSON_READER_HPP
#define PRIVACYCALL_SRC_COMMON_JSON_READER_HPP

// A small strict JSON reader for push bodies, Block answers and the platform's API answers
// (the client decodes every answer with it). nlohmann's DOM costs more than the
// rest of a push's handling together (a node and a std::map entry per member, a std::string
// per key); this reader parses into one flat vector of nodes whose strings point into the
// input, and readers iterate an object's members once instead of looking each key up.
//
// It accepts exactly what nlohmann::json::parse(begin, end) accepts (RFC 8259, a leading
// UTF-8 BOM skipped, strict numbers, validated UTF-8 and \u escapes, numbers that overflow a
// double refused) and keeps nlohmann's meaning of duplicate keys: the last one wins.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace privacycall::webhook::internal {

/// The type of a JSON value.
enum class JsonKind : std::uint8_t { kNull, kBoolean, kNumber, kString, kArray, kObject };

/// A number literal as nlohmann holds it: a non-negative integer literal that fits is unsigned,
/// a negative one that fits is signed, anything else (fraction, exponent, too large) a double.
struct JsonNumber {
  /// Which of the members holds the value.
  enum class Type : std::uint8_t { kSigned, kUnsigned, kFloat };
  /// The member that holds the value.
  Type type = Type::kSigned;
  /// The value when type is kSigned.
  std::int64_t signed_value = 0;
  /// The value when type is kUnsigned.
  std::uint64_t unsigned_value = 0;
  /// The value when type is kFloat (never infinite or NaN: the reader refuses those).
  double float_value = 0;
};

/// The hash the reader computes for every object key (JsonMember::key_hash), so that tables of
/// known names can be looked up without hashing each key again.
std::uint32_t json_key_hash(std::string_view key) noexcept;

/// The value of a number literal the reader accepted (see JsonNumber).
JsonNumber number_value(std::string_view literal);

/// A parsed text (defined below).
class JsonDocument;
/// The members of an object (defined below).
class JsonMembers;
/// The elements of an array (defined below).
class JsonElements;

/// A read-only view of one value in a JsonDocument: cheap to copy, valid while the document
/// (and the text it parsed) lives.
class JsonValue {
 public:
  /// The value's type.
  JsonKind kind() const noexcept;
  /// True for JSON null.
  bool is_null() const noexcept { return kind() == JsonKind::kNull; }
  /// nlohmann's name of the type ("object", "array", "string", "number", "boolean", "null"),
  /// for messages that must read as before.
  const char* type_name() const noexcept;
  /// A boolean's value; false for anything else.
  bool boolean() const noexcept;
  /// A string's decoded text, or a number's literal as written; empty for other types.
  std::string_view text() const noexcept;
  /// Members, in document order, without those a later duplicate key replaces. Only for objects.
  JsonMembers members() const noexcept;
  /// Elements in order. Only for arrays.
  JsonElements elements() const noexcept;
  /// Number of members (duplicates counted once) or elements; 0 for scalars.
  std::size_t size() const noexcept;
  /// The member named `key` of an object (the last one, as with duplicates); nullopt when
  /// absent or when this is not an object.
  std::optional<JsonValue> find(std::string_view key) const noexcept;

 private:
  friend class JsonDocument;
  friend class JsonMembers;
  friend class JsonElements;
  /// The value at node `index` of `document`.
  JsonValue(const JsonDocument* document, std::uint32_t index) : document_(document), index_(index) {}
  /// The document the value lives in.
  const JsonDocument* document_;
  /// The value's node.
  std::uint32_t index_;
};

/// One member of an object.
struct JsonMember {
  /// The member's decoded name.
  std::string_view key;
  /// The member's value.
  JsonValue value;
  /// json_key_hash(key), computed while parsing.
  std::uint32_t key_hash;
};

/// The members of an object, iterable with range-for.
class JsonMembers {
 public:
  /// Forward iterator over members; skips members that a later duplicate key replaces.
  class iterator {
   public:
    /// The member at the iterator.
    JsonMember operator*() const noexcept;
    /// Moves to the next member.
    iterator& operator++() noexcept;
    /// True when both name the same position.
    bool operator!=(const iterator& other) const noexcept { return index_ != other.index_; }

   private:
    friend class JsonMembers;
    /// At the member whose key node is `index` (or the next one not replaced).
    iterator(const JsonDocument* document, std::uint32_t index, std::uint32_t end) noexcept;
    /// Moves past members that a later duplicate key replaces.
    void skip_replaced() noexcept;
    /// The document iterated.
    const JsonDocument* document_;
    /// The key node of the current member.
    std::uint32_t index_;
    /// The node after the object.
    std::uint32_t end_;
  };
  /// The first member.
  iterator begin() const noexcept { return iterator(document_, first_, end_); }
  /// Past the last member.
  iterator end() const noexcept { return iterator(document_, end_, end_); }

 private:
  friend class JsonValue;
  /// The members from key node `first` to the node `end` after the object.
  JsonMembers(const JsonDocument* document, std::uint32_t first, std::uint32_t end)
      : document_(document), first_(first), end_(end) {}
  /// The document iterated.
  const JsonDocument* document_;
  /// The first key node.
  std::uint32_t first_;
  /// The node after the object.
  std::uint32_t end_;
};

/// The elements of an array, iterable with range-for.
class JsonElements {
 public:
  /// Forward iterator over elements.
  class iterator {
   public:
    /// The element at the iterator.
    JsonValue operator*() const noexcept { return JsonValue(document_, index_); }
    /// Moves to the next element.
    iterator& operator++() noexcept;
    /// True when both name the same position.
    bool operator!=(const iterator& other) const noexcept { return index_ != other.index_; }

   private:
    friend class JsonElements;
    /// At the element whose node is `index`.
    iterator(const JsonDocument* document, std::uint32_t index) : document_(document), index_(index) {}
    /// The document iterated.
    const JsonDocument* document_;
    /// The current element's node.
    std::uint32_t index_;
  };
  /// The first element.
  iterator begin() const noexcept { return iterator(document_, first_); }
  /// Past the last element.
  iterator end() const noexcept { return iterator(document_, end_); }

 private:
  friend class JsonValue;
  /// The elements from node `first` to the node `end` after the array.
  JsonElements(const JsonDocument* document, std::uint32_t first, std::uint32_t end)
      : document_(document), first_(first), end_(end) {}
  /// The document iterated.
  const JsonDocument* document_;
  /// The first element's node.
  std::uint32_t first_;
  /// The node after the array.
  std::uint32_t end_;
};

/// A parsed JSON text: its values as a flat tape of nodes in document order, each container
/// followed by its contents (an object's members as key node, then value).
class JsonDocument {
 public:
  /// Parses `text`, which must outlive the document (strings without escapes point into it).
  /// Nesting deeper than `max_depth` arrays/objects is refused before it is descended into
  /// (see too_deep()). nullopt on success, otherwise the byte offset where the text stopped
  /// being JSON.
  std::optional<std::size_t> parse(std::string_view text, std::size_t max_depth);

  /// True when the last parse() stopped because the text nests deeper than its max_depth.
  bool too_deep() const noexcept { return too_deep_; }

  /// The top-level value of a successful parse.
  JsonValue root() const noexcept { return JsonValue(this, 0); }

 private:
  friend class JsonValue;
  friend class JsonMembers;
  friend class JsonElements;
  friend class JsonParser;

  /// One value (or object key).
  struct Node {
    /// The value's type (kString for keys).
    JsonKind kind = JsonKind::kNull;
    /// Booleans: the value. Keys: replaced by a later duplicate, so iteration skips it.
    bool flag = false;
    /// Strings: the text lives in decoded_ (it had escapes), not in the input.
    bool decoded = false;
    /// Strings, numbers: where the text starts.
    std::uint32_t offset = 0;
    /// Strings, numbers: text length. Containers: size().
    std::uint32_t length = 0;
    /// The node after this value and everything inside it.
    std::uint32_t next = 0;
    /// Keys: a hash of the text, to find duplicates without comparing every pair.
    std::uint32_t hash = 0;
  };

  /// The text of a string or number node.
  std::string_view text_of(const Node& node) const noexcept {
    const char* base = node.decoded ? decoded_.data() : input_.data();
    return std::string_view(base + node.offset, node.length);
  }

  /// The text parsed.
  std::string_view input_;
  /// The decoded text of strings that had escapes.
  std::string decoded_;
  /// Every value in document order.
  std::vector<Node> nodes_;
  /// See too_deep().
  bool too_deep_ = false;
};

// The accessors a record reader calls per member, inline.

inline JsonKind JsonValue::kind() const noexcept { return document_->nodes_[index_].kind; }

inline JsonMembers::iterator::iterator(const JsonDocument* document, std::uint32_t index,
                                       std::uint32_t end) noexcept
    : document_(document), index_(index), end_(end) {
  skip_replaced();
}

inline void JsonMembers::iterator::skip_replaced() noexcept {
  while (index_ < end_ && document_->nodes_[index_].flag) index_ = document_->nodes_[index_ + 1].next;
}

inline JsonMember JsonMembers::iterator::operator*() const noexcept {
  const JsonDocument::Node& key = document_->nodes_[index_];
  return JsonMember{document_->text_of(key), JsonValue(document_, index_ + 1), key.hash};
}

inline JsonMembers::iterator& JsonMembers::iterator::operator++() noexcept {
  index_ = document_->nodes_[index_ + 1].next;
  skip_replaced();
  return *this;
}

inline JsonElements::iterator& JsonElements::iterator::operator++() noexcept {
  index_ = document_->nodes_[index_].next;
  return *this;
}

/// `value` as nlohmann would have parsed it (the fuzz oracle and the rare extra_fields use it).
nlohmann::json to_nlohmann(JsonValue value);

}  // namespace privacycall::webhook::internal

#endif  // PRIVACYCALL_SRC_COMMON_JSON_READER_HPP
