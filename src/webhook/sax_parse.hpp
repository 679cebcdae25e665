#ifndef PRIVACYCALL_SRC_WEBHOOK_SAX_PARSE_HPP
#define PRIVACYCALL_SRC_WEBHOOK_SAX_PARSE_HPP

// nlohmann's SAX parser over a text, compiled once, in a file of its own.
//
// The parser is a template over its input's iterator. Called with `const char*`, it is the
// same instantiation as every other parse of a char buffer, in this library and in the
// application linking it; the linker keeps one of those identical-named copies, compiled in
// whichever file it happened to take first, and GCC inlines the lexer's per-character work
// (its token buffer's push_back) in some files and not in others, by how much else each file
// asks it to inline. The CDR parse's speed then depended on the link order: 4.0 us a record
// with the copy this library got, 3.3 with a better-inlined one. Here the iterator is a type
// of the SDK's own, so this file's copy is the only one, and it holds nothing else to compete
// for inlining. The handler is called through its virtual functions, which keeps that copy
// free of the handler's code (a few events per member: nanoseconds).

#include <string_view>

#include "common/json_read.hpp"

namespace privacycall::webhook::internal {

/// Parses `text` as JSON, reporting to `handler`; false when the text is not JSON or the
/// handler stopped the parse, as nlohmann::json::sax_parse.
bool sax_parse(std::string_view text, nlohmann::json_sax<privacycall::internal::Json>& handler);

}  // namespace privacycall::webhook::internal

#endif  // PRIVACYCALL_SRC_WEBHOOK_SAX_PARSE_HPP
