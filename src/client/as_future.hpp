#ifndef PRIVACYCALL_SRC_CLIENT_AS_FUTURE_HPP
#define PRIVACYCALL_SRC_CLIENT_AS_FUTURE_HPP

// The future form of every asynchronous operation, made from its callback form.

#include <privacycall/result.hpp>

#include <future>
#include <memory>
#include <utility>

namespace privacycall::internal {

/// Runs `start(callback)` and returns a future of the one Result the callback receives.
template <typename T, typename Start>
std::future<Result<T>> as_future(Start&& start) {
  auto promise = std::make_shared<std::promise<Result<T>>>();
  std::future<Result<T>> future = promise->get_future();
  std::forward<Start>(start)([promise](Result<T> result) { promise->set_value(std::move(result)); });
  return future;
}

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_SRC_CLIENT_AS_FUTURE_HPP
