#include <privacycall/webhook/spool.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "support/catch.hpp"
#include "support/webhook_test_support.hpp"
#include "webhook/spool_internal.hpp"

using namespace privacycall::webhook;
using namespace std::chrono_literals;

namespace {

// A fresh directory, removed at the end of the test.
struct TempDir {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("pc-spool-" + webhook_test::unique_nonce());
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string str() const { return path.string(); }
};

// Collects delivered payloads.
struct Sink {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<std::string> payloads;
  Spool::Deliver deliver() {
    return [this](std::string_view payload) {
      std::lock_guard<std::mutex> lock(mutex);
      payloads.emplace_back(payload);
      cv.notify_all();
    };
  }
  bool wait_for(std::size_t count, std::chrono::seconds timeout) {
    std::unique_lock<std::mutex> lock(mutex);
    return cv.wait_for(lock, timeout, [&] { return payloads.size() >= count; });
  }
  std::vector<std::string> get() {
    std::lock_guard<std::mutex> lock(mutex);
    return payloads;
  }
};

SpoolOptions options_for(const TempDir& dir) {
  SpoolOptions options;
  options.directory = dir.str();
  options.initial_backoff = 1ms;
  options.max_backoff = 5ms;
  options.log = [](privacycall::LogLevel, std::string_view) {};
  return options;
}

std::unique_ptr<Spool> open_spool(const TempDir& dir, Spool::Deliver deliver) {
  auto spool = Spool::open(options_for(dir), std::move(deliver));
  INFO((spool ? std::string() : spool.error().to_string()));
  REQUIRE(spool.ok());
  return std::move(spool).value();
}

// Installs the spool's queue hook for one test, and removes it however the test ends.
struct QueueHook {
  explicit QueueHook(std::function<void()> hook) {
    privacycall::webhook::internal::set_spool_queue_hook_for_testing(std::move(hook));
  }
  ~QueueHook() { privacycall::webhook::internal::set_spool_queue_hook_for_testing({}); }
};

std::uintmax_t journal_size(const TempDir& dir) {
  return std::filesystem::file_size(dir.path / "journal.pcs");
}

}  // namespace

TEST_CASE("appended entries are delivered in order") {
  TempDir dir;
  Sink sink;
  auto spool = open_spool(dir, sink.deliver());
  CHECK(spool->append("one").value() == 1);
  CHECK(spool->append("two").value() == 2);
  CHECK(spool->append(std::string(100000, 'x')).value() == 3);
  spool->start();
  REQUIRE(spool->wait_until_drained(10s));
  const auto payloads = sink.get();
  REQUIRE(payloads.size() == 3);
  CHECK(payloads[0] == "one");
  CHECK(payloads[1] == "two");
  CHECK(payloads[2].size() == 100000);
  const SpoolStats stats = spool->stats();
  CHECK(stats.appended == 3);
  CHECK(stats.delivered == 3);
  CHECK(stats.pending == 0);
}

TEST_CASE("undelivered entries come back after a restart, delivered ones do not") {
  TempDir dir;
  {
    Sink sink;
    auto spool = open_spool(dir, sink.deliver());
    spool->append("delivered-before");
    spool->start();
    REQUIRE(spool->wait_until_drained(10s));
    spool->stop();
    spool->append("pending-1");
    spool->append("pending-2");
  }
  Sink sink;
  auto spool = open_spool(dir, sink.deliver());
  CHECK(spool->stats().recovered == 2);
  CHECK(spool->append("new").value() == 4);  // sequence numbers keep growing
  spool->start();
  REQUIRE(spool->wait_until_drained(10s));
  CHECK(sink.get() == std::vector<std::string>{"pending-1", "pending-2", "new"});
}

TEST_CASE("a torn or corrupted tail is detected, skipped and cut off") {
  TempDir dir;
  {
    auto spool = open_spool(dir, [](std::string_view) {});
    spool->append("good-1");
    spool->append("good-2");
  }
  const auto good_size = journal_size(dir);
  SECTION("half-written record") {
    std::ofstream out(dir.path / "journal.pcs", std::ios::binary | std::ios::app);
    out.write("PCJ1\x03\x00\x00", 7);  // the start of a header, then the crash
  }
  SECTION("checksum mismatch in the last record") {
    std::fstream f(dir.path / "journal.pcs", std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(static_cast<std::streamoff>(good_size - 1));
    f.put('X');  // flips the last payload byte of good-2
  }
  SECTION("length pointing past the end") {
    std::ofstream out(dir.path / "journal.pcs", std::ios::binary | std::ios::app);
    const char header[20] = {'P', 'C', 'J', '1', 3, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0};
    out.write(header, sizeof header);
    out.write("short", 5);
  }
  Sink sink;
  auto spool = open_spool(dir, sink.deliver());
  const SpoolStats stats = spool->stats();
  CHECK(stats.torn_records == 1);
  CHECK(journal_size(dir) <= good_size);
  CHECK(spool->append("after").ok());
  spool->start();
  REQUIRE(spool->wait_until_drained(10s));
  const auto payloads = sink.get();
  REQUIRE(payloads.size() >= 2);
  CHECK(payloads.front() == "good-1");
  CHECK(payloads.back() == "after");
  for (const auto& p : payloads) CHECK(p != "good-2X");
}

TEST_CASE("kill -9 right after append() returned loses nothing") {
  TempDir dir;
  std::filesystem::create_directories(dir.path);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // The child stands for a receiver that answered 200 and was killed at once.
    auto spool = Spool::open(options_for(dir), [](std::string_view) {});
    if (!spool || !(*spool)->append("acknowledged-push").ok()) ::_exit(3);
    ::kill(::getpid(), SIGKILL);
    ::_exit(4);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);

  Sink sink;
  auto spool = open_spool(dir, sink.deliver());
  CHECK(spool->stats().recovered == 1);
  spool->start();
  REQUIRE(spool->wait_until_drained(10s));
  CHECK(sink.get() == std::vector<std::string>{"acknowledged-push"});
}

TEST_CASE("failed deliveries are retried with backoff until they succeed") {
  TempDir dir;
  std::atomic<int> attempts{0};
  auto spool = open_spool(dir, [&](std::string_view) {
    if (attempts.fetch_add(1) < 3) throw std::runtime_error("handler down");
  });
  spool->append("retry-me");
  spool->start();
  REQUIRE(spool->wait_until_drained(10s));
  CHECK(attempts.load() == 4);
  CHECK(spool->stats().failed_attempts == 3);
  CHECK(spool->stats().delivered == 1);
}

TEST_CASE("max_attempts gives an entry up and reports it") {
  TempDir dir;
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<std::string> given_up;
  SpoolOptions options = options_for(dir);
  options.max_attempts = 2;
  options.on_give_up = [&](std::uint64_t, std::string_view payload) {
    std::lock_guard<std::mutex> lock(mutex);
    given_up.emplace_back(payload);
    cv.notify_all();
  };
  auto spool = Spool::open(options, [](std::string_view) { throw std::runtime_error("never"); }).value();
  spool->append("poison");
  spool->start();
  std::unique_lock<std::mutex> lock(mutex);
  REQUIRE(cv.wait_for(lock, 10s, [&] { return !given_up.empty(); }));
  CHECK(given_up == std::vector<std::string>{"poison"});
  lock.unlock();
  REQUIRE(spool->wait_until_drained(10s));
  CHECK(spool->stats().given_up == 1);
}

TEST_CASE("compaction keeps the journal small and loses no pending entry") {
  TempDir dir;
  SpoolOptions options = options_for(dir);
  options.compact_threshold_bytes = 2048;
  std::atomic<bool> accept{true};
  Sink sink;
  auto spool = Spool::open(options, [&](std::string_view payload) {
                 if (!accept.load() && payload == std::string_view("keep-pending")) {
                   throw std::runtime_error("not yet");
                 }
                 sink.deliver()(payload);
               }).value();
  accept = false;
  spool->append("keep-pending");
  for (int i = 0; i < 100; ++i) spool->append(std::string(100, static_cast<char>('a' + i % 26)));
  spool->start();
  // Everything but keep-pending gets delivered; it keeps failing meanwhile.
  REQUIRE(sink.wait_for(100, 10s));
  spool->stop();  // the worker finishes the iteration (done mark, compaction) it is in
  CHECK(sink.get().size() == 100);
  const SpoolStats stats = spool->stats();
  CHECK(stats.compactions >= 1);
  CHECK(stats.journal_bytes < 2048);
  CHECK(stats.pending == 1);
  spool.reset();
  // After a restart only the pending entry is there.
  Sink after;
  auto reopened = open_spool(dir, after.deliver());
  CHECK(reopened->stats().recovered == 1);
  reopened->start();
  REQUIRE(reopened->wait_until_drained(10s));
  CHECK(after.get() == std::vector<std::string>{"keep-pending"});
}

TEST_CASE("compaction never drops a record that is on disk but not yet queued") {
  // An appender whose record another appender's fdatasync covered wakes up durable, and the
  // worker may take the lock before it queues the record. The hook holds an appender at that
  // point while the worker finishes a delivery, which is where it compacts.
  TempDir dir;
  SpoolOptions options = options_for(dir);
  options.compact_threshold_bytes = 256;
  std::promise<void> entered, release;
  std::shared_future<void> released = release.get_future().share();
  Sink sink;
  auto spool = Spool::open(options, [&, released](std::string_view payload) {
                 if (payload.size() == 1000) {
                   entered.set_value();
                   released.wait();
                 }
                 sink.deliver()(payload);
               }).value();
  spool->append(std::string(1000, 'x'));  // past the threshold, and delivered: compactable
  spool->start();
  entered.get_future().wait();
  const QueueHook hook([&] {
    release.set_value();
    // stats() takes the worker's lock: once it shows the delivery, the worker has also
    // decided whether to compact.
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (spool->stats().delivered == 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(1ms);
    }
  });
  REQUIRE(spool->append("acknowledged").ok());
  CHECK(spool->wait_until_drained(2s));
  const auto payloads = sink.get();
  REQUIRE(payloads.size() == 2);
  CHECK(payloads[1] == "acknowledged");
}

TEST_CASE("concurrent appends are each delivered exactly once") {
  TempDir dir;
  Sink sink;
  auto spool = open_spool(dir, sink.deliver());
  spool->start();
  std::atomic<int> failed_appends{0};  // Catch2 assertions are not thread-safe
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        if (!spool->append("t" + std::to_string(t) + "-" + std::to_string(i)).ok()) {
          failed_appends.fetch_add(1);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(failed_appends.load() == 0);
  REQUIRE(spool->wait_until_drained(10s));
  const auto payloads = sink.get();
  CHECK(payloads.size() == 200);
  CHECK(std::set<std::string>(payloads.begin(), payloads.end()).size() == 200);
}

TEST_CASE("a full journal refuses appends instead of growing without bound") {
  TempDir dir;
  SpoolOptions options = options_for(dir);
  options.max_journal_bytes = 100;
  auto spool = Spool::open(options, [](std::string_view) {}).value();
  CHECK(spool->append(std::string(50, 'a')).ok());
  const auto refused = spool->append(std::string(50, 'b'));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().retryable);
  CHECK_FALSE(Spool::open(SpoolOptions{}, [](std::string_view) {}).ok());
}

TEST_CASE("a spool directory has one owner at a time") {
  TempDir dir;
  auto first = open_spool(dir, [](std::string_view) {});
  const auto second = Spool::open(options_for(dir), [](std::string_view) {});
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().message.find("already open") != std::string::npos);
  first.reset();
  CHECK(Spool::open(options_for(dir), [](std::string_view) {}).ok());
}

TEST_CASE("a spool directory keeps its one owner after a compaction") {
  TempDir dir;
  SpoolOptions options = options_for(dir);
  options.compact_threshold_bytes = 256;
  auto first = Spool::open(options, [](std::string_view) {}).value();
  first->append(std::string(1000, 'x'));
  first->start();
  REQUIRE(first->wait_until_drained(10s));
  REQUIRE(first->stats().compactions == 1);  // the journal file was replaced
  const auto second = Spool::open(options_for(dir), [](std::string_view) {});
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().message.find("already open") != std::string::npos);
}
