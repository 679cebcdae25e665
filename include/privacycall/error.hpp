#ifndef PRIVACYCALL_ERROR_HPP
#define PRIVACYCALL_ERROR_HPP

/// @file
/// The error value every privacycall operation reports instead of throwing.

#include <privacycall/abi.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// What kind of failure an Error describes; decides what a caller can do about it.
enum class ErrorCategory {
  kValidation,  ///< The request was refused before anything was sent (bad number, missing field).
  kTransport,   ///< The network failed: DNS, connect, TLS, reset, or a malformed HTTP exchange.
  kTimeout,     ///< The connect or the whole request ran out of time.
  kAuth,        ///< The platform rejected the credentials or the signature (10230xx, 1010010, 1010013, ...).
  kApi,         ///< The platform answered with a business error (`resultcode` other than "0").
  kDecode,      ///< The platform's answer could not be understood (not JSON, wrong shape).
};

/// Stable lower-case name of a category ("validation", "transport", ...), for logs and the CLI.
std::string_view to_string(ErrorCategory category) noexcept;

/// A failed operation. Never contains the app secret, signature headers or full phone numbers.
struct Error {
  /// What kind of failure this is; decides how callers react (fix, retry, re-authenticate).
  ErrorCategory category = ErrorCategory::kApi;
  /// Human-readable explanation written by the SDK.
  std::string message;
  /// HTTP status of the platform's answer, when there was one.
  std::optional<int> http_status;
  /// The platform's `resultcode` (e.g. "1012010"), empty when it sent none.
  std::string result_code;
  /// The platform's `resultdesc`, empty when it sent none. Phone numbers it quotes are masked
  /// unless ClientOptions::mask_phone_numbers is false.
  std::string result_desc;
  /// True when sending the same request again may succeed (subject to the operation's
  /// idempotency; the retry policy makes the final decision).
  bool retryable = false;

  /// One line: category, HTTP status, resultcode, resultdesc and message.
  std::string to_string() const;
};

/// Thrown by Result<T>::value() for callers who prefer exceptions.
class Exception : public std::runtime_error {
 public:
  /// Wraps @p error; what() returns Error::to_string().
  explicit Exception(Error error);
  /// The failure that was thrown.
  const Error& error() const noexcept { return error_; }

 private:
  Error error_;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_ERROR_HPP
