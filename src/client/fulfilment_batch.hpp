#ifndef PRIVACYCALL_SRC_CLIENT_FULFILMENT_BATCH_HPP
#define PRIVACYCALL_SRC_CLIENT_FULFILMENT_BATCH_HPP

// Futures fulfilled together instead of one by one, while a thread completes a batch of calls.
//
// The async loop completes every transfer that finished in one pass, and each completion
// decodes its answer before its future becomes ready. Fulfilled one by one, a thread waiting
// on those futures in turn wakes for the first, finds the next not yet decoded and sleeps
// again: two futex calls and a thread switch per call. Fulfilled together at the end of the
// pass, the waiter wakes once and finds all of them ready.

#include <functional>
#include <vector>

namespace privacycall::internal {

/// While one is open on a thread, defer() there queues a fulfilment until the batch closes;
/// with none open, defer() runs it at once. Batches nest; the innermost one collects.
class FulfilmentBatch {
 public:
  FulfilmentBatch();
  ~FulfilmentBatch();
  FulfilmentBatch(const FulfilmentBatch&) = delete;
  FulfilmentBatch& operator=(const FulfilmentBatch&) = delete;

  /// Runs `fulfil` when this thread's open batch closes, or now when none is open. `fulfil`
  /// must not throw (a promise's set_value on a promise nothing else sets does not).
  static void defer(std::function<void()> fulfil);

  /// Runs what was deferred so far, in order.
  void flush() noexcept;

 private:
  FulfilmentBatch* outer_;
  std::vector<std::function<void()>> deferred_;
};

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_SRC_CLIENT_FULFILMENT_BATCH_HPP
