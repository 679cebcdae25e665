#ifndef PRIVACYCALL_FUTURE_HPP
#define PRIVACYCALL_FUTURE_HPP

/// @file
/// Future and Promise: the one Result of an asynchronous operation, handed from the thread that
/// completes it to the thread that waits for it.

#include <privacycall/abi.hpp>
#include <privacycall/error.hpp>
#include <privacycall/result.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>  // std::future_status, so that code written for std::future compiles unchanged
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

template <typename T>
class Promise;

/// What every asynchronous operation returns: its Result<T>, once it is there. It reads like
/// std::future<Result<T>> (valid, wait, wait_for, wait_until, get) and adds is_ready().
///
/// The SDK has its own type because std::promise makes a value ready through std::call_once,
/// which with glibc costs a futex system call on every call, waiting thread or not: at many
/// calls in flight that is a system call per call on the transport's one loop thread. This one
/// makes a value ready under one lock and calls into the kernel only to wake a thread that is
/// actually waiting.
///
/// Moveable, not copyable; safe to wait on from one thread while another completes it. When
/// the last Client and service object sharing a connection are destroyed while calls are
/// pending, those calls complete with a transport error saying they were cancelled.
template <typename T>
class Future {
 public:
  /// A future with no result to wait for (valid() is false), like std::future's default.
  Future() noexcept = default;
  /// Takes over `other`'s result; `other` is no longer valid().
  Future(Future&& other) noexcept = default;
  /// Takes over `other`'s result, dropping this one's; `other` is no longer valid().
  Future& operator=(Future&& other) noexcept = default;
  Future(const Future&) = delete;
  Future& operator=(const Future&) = delete;

  /// True until get() has taken the Result; false when default-constructed or moved from.
  bool valid() const noexcept { return state_ != nullptr; }

  /// True when get() would not wait for the operation. False when not valid().
  bool is_ready() const noexcept { return state_ != nullptr && state_->ready.load(std::memory_order_acquire); }

  /// Blocks until the Result is there. Returns at once when not valid().
  void wait() const {
    if (is_ready() || state_ == nullptr) return;
    std::unique_lock<std::mutex> lock(state_->mutex);
    state_->became_ready.wait(lock, [this] { return state_->ready.load(std::memory_order_relaxed); });
  }

  /// Blocks until the Result is there or @p timeout has passed: `std::future_status::ready` or
  /// `timeout` (never `deferred`: every operation is already running). `ready` when not
  /// valid(), as get() then returns at once.
  template <typename Rep, typename Period>
  std::future_status wait_for(const std::chrono::duration<Rep, Period>& timeout) const {
    return wait_until(std::chrono::steady_clock::now() + timeout);  // as std::condition_variable does
  }

  /// Blocks until the Result is there or @p deadline has passed; see wait_for().
  template <typename Clock, typename Duration>
  std::future_status wait_until(const std::chrono::time_point<Clock, Duration>& deadline) const {
    if (is_ready() || state_ == nullptr) return std::future_status::ready;
    std::unique_lock<std::mutex> lock(state_->mutex);
    const bool ready = state_->became_ready.wait_until(
        lock, deadline, [this] { return state_->ready.load(std::memory_order_relaxed); });
    return ready ? std::future_status::ready : std::future_status::timeout;
  }

  /// Waits for the Result and takes it; valid() is false afterwards. On a future that is not
  /// valid() (taken already, moved from, default-constructed) it returns an Error of category
  /// kValidation saying so, where std::future would have undefined behaviour. Never throws,
  /// unless the function given to Promise::set_value_lazily() does.
  Result<T> get() {
    if (state_ == nullptr) {
      return error_of(ErrorCategory::kValidation,
                      "Future::get() on a future with no result: default-constructed, moved from or already taken");
    }
    wait();
    std::shared_ptr<State> state = std::move(state_);
    if (state->make) return state->make();  // this future is the only one to take it: runs once
    return std::move(*state->result);
  }

 private:
  friend class Promise<T>;

  // What a Future and its Promise share. `ready` is set only after `result` or `make` is, and
  // read without the lock on the fast paths; the lock and the condition variable are for waiting.
  struct State {
    std::mutex mutex;
    std::condition_variable became_ready;
    std::atomic<bool> ready{false};
    std::optional<Result<T>> result;
    std::function<Result<T>()> make;  // set instead of `result` by set_value_lazily()
  };

  explicit Future(std::shared_ptr<State> state) noexcept : state_(std::move(state)) {}

  static Error error_of(ErrorCategory category, const char* message) {
    Error error;
    error.category = category;
    error.message = message;
    return error;
  }

  std::shared_ptr<State> state_;
};

/// The completing side of a Future: what a custom HttpTransport, a test double or an adapter
/// uses to hand a Future out and make it ready later. Moveable, not copyable.
template <typename T>
class Promise {
 public:
  Promise() : state_(std::make_shared<State>()) {}
  /// Takes over `other`'s future, which `other` can no longer complete.
  Promise(Promise&& other) noexcept = default;
  /// Abandons this promise's future (see ~Promise()) and takes over `other`'s.
  Promise& operator=(Promise&& other) noexcept {
    if (this != &other) {
      abandon();
      state_ = std::move(other.state_);
      handed_out_ = other.handed_out_;
    }
    return *this;
  }
  Promise(const Promise&) = delete;
  Promise& operator=(const Promise&) = delete;

  /// A promise destroyed without set_value() completes its future with a transport error
  /// ("cancelled"), so that nobody waits forever.
  ~Promise() { abandon(); }

  /// The Future this promise completes. Only the first call returns a valid() one.
  Future<T> get_future() {
    if (handed_out_ || state_ == nullptr) return Future<T>();
    handed_out_ = true;
    return Future<T>(state_);
  }

  /// Makes the Result ready and wakes whoever waits for it. Only the first call of this or of
  /// set_value_lazily() has an effect; never throws (unless moving the Result does).
  void set_value(Result<T> result) {
    complete([&](State& state) { state.result.emplace(std::move(result)); });
  }

  /// Makes the future ready now with a Result that `make` computes later, on the thread that
  /// takes it with get(): for a completing thread that must stay light, such as the transport's
  /// one loop thread, which this way hands the decoding of an answer to the thread that waits
  /// for it. `make` runs at most once, and never if the future is dropped without get(); an
  /// exception escaping it leaves get(). Only the first call of this or of set_value() counts.
  void set_value_lazily(std::function<Result<T>()> make) {
    complete([&](State& state) { state.make = std::move(make); });
  }

 private:
  using State = typename Future<T>::State;

  template <typename Fill>
  void complete(Fill&& fill) {
    if (state_ == nullptr) return;
    {
      std::lock_guard<std::mutex> lock(state_->mutex);
      if (state_->ready.load(std::memory_order_relaxed)) return;
      fill(*state_);
      state_->ready.store(true, std::memory_order_release);
    }
    // A system call only when a thread is waiting (glibc checks for waiters first).
    state_->became_ready.notify_all();
  }

  void abandon() {
    if (state_ != nullptr && !state_->ready.load(std::memory_order_relaxed)) {
      set_value(Future<T>::error_of(ErrorCategory::kTransport, "cancelled: the operation ended without a result"));
    }
  }

  std::shared_ptr<State> state_;
  bool handed_out_ = false;
};

/// A Future that is ready at once, holding @p result: for test doubles and adapters.
template <typename T>
Future<T> make_ready_future(Result<T> result) {
  Promise<T> promise;
  promise.set_value(std::move(result));
  return promise.get_future();
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_FUTURE_HPP
