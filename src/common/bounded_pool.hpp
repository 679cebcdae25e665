#ifndef PRIVACYCALL_SRC_COMMON_BOUNDED_POOL_HPP
#define PRIVACYCALL_SRC_COMMON_BOUNDED_POOL_HPP

// A small thread pool with a bounded queue, for user code the SDK must run without letting it
// block the caller or pile up threads: Block-mode webhook handlers, and the default
// HttpTransport::send_async of a transport that only implements send(). Its threads start on
// demand, up to a fixed maximum; a task that no thread can take and no queue slot can hold is
// refused, never waited for. At close, tasks still running after a grace period are abandoned
// (their threads detached), so that a hung task cannot hang its owner's destructor.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>

#include "common/internal_export.hpp"

namespace privacycall::internal {

class PRIVACYCALL_INTERNAL_EXPORT BoundedPool {
 public:
  /// At most `max_threads` tasks run at once (at least one); at most `max_queued` more wait.
  BoundedPool(std::size_t max_threads, std::size_t max_queued);
  /// close() with no time limit: waits for the running tasks, unless close() came first.
  ~BoundedPool();
  BoundedPool(const BoundedPool&) = delete;
  BoundedPool& operator=(const BoundedPool&) = delete;

  /// Queues `task`; false, without taking it, when the queue is full or the pool is closed.
  /// A task must not throw (what escapes it is dropped).
  bool try_submit(std::function<void()>& task);

  /// Tasks running at this moment.
  std::size_t running() const;
  /// Tasks waiting for a thread at this moment.
  std::size_t queued() const;

  /// Stops taking tasks and drops the queued ones; waits up to `grace` for the running ones,
  /// then abandons those still running: their threads are detached and end when their task
  /// returns. Returns how many were abandoned. Later calls return 0 at once.
  std::size_t close(std::chrono::milliseconds grace);

 private:
  struct State;
  std::shared_ptr<State> state_;  // shared with the threads, which may outlive the pool
};

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_SRC_COMMON_BOUNDED_POOL_HPP
