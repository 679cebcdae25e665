#ifndef PRIVACYCALL_ABI_HPP
#define PRIVACYCALL_ABI_HPP

/// @file
/// What keeps the shared libraries' binary interface deliberate: the versioned inline namespace
/// every public declaration lives in, and the export macro. See docs/abi.md.

/// @namespace privacycall
/// The SDK: the platform's API (Client and its service objects, synchronous and asynchronous) and
/// what the client and the webhook receiver share (Error, Result, PhoneNumber, signing, logging).

/// @namespace privacycall::webhook
/// The receiving side: verify, parse and dispatch the platform's pushes, and the embedded
/// server that does it over HTTP(S).

/// @namespace privacycall::testing
/// FakePlatform, the platform simulated on loopback, for testing applications without
/// credentials.

/// Marks a declaration as part of the shared libraries' interface.
///
/// The libraries are compiled with hidden visibility, so that only what is declared for users is
/// exported. Everything between PRIVACYCALL_INLINE_NAMESPACE_BEGIN and _END is exported through
/// the namespace's attribute, so public headers need no per-class annotation (and a declaration
/// added there cannot be forgotten); this macro is for the few names outside it that a public
/// header or another of the SDK's libraries still needs. GCC and Clang only: the SDK does not
/// build for Windows (vcpkg.json), where dllexport/dllimport would be needed instead.
#if defined(__GNUC__) || defined(__clang__)
#define PRIVACYCALL_EXPORT __attribute__((visibility("default")))
#else
#define PRIVACYCALL_EXPORT
#endif

/// The ABI generation. Every exported name is mangled with it (privacycall::v1::Client), so an
/// application built against one generation fails to link against another instead of crashing;
/// it changes only with an incompatible change of the libraries' interface (and the SONAME).
#define PRIVACYCALL_ABI_NAMESPACE v1

/// Opens the versioned namespace inside privacycall, privacycall::webhook or
/// privacycall::testing. Being inline, users still write privacycall::Client.
#define PRIVACYCALL_INLINE_NAMESPACE_BEGIN inline namespace PRIVACYCALL_ABI_NAMESPACE PRIVACYCALL_EXPORT {

/// Closes what PRIVACYCALL_INLINE_NAMESPACE_BEGIN opened.
#define PRIVACYCALL_INLINE_NAMESPACE_END }

#endif  // PRIVACYCALL_ABI_HPP
