#include <privacycall/future.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "support/catch.hpp"

using namespace std::chrono_literals;
using privacycall::Error;
using privacycall::ErrorCategory;
using privacycall::Future;
using privacycall::Promise;
using privacycall::Result;

TEST_CASE("A promise's value reaches its future once, and get() takes it") {
  Promise<std::string> promise;
  Future<std::string> future = promise.get_future();
  REQUIRE(future.valid());
  CHECK_FALSE(future.is_ready());
  CHECK(future.wait_for(1ms) == std::future_status::timeout);
  CHECK(future.wait_until(std::chrono::system_clock::now() + 1ms) == std::future_status::timeout);

  promise.set_value(std::string("first"));
  promise.set_value(std::string("second"));  // only the first counts
  CHECK(future.is_ready());
  CHECK(future.wait_for(0s) == std::future_status::ready);
  const Result<std::string> got = future.get();
  REQUIRE(got.ok());
  CHECK(*got == "first");
  CHECK_FALSE(future.valid());
}

TEST_CASE("get() on a future with no result is an error, not a crash") {
  Future<int> never_made;
  CHECK_FALSE(never_made.valid());
  CHECK(never_made.wait_for(1h) == std::future_status::ready);  // get() returns at once
  const Result<int> from_default = never_made.get();
  REQUIRE_FALSE(from_default.ok());
  CHECK(from_default.error().category == ErrorCategory::kValidation);

  Future<int> taken = privacycall::make_ready_future(Result<int>(7));
  CHECK(*taken.get() == 7);
  CHECK(taken.get().error().category == ErrorCategory::kValidation);

  Promise<int> promise;
  Future<int> first = promise.get_future();
  CHECK_FALSE(promise.get_future().valid());  // one future per promise
  Future<int> moved = std::move(first);
  CHECK_FALSE(first.valid());  // NOLINT(bugprone-use-after-move): the point of the test
  CHECK(moved.valid());
}

TEST_CASE("A promise dropped without a value completes its future as cancelled") {
  Future<int> future;
  {
    Promise<int> promise;
    future = promise.get_future();
  }
  REQUIRE(future.is_ready());
  const Result<int> got = future.get();
  REQUIRE_FALSE(got.ok());
  CHECK(got.error().category == ErrorCategory::kTransport);
  CHECK(got.error().message.find("cancelled") != std::string::npos);

  // Assigning over a promise abandons the one it held.
  Promise<int> reused;
  Future<int> abandoned = reused.get_future();
  reused = Promise<int>();
  REQUIRE(abandoned.is_ready());
  CHECK(abandoned.get().error().message.find("cancelled") != std::string::npos);
}

TEST_CASE("Threads waiting on futures wake when other threads complete them") {
  constexpr int kCalls = 2000;
  std::vector<Promise<int>> promises(kCalls);
  std::vector<Future<int>> futures;
  for (auto& promise : promises) futures.push_back(promise.get_future());

  // Half the waits start before the value is set, half after; get(), wait() and wait_for()
  // each take a share, so that every waiting path meets a completion from another thread.
  std::atomic<int> released{0};
  std::thread completer([&] {
    for (int i = 0; i < kCalls; ++i) {
      while (released.load() < i / 2) std::this_thread::yield();
      promises[i].set_value(i);
    }
  });
  long long sum = 0;
  for (int i = 0; i < kCalls; ++i) {
    released.store(i);
    if (i % 3 == 1) futures[i].wait();
    if (i % 3 == 2) REQUIRE(futures[i].wait_for(60s) == std::future_status::ready);
    const Result<int> got = futures[i].get();
    REQUIRE(got.ok());
    CHECK(*got == i);
    sum += *got;
  }
  completer.join();
  CHECK(sum == static_cast<long long>(kCalls) * (kCalls - 1) / 2);
}

TEST_CASE("make_ready_future holds an error as well as a value") {
  Error error;
  error.category = ErrorCategory::kApi;
  error.result_code = "1012008";
  Future<int> future = privacycall::make_ready_future(Result<int>(error));
  CHECK(future.is_ready());
  CHECK(future.get().error().result_code == "1012008");
}

TEST_CASE("A lazily set value is made once, by the thread that takes it, and never if nobody does") {
  std::atomic<int> made{0};
  std::thread::id made_on;
  Promise<std::string> promise;
  Future<std::string> future = promise.get_future();
  std::thread completer([&] {
    promise.set_value_lazily([&]() -> Result<std::string> {
      ++made;
      made_on = std::this_thread::get_id();
      return std::string("decoded");
    });
    promise.set_value(std::string("too late"));  // the first completion counts
  });
  completer.join();
  REQUIRE(future.is_ready());
  CHECK(made == 0);
  const Result<std::string> got = future.get();
  REQUIRE(got.ok());
  CHECK(*got == "decoded");
  CHECK(made == 1);
  CHECK(made_on == std::this_thread::get_id());

  {
    Promise<int> unread;
    Future<int> dropped = unread.get_future();
    unread.set_value_lazily([&]() -> Result<int> {
      ++made;
      return 1;
    });
  }
  CHECK(made == 1);
}
