#ifndef PRIVACYCALL_SRC_WEBHOOK_PUSH_READER_HPP
#define PRIVACYCALL_SRC_WEBHOOK_PUSH_READER_HPP

// Reads a push body in one pass of nlohmann's SAX parser. A CDR batch is most of the traffic
// and its records most of the text: building nlohmann's DOM for them (a std::map node and a
// key string per member, a heap string per value) cost more than the rest of a push's
// handling together. So the records of the top-level "feeLst" array go straight into
// FeeRecords through their field table, and only the rest of the body becomes a DOM, which the
// classification reads as before.
//
// Whether the body is a CDR batch at all is only known from "eventType", which may come after
// "feeLst": the records are read either way, and the shape errors found in them are kept for
// the caller to raise only if the body turns out to be one.

#include <privacycall/result.hpp>
#include <privacycall/webhook/notifications.hpp>
#include <privacycall/webhook/parse.hpp>

#include "webhook/record_fields.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace privacycall::webhook::internal {

/// What the top-level "feeLst" member held (the last one, when the key repeats).
struct FeeList {
  /// Its type; null when absent.
  Json::value_t type = Json::value_t::null;
  /// Its type's name, for ShapeError.
  const char* type_name = "null";
  /// The type of its first element that is not an object; nullptr when all are.
  const char* first_non_object = nullptr;
  /// Its records, when it is an array.
  std::vector<FeeRecord> records;
  /// The ShapeError message of the first record with a known member of the wrong type.
  std::optional<std::string> record_error;
};

/// Everything a push body said, read in one pass.
struct PushBody {
  /// The body without its top-level "feeLst" member.
  Json json;
  /// The top-level "feeLst" member.
  FeeList fees;
};

/// Parses `body`. An Error (decode, naming what is wrong but quoting nothing) when it is not
/// JSON, nests deeper than `limits.max_depth` or has a top-level "feeLst" of more than
/// `limits.max_list_entries` elements; the records are read with `fee_fields`.
Result<PushBody> read_push_body(std::string_view body, const ParseLimits& limits, const FieldTable<FeeRecord>& fee_fields);

/// The Error for a list `name` of more than `max_entries` elements.
Error too_many_entries_error(std::string_view name, std::size_t max_entries);

}  // namespace privacycall::webhook::internal

#endif  // PRIVACYCALL_SRC_WEBHOOK_PUSH_READER_HPP
