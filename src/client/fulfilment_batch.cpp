#include "client/fulfilment_batch.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace privacycall::internal {
namespace {

struct Held {
  std::shared_ptr<void> target;
  FulfilmentBatch::Fulfil fulfil;
};

// One list per thread, used as a stack by nested batches; it keeps its capacity, so that a
// loop thread completing pass after pass allocates nothing for it.
thread_local std::vector<Held> held;
thread_local FulfilmentBatch* innermost = nullptr;

}  // namespace

FulfilmentBatch::FulfilmentBatch() noexcept : outer_(innermost), first_(held.size()) { innermost = this; }

FulfilmentBatch::~FulfilmentBatch() {
  flush();
  innermost = outer_;
}

void FulfilmentBatch::defer(std::shared_ptr<void> target, Fulfil fulfil) {
  if (innermost != nullptr) {
    try {
      // Room first, so that the push cannot fail once `target` has moved into it.
      if (held.size() == held.capacity()) held.reserve(std::max<std::size_t>(32, 2 * held.capacity()));
      held.push_back(Held{std::move(target), fulfil});
      return;
    } catch (...) {
      // No memory to hold it back: made ready now rather than never.
    }
  }
  fulfil(target.get());
}

void FulfilmentBatch::flush() noexcept {
  // Indexed, and the list only shrinks after: a fulfilment cannot add to it (set_value runs no
  // code of the application's), but an index stays valid even if one did.
  for (std::size_t i = first_; i < held.size(); ++i) held[i].fulfil(held[i].target.get());
  held.resize(first_);
}

}  // namespace privacycall::internal
