#ifndef PRIVACYCALL_SRC_WEBHOOK_RECORD_FIELDS_HPP
#define PRIVACYCALL_SRC_WEBHOOK_RECORD_FIELDS_HPP

// Table-driven record readers: one table per record type names each known JSON member and how
// to store it. A record's members are dispatched through the table, from a DOM object or one
// by one from SAX events (push_reader.hpp), and the members the table does not name become the
// record's extra_fields — so the list of known names cannot drift from what is actually read.

#include "common/json_read.hpp"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace privacycall::webhook::internal {

using privacycall::internal::Json;
using privacycall::internal::JsonScalar;

/// The record type of a pointer to data member.
template <typename MemberPointer>
struct RecordOf;

/// RecordOf for `Field Record::*`.
template <typename Record, typename Field>
struct RecordOf<Field Record::*> {
  /// The class the member belongs to.
  using type = Record;
};

/// Stores `Convert(value, name)` in the data member `Member`: the reader a FieldTable entry
/// points to for a scalar field. Convert throws ShapeError for an array or an object.
template <auto Member, auto Convert>
void store_member(typename RecordOf<decltype(Member)>::type& record, const JsonScalar& value, std::string_view name) {
  record.*Member = Convert(value, name);
}

/// The known members of one record type and how each is read.
template <typename Record>
class FieldTable {
 public:
  /// Reads a scalar member (or refuses a container with ShapeError); `name` is for messages.
  using ScalarReader = void (*)(Record& record, const JsonScalar& value, std::string_view name);
  /// Reads a member that may hold an array or an object (DOM reads only).
  using ValueReader = void (*)(Record& record, const Json& value, std::string_view name);

  /// One known member: exactly one of the readers is set.
  struct Field {
    /// The member's JSON name.
    std::string_view name;
    /// How a scalar field is stored.
    ScalarReader scalar = nullptr;
    /// How a structured field is stored.
    ValueReader value = nullptr;
  };

  /// A table of `fields`, in any order, with distinct non-empty names.
  FieldTable(std::initializer_list<Field> fields) : fields_(fields) {
    std::size_t size = 16;
    while (size < 4 * fields_.size()) size *= 2;
    slots_.assign(size, kEmpty);
    for (std::size_t i = 0; i < fields_.size(); ++i) {
      std::size_t slot = slot_of(fields_[i].name);
      while (slots_[slot] != kEmpty) slot = (slot + 1) & (slots_.size() - 1);
      slots_[slot] = static_cast<std::uint8_t>(i);
      all_scalar_ = all_scalar_ && fields_[i].scalar != nullptr;
    }
  }

  /// The field named `name`; nullptr when the table does not know it. Open addressing at most
  /// a quarter full, on a hash of the length and three characters: a CDR has dozens of
  /// members, and a general string hash cost a tenth of reading one.
  const Field* find(std::string_view name) const noexcept {
    if (name.empty()) return nullptr;
    for (std::size_t slot = slot_of(name); slots_[slot] != kEmpty; slot = (slot + 1) & (slots_.size() - 1)) {
      const Field& field = fields_[slots_[slot]];
      if (field.name == name) return &field;
    }
    return nullptr;
  }

  /// True when every field is a scalar one, as a SAX reader needs.
  bool all_scalar() const noexcept { return all_scalar_; }

  /// Reads every member of `object` that the table knows into `record` and returns the others
  /// as extra_fields text (empty when none). ShapeError when a known member has the wrong type.
  std::string read(const Json& object, Record& record) const {
    privacycall::internal::ExtraFields extra;
    for (const auto& member : object.items()) {
      if (const Field* field = find(member.key())) {
        if (field->value) {
          field->value(record, member.value(), member.key());
        } else {
          field->scalar(record, JsonScalar::of(member.value()), member.key());
        }
      } else {
        extra.add(member.key(), member.value());
      }
    }
    return extra.text();
  }

 private:
  /// A slot that holds no field.
  static constexpr std::uint8_t kEmpty = 0xFF;

  /// Where probing for `name` (not empty) starts.
  std::size_t slot_of(std::string_view name) const noexcept {
    const auto at = [&name](std::size_t i) { return static_cast<std::size_t>(static_cast<unsigned char>(name[i])); };
    const std::size_t hash = name.size() * 131 + at(0) * 31 + at(name.size() / 2) * 7 + at(name.size() - 1);
    return hash & (slots_.size() - 1);
  }

  /// The fields as given (fewer than 255: slots hold a byte).
  std::vector<Field> fields_;
  /// Power-of-two sized hash table of indices into fields_ (or kEmpty).
  std::vector<std::uint8_t> slots_;
  /// See all_scalar().
  bool all_scalar_ = true;
};

}  // namespace privacycall::webhook::internal

#endif  // PRIVACYCALL_SRC_WEBHOOK_RECORD_FIELDS_HPP
