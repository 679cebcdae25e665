#ifndef PRIVACYCALL_RESULT_HPP
#define PRIVACYCALL_RESULT_HPP

/// @file
/// Result<T>: either a value or an Error, in the spirit of absl::StatusOr.

#include <privacycall/error.hpp>

#include <type_traits>
#include <utility>
#include <variant>

namespace privacycall {

/// Holds either a T or an Error. Failures are values: inspect with ok()/error(), or call
/// value() which throws privacycall::Exception on failure.
template <typename T>
class Result {
  static_assert(!std::is_same_v<T, Error>, "Result<Error> is ambiguous");

 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  /// The value; throws privacycall::Exception holding the Error when there is none.
  const T& value() const& {
    throw_if_error();
    return std::get<0>(state_);
  }
  T& value() & {
    throw_if_error();
    return std::get<0>(state_);
  }
  T&& value() && {
    throw_if_error();
    return std::get<0>(std::move(state_));
  }

  /// The error. Precondition: !ok().
  const Error& error() const& { return std::get<1>(state_); }
  Error&& error() && { return std::get<1>(std::move(state_)); }

  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  void throw_if_error() const {
    if (!ok()) throw Exception(std::get<1>(state_));
  }

  std::variant<T, Error> state_;
};

}  // namespace privacycall

#endif  // PRIVACYCALL_RESULT_HPP
