#ifndef PRIVACYCALL_SRC_WEBHOOK_MEMBER_TABLE_HPP
#define PRIVACYCALL_SRC_WEBHOOK_MEMBER_TABLE_HPP

// Table-driven record readers: one table per record type names each known JSON member and how
// to store it. A record's object is walked once, each member dispatched through the table, and
// the members the table does not name become the record's extra_fields — so the list of known
// names cannot drift from what is actually read.

#include "common/json_internal.hpp"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace privacycall::webhook::internal {

/// The record type and field type of a pointer to data member.
template <typename MemberPointer>
struct MemberPointerTraits;

/// MemberPointerTraits for `Field Record::*`.
template <typename Record, typename Field>
struct MemberPointerTraits<Field Record::*> {
  /// The class the member belongs to.
  using RecordType = Record;
};

/// Stores `Convert(value, name)` (as_text, as_int, ...) in the data member `Member`: the reader
/// a MemberTable entry points to for a plain field.
template <auto Member, auto Convert>
void store_member(typename MemberPointerTraits<decltype(Member)>::RecordType& record,
                  JsonValue value, std::string_view name) {
  record.*Member = Convert(value, name);
}

/// The known members of one record type and how each is read.
template <typename Record>
class MemberTable {
 public:
  /// Reads one member's `value` into the record; `name` is for ShapeError messages.
  using Reader = void (*)(Record& record, JsonValue value, std::string_view name);

  /// One known member.
  struct Entry {
    /// The member's JSON name.
    std::string_view name;
    /// How its value is stored.
    Reader read;
  };

  /// A table of `entries`, in any order, with distinct names (fewer than 255: slots hold a byte).
  MemberTable(std::initializer_list<Entry> entries) : entries_(entries) {
    std::size_t size = 16;
    while (size < 2 * entries_.size()) size *= 2;
    slots_.assign(size, kEmpty);
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      std::size_t slot = slot_of(json_key_hash(entries_[i].name));
      while (slots_[slot] != kEmpty) slot = (slot + 1) & (slots_.size() - 1);
      slots_[slot] = static_cast<std::uint8_t>(i);
    }
  }

  /// Reads every member of `object` that the table knows into `record` (the last of duplicate
  /// names, as nlohmann would) and returns the others as extra_fields text (empty when none).
  /// ShapeError when a known member has the wrong type.
  std::string read(JsonValue object, Record& record) const {
    ExtraFields extra;
    for (const JsonMember member : object.members()) {
      if (const Entry* entry = find(member.key, member.key_hash)) {
        entry->read(record, member.value, member.key);
      } else {
        extra.add(member);
      }
    }
    return extra.text();
  }

 private:
  /// A slot that holds no entry.
  static constexpr std::uint8_t kEmpty = 0xFF;

  /// Where probing for `hash` starts.
  std::size_t slot_of(std::uint32_t hash) const noexcept { return hash & (slots_.size() - 1); }

  /// The entry named `name` (whose json_key_hash is `hash`), nullptr when unknown. Open
  /// addressing at most half full, on the hash the reader already computed: usually one
  /// comparison per member, where a binary search over ~40 names costs six.
  const Entry* find(std::string_view name, std::uint32_t hash) const noexcept {
    for (std::size_t slot = slot_of(hash); slots_[slot] != kEmpty; slot = (slot + 1) & (slots_.size() - 1)) {
      const Entry& entry = entries_[slots_[slot]];
      if (entry.name == name) return &entry;
    }
    return nullptr;
  }

  /// The entries as given.
  std::vector<Entry> entries_;
  /// Power-of-two sized hash table of indices into entries_ (or kEmpty).
  std::vector<std::uint8_t> slots_;
};

}  // namespace privacycall::webhook::internal

#endif  // PRIVACYCALL_SRC_WEBHOOK_MEMBER_TABLE_HPP
