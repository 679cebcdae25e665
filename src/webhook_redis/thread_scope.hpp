#ifndef PRIVACYCALL_SRC_WEBHOOK_REDIS_THREAD_SCOPE_HPP
#define PRIVACYCALL_SRC_WEBHOOK_REDIS_THREAD_SCOPE_HPP

// Something a queue worker lends to the Redis stores for the length of one delivery. The
// Dispatcher calls its stores through interfaces that know nothing of queues (DedupStore);
// the worker therefore opens a Scope on its own thread around each delivery, and a store of
// the same keyspace called inside it, on that thread, finds the object with on_this_thread().
// T derives from ThreadScoped<T>.

#include <string>

namespace privacycall::webhook::redis::internal {

template <typename T>
class ThreadScoped {
 public:
  explicit ThreadScoped(std::string keyspace) : keyspace_(std::move(keyspace)) {}

  // The T open on this thread for a store of `keyspace`; nullptr when there is none.
  static T* on_this_thread(const std::string& keyspace) {
    T* open = current();
    return open != nullptr && open->ThreadScoped::keyspace_ == keyspace ? open : nullptr;
  }

  // Lends `lent` to this thread's stores while it lives.
  class Scope {
   public:
    explicit Scope(T& lent) : previous_(current()) { current() = &lent; }
    ~Scope() { current() = previous_; }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    T* previous_;
  };

 private:
  static T*& current() {
    thread_local T* open = nullptr;
    return open;
  }

  std::string keyspace_;
};

}  // namespace privacycall::webhook::redis::internal

#endif  // PRIVACYCALL_SRC_WEBHOOK_REDIS_THREAD_SCOPE_HPP
