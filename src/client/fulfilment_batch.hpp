#ifndef PRIVACYCALL_SRC_CLIENT_FULFILMENT_BATCH_HPP
#define PRIVACYCALL_SRC_CLIENT_FULFILMENT_BATCH_HPP

// Futures made ready together instead of one by one, while a thread completes a batch of calls.
//
// The async loop completes every transfer that finished in one pass, and each completion
// decodes its answer before its future becomes ready. Made ready one by one, a thread waiting
// on those futures in turn wakes for the first, finds the next not yet decoded and sleeps
// again: two futex calls and a thread switch per call. Made ready together at the end of the
// pass, the waiter wakes once and finds all of them ready.

#include <cstddef>
#include <memory>

#include "common/internal_export.hpp"

namespace privacycall::internal {

/// While one is open on a thread, defer() there holds a fulfilment back until the batch closes;
/// with none open, defer() runs it at once. Batches nest: the innermost one collects, so that
/// a scope can insist on its own fulfilments happening before it ends.
class PRIVACYCALL_INTERNAL_EXPORT FulfilmentBatch {
 public:
  /// Makes a result ready (Promise::set_value); must not throw.
  using Fulfil = void (*)(void* target) noexcept;

  FulfilmentBatch() noexcept;
  ~FulfilmentBatch();
  FulfilmentBatch(const FulfilmentBatch&) = delete;
  FulfilmentBatch& operator=(const FulfilmentBatch&) = delete;

  /// Runs `fulfil(target.get())` when this thread's innermost batch closes or flushes, or now
  /// when none is open; `target` is kept alive until then.
  static void defer(std::shared_ptr<void> target, Fulfil fulfil);

  /// Runs what this batch has held back so far, in order.
  void flush() noexcept;

 private:
  FulfilmentBatch* outer_;
  std::size_t first_;  // this batch's part of the thread's list of held-back fulfilments
};

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_SRC_CLIENT_FULFILMENT_BATCH_HPP
