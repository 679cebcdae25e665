#ifndef PRIVACYCALL_SRC_CLIENT_AS_FUTURE_HPP
#define PRIVACYCALL_SRC_CLIENT_AS_FUTURE_HPP

// The future form of every asynchronous operation, made from its callback form.

#include <privacycall/callback.hpp>
#include <privacycall/options.hpp>
#include <privacycall/result.hpp>

#include <future>
#include <memory>
#include <utility>

#include "client/fulfilment_batch.hpp"

namespace privacycall::internal {

/// Runs `start(callback)` and returns a future of the one Result the callback receives.
template <typename T, typename Start>
std::future<Result<T>> as_future(Start&& start) {
  auto promise = std::make_shared<std::promise<Result<T>>>();
  std::future<Result<T>> future = promise->get_future();
  std::forward<Start>(start)([promise](Result<T> result) {
    // Deferred while the transport completes a batch: see FulfilmentBatch.
    FulfilmentBatch::defer([promise, result = std::move(result)]() mutable { promise->set_value(std::move(result)); });
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
