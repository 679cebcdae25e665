#ifndef PRIVACYCALL_RESULT_HPP
#define PRIVACYCALL_RESULT_HPP

/// @file
/// Result<T>: either a value or an Error, in the spirit of absl::StatusOr.

#include <privacycall/abi.hpp>
#include <privacycall/error.hpp>

#include <type_traits>
#include <utility>
#include <variant>

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// Holds either a T or an Error. Failures are values: inspect with ok()/error(), or call
/// value() which throws privacycall::Exception on failure.
template <typename T>
class Result {
  static_assert(!std::is_same_v<T, Error>, "Result<Error> is ambiguous");

 public:
  /// A success holding @p value.
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  /// A failure holding @p error.
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit by design

  /// True when this holds a value.
  bool ok() const noexcept { return state_.index() == 0; }
  /// Same as ok().
  explicit operator bool() const noexcept { return ok(); }

  /// The value; throws privacycall::Exception holding the Error when there is none.
  const T& value() const& {
    throw_if_error();
    return std::get<0>(state_);
  }
  /// The value, mutable; throws privacycall::Exception when there is none.
  T& value() & {
    throw_if_error();
    return std::get<0>(state_);
  }
  /// The value, moved out; throws privacycall::Exception when there is none. Returned by
  /// value so that `for (auto& b : client.axb().query(id).value().bindings)` is safe: a
  /// reference into the temporary Result would dangle.
  T value() && {
    throw_if_error();
    return std::get<0>(std::move(state_));
  }

  /// The error. Precondition: !ok().
  const Error& error() const& { return std::get<1>(state_); }
  /// The error, moved out. Precondition: !ok().
  Error error() && { return std::get<1>(std::move(state_)); }

  /// value(): throws privacycall::Exception when there is none.
  const T& operator*() const& { return value(); }
  /// value(), mutable: throws privacycall::Exception when there is none.
  T& operator*() & { return value(); }
  /// Member access to value(): throws privacycall::Exception when there is none.
  const T* operator->() const { return &value(); }
  /// Mutable member access to value(): throws privacycall::Exception when there is none.
  T* operator->() { return &value(); }

 private:
  void throw_if_error() const {
    if (!ok()) throw Exception(std::get<1>(state_));
  }

  std::variant<T, Error> state_;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_RESULT_HPP
