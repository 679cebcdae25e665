#ifndef PRIVACYCALL_SRC_COMMON_INTERNAL_EXPORT_HPP
#define PRIVACYCALL_SRC_COMMON_INTERNAL_EXPORT_HPP

// PRIVACYCALL_INTERNAL_EXPORT marks an internal name that one of the SDK's libraries defines and
// another calls (common's JSON readers, hashing and thread pool; webhook's log sink), or that
// the SDK's own test suites call to test a library from outside it (its test seams, and the
// parts whose unit tests read src/ headers). The libraries are compiled with hidden
// visibility, so in a shared build such a name must be exported like the public API, although
// it is no part of it: it lives in a namespace called internal, is declared only under src/,
// and may change in any release. abi/*.symbols lists every one, so that a name exported by
// mistake shows up in review.

#include <privacycall/abi.hpp>

#define PRIVACYCALL_INTERNAL_EXPORT PRIVACYCALL_EXPORT

// PRIVACYCALL_HIDDEN marks the definition of a public class's private implementation (its
// `struct Impl`): being nested in an exported class it would be exported too, with every lambda
// and template its members instantiate, although no caller outside its library can name it.
#if defined(__GNUC__) || defined(__clang__)
#define PRIVACYCALL_HIDDEN __attribute__((visibility("hidden")))
#else
#define PRIVACYCALL_HIDDEN
#endif

#endif  // PRIVACYCALL_SRC_COMMON_INTERNAL_EXPORT_HPP
