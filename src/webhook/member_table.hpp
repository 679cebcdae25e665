#ifndef PRIVACYCALL_SRC_WEBHOOK_MEMBER_TABLE_HPP
#define PRIVACYCALL_SRC_WEBHOOK_MEMBER_TABLE_HPP

// Table-driven record readers: one table per record type names each known JSON member and how
// to store it. A record's object is walked once, each member dispatched through the table, and
// the members the table does not name become the record's extra_fields — so the list of known
// names cannot drift from what is actually read.

#include "webhook/json_internal.hpp"

#include <algorithm>
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

  /// A table of `entries`, in any order.
  MemberTable(std::initializer_list<Entry> entries) : entries_(entries) {
    std::sort(entries_.begin(), entries_.end(),
              [](const Entry& a, const Entry& b) { return a.name < b.name; });
  }

  /// Reads every member of `object` that the table knows into `record` (the last of duplicate
  /// names, as nlohmann would) and returns the others as extra_fields text (empty when none).
  /// ShapeError when a known member has the wrong type.
  std::string read(JsonValue object, Record& record) const {
    ExtraFields extra;
    for (const JsonMember member : object.members()) {
      if (const Entry* entry = find(member.key)) {
        entry->read(record, member.value, member.key);
      } else {
        extra.add(member);
      }
    }
    return extra.text();
  }

 private:
  const Entry* find(std::string_view name) const {
    const auto it = std::lower_bound(entries_.begin(), entries_.end(), name,
                                     [](const Entry& entry, std::string_view n) { return entry.name < n; });
    return it != entries_.end() && it->name == name ? &*it : nullptr;
  }

  std::vector<Entry> entries_;  // sorted by name for binary search
};

}  // namespace privacycall::webhook::internal

#endif  // PRIVACYCALL_SRC_WEBHOOK_MEMBER_TABLE_HPP
