#ifndef PRIVACYCALL_SRC_CLIENT_AS_FUTURE_HPP
#define PRIVACYCALL_SRC_CLIENT_AS_FUTURE_HPP

// The future form of every asynchronous operation, made from its callback form.

#include <privacycall/callback.hpp>
#include <privacycall/future.hpp>
#include <privacycall/options.hpp>
#include <privacycall/result.hpp>

#include <memory>
#include <optional>
#include <utility>

#include "client/fulfilment_batch.hpp"

namespace privacycall::internal {

/// The promise of one future, and its result while a FulfilmentBatch holds it back.
template <typename T>
struct PendingResult {
  Promise<T> promise;
  std::optional<Result<T>> result;

  static void fulfil(void* target) noexcept {
    auto& pending = *static_cast<PendingResult*>(target);
    pending.promise.set_value(std::move(*pending.result));
    pending.result.reset();
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
  std::forward<Start>(start)([pending](Result<T> result) {
    pending->result.emplace(std::move(result));
    FulfilmentBatch::defer(pending, &PendingResult<T>::fulfil);
  });
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
