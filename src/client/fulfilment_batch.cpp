#include "client/fulfilment_batch.hpp"

#include <utility>

namespace privacycall::internal {
namespace {
thread_local FulfilmentBatch* open_batch = nullptr;
}  // namespace

FulfilmentBatch::FulfilmentBatch() : outer_(open_batch) { open_batch = this; }

FulfilmentBatch::~FulfilmentBatch() {
  flush();
  open_batch = outer_;
}

void FulfilmentBatch::defer(std::function<void()> fulfil) {
  if (open_batch == nullptr) {
    fulfil();
    return;
  }
  try {
    open_batch->deferred_.push_back(std::move(fulfil));
  } catch (...) {
    fulfil();  // no memory to queue it: fulfilled now rather than never
  }
}

void FulfilmentBatch::flush() noexcept {
  // Indexed: a fulfilment may, in principle, defer another one into this batch.
  for (std::size_t i = 0; i < deferred_.size(); ++i) deferred_[i]();
  deferred_.clear();
}

}  // namespace privacycall::internal
