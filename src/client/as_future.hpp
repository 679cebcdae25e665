#ifndef PRIVACYCALL_SRC_CLIENT_AS_FUTURE_HPP
#define PRIVACYCALL_SRC_CLIENT_AS_FUTURE_HPP

// The future form of every asynchronous operation, made from its callback form.

#include <privacycall/callback.hpp>
#include <privacycall/future.hpp>
#include <privacycall/options.hpp>
#include <privacycall/result.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <utility>

#include "client/fulfilment_batch.hpp"

namespace privacycall::internal {

/// The promise of one future, and its result while a FulfilmentBatch holds it back: the Result
/// itself, or the function that makes it on the thread that takes it.
template <typename T>
struct PendingResult {
  Promise<T> promise;
  std::optional<Result<T>> result;
  std::function<Result<T>()> make;

  static void fulfil(void* target) noexcept {
    auto& pending = *static_cast<PendingResult*>(target);
    if (pending.make) {
      pending.promise.set_value_lazily(std::move(pending.make));
    } else {
      pending.promise.set_value(std::move(*pending.result));
      pending.result.reset();
    }
  }
};

/// The Callback that as_future() hands to an operation's callback form. Called with a Result,
/// it makes the future ready with it. The SDK's own connection recognises it in the Callback
/// (std::function::target) and calls complete_lazily() instead, so that the thread waiting on
/// the future decodes the answer rather than the transport's loop thread.
template <typename T>
struct FutureCompletion {
  std::shared_ptr<PendingResult<T>> pending;

  void operator()(Result<T> result) const {
    pending->result.emplace(std::move(result));
    FulfilmentBatch::defer(pending, &PendingResult<T>::fulfil);
  }

  /// Makes the future ready with the Result `make` computes when the future is taken.
  void complete_lazily(std::function<Result<T>()> make) const {
    pending->make = std::move(make);
    FulfilmentBatch::defer(pending, &PendingResult<T>::fulfil);
  }
};

/// Runs `start(callback)` and returns a future of the one Result the callback receives. The
/// future becomes ready when the thread's innermost FulfilmentBatch closes: at the end of the
/// transport's pass, or before this returns when the callback runs at once (a refusal).
template <typename T, typename Start>
Future<T> as_future(Start&& start) {
  auto pending = std::make_shared<PendingResult<T>>();
  Future<T> future = pending->promise.get_future();
  FulfilmentBatch at_once;  // even on the loop thread, inside a pass
  std::forward<Start>(start)(Callback<T>(FutureCompletion<T>{std::move(pending)}));
  return future;
}

/// The future form of a connection's callback operation `start` (&AxbConnection::bind_async).
template <typename Connection, typename Request, typename T>
Future<T> future_of(Connection& connection,
                    void (Connection::*start)(const Request&, Callback<T>, const CallOptions&),
                    const Request& request, const CallOptions& options) {
  return as_future<T>([&](Callback<T> done) { (connection.*start)(request, std::move(done), options); });
}

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_SRC_CLIENT_AS_FUTURE_HPP
