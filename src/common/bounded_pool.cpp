#include "common/bounded_pool.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace privacycall::internal {

struct BoundedPool::State {
  std::size_t max_threads = 1;
  std::size_t max_queued = 0;
  mutable std::mutex mutex;
  std::condition_variable work;  // a task was queued, or the pool closes
  std::condition_variable idle;  // a thread finished its task or ended
  std::deque<std::function<void()>> queue;
  std::vector<std::thread> threads;
  std::size_t waiting_threads = 0;  // started threads with no task
  std::size_t running = 0;
  std::size_t live_threads = 0;
  bool closed = false;

  // A pool thread: takes tasks until the pool closes. Holds the state, so that an abandoned
  // thread still has it when its task finally returns.
  static void work_loop(const std::shared_ptr<State>& self) {
    std::unique_lock<std::mutex> lock(self->mutex);
    while (true) {
      ++self->waiting_threads;
      self->work.wait(lock, [&] { return self->closed || !self->queue.empty(); });
      --self->waiting_threads;
      if (self->closed) break;
      std::function<void()> task = std::move(self->queue.front());
      self->queue.pop_front();
      ++self->running;
      lock.unlock();
      try {
        task();
      } catch (...) {
        // Documented as not throwing; a thread of the pool must survive one that does.
      }
      task = nullptr;  // what it holds is released outside the lock, like the task's own work
      lock.lock();
      --self->running;
      self->idle.notify_all();
    }
    --self->live_threads;
    self->idle.notify_all();
  }
};

BoundedPool::BoundedPool(std::size_t max_threads, std::size_t max_queued) : state_(std::make_shared<State>()) {
  state_->max_threads = std::max<std::size_t>(1, max_threads);
  state_->max_queued = max_queued;
}

BoundedPool::~BoundedPool() { close(std::chrono::milliseconds::max()); }

bool BoundedPool::try_submit(std::function<void()>& task) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  State& s = *state_;
  if (s.closed) return false;
  // Tasks already queued are owed the waiting threads first.
  const bool thread_free = s.waiting_threads > s.queue.size();
  const bool can_start = s.threads.size() < s.max_threads;
  if (!thread_free && !can_start && s.queue.size() >= s.max_queued) return false;
  if (!thread_free && can_start) {
    // Started before the task is queued, so that a failure to start leaves nothing behind.
    s.threads.emplace_back([state = state_] { State::work_loop(state); });
    ++s.live_threads;
  }
  s.queue.push_back(std::move(task));
  s.work.notify_one();
  return true;
}

std::size_t BoundedPool::running() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->running;
}

std::size_t BoundedPool::queued() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->queue.size();
}

std::size_t BoundedPool::close(std::chrono::milliseconds grace) {
  std::vector<std::thread> threads;
  std::deque<std::function<void()>> dropped;
  std::size_t abandoned = 0;
  {
    std::unique_lock<std::mutex> lock(state_->mutex);
    State& s = *state_;
    if (s.closed) return 0;
    s.closed = true;
    dropped.swap(s.queue);
    s.work.notify_all();
    const auto all_ended = [&] { return s.live_threads == 0; };
    // A grace too long for a time_point (milliseconds::max()) means: wait for as long as it takes.
    if (grace >= std::chrono::hours(24 * 365)) {
      s.idle.wait(lock, all_ended);
    } else {
      s.idle.wait_for(lock, grace, all_ended);
    }
    abandoned = s.running;
    threads.swap(s.threads);
  }
  for (std::thread& thread : threads) {
    if (abandoned > 0) {
      thread.detach();  // some task has not returned: the thread ends on its own when it does
    } else {
      thread.join();  // every thread has left its loop: joining is immediate
    }
  }
  return abandoned;
}

}  // namespace privacycall::internal
