// `privacycall listen`'s LineWriter: lines from many threads, each whole, none lost, in each
// thread's order, and out of the writer before its write() returns.

#include <fcntl.h>
#include <limits.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <future>
#include <mutex>
#include <ostream>
#include <set>
#include <sstream>
#include <streambuf>
#include <string>
#include <thread>
#include <vector>

#include "line_writer.hpp"
#include "support/catch.hpp"

using privacycall::cli::LineWriter;

namespace {

// A stream's buffer that keeps what it received, readable from any thread while lines come.
class Received : public std::streambuf {
 public:
  std::string text() {
    std::lock_guard<std::mutex> lock(mutex_);
    return text_;
  }
  bool has_line(const std::string& line) {
    std::lock_guard<std::mutex> lock(mutex_);
    return lines_.count(line) == 1;
  }
  // While held, a write waits in here: the thread writing a batch stays inside the stream.
  void hold() {
    std::lock_guard<std::mutex> lock(mutex_);
    held_ = true;
  }
  void release() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      held_ = false;
    }
    changed_.notify_all();
  }
  void wait_until_a_write_is_held() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return waiting_ > 0; });
  }

 protected:
  std::streamsize xsputn(const char* data, std::streamsize size) override {
    std::unique_lock<std::mutex> lock(mutex_);
    ++waiting_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return !held_; });
    --waiting_;
    text_.append(data, static_cast<std::size_t>(size));
    // Whole lines only: a line cut across two writes would be a torn line.
    for (std::size_t end; (end = text_.find('\n', scanned_)) != std::string::npos; scanned_ = end + 1) {
      lines_.insert(text_.substr(scanned_, end - scanned_));
    }
    return size;
  }
  int_type overflow(int_type c) override {
    const char byte = traits_type::to_char_type(c);
    return c == traits_type::eof() ? c : (xsputn(&byte, 1), c);
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool held_ = false;
  int waiting_ = 0;
  std::string text_;
  std::size_t scanned_ = 0;
  std::multiset<std::string> lines_;
};

// A stream's buffer that writes to a file descriptor as it gets the text, counting its writes.
class FdBuffer : public std::streambuf {
 public:
  explicit FdBuffer(int fd) : fd_(fd) {}
  int writes() const { return writes_.load(); }

 protected:
  std::streamsize xsputn(const char* data, std::streamsize size) override {
    ++writes_;
    for (std::streamsize done = 0; done < size;) {
      const ssize_t written = ::write(fd_, data + done, static_cast<std::size_t>(size - done));
      if (written <= 0) return done;
      done += written;
    }
    return size;
  }
  int_type overflow(int_type c) override {
    const char byte = traits_type::to_char_type(c);
    return c == traits_type::eof() ? c : (xsputn(&byte, 1), c);
  }

 private:
  const int fd_;
  std::atomic<int> writes_{0};
};

// A pipe whose read end a thread drains into a string until every write end is closed.
class DrainedPipe {
 public:
  DrainedPipe() {
    REQUIRE(::pipe(fds_) == 0);
    reader_ = std::thread([this] {
      char chunk[4096];
      for (ssize_t got; (got = ::read(fds_[0], chunk, sizeof chunk)) > 0;) text_.append(chunk, static_cast<std::size_t>(got));
    });
  }
  ~DrainedPipe() {
    if (reader_.joinable()) text();
    ::close(fds_[0]);
  }
  int write_end() const { return fds_[1]; }
  // Closes the write end and returns all that was written.
  std::string text() {
    ::close(fds_[1]);
    reader_.join();
    return text_;
  }

 private:
  int fds_[2] = {-1, -1};
  std::thread reader_;
  std::string text_;
};

// Line `i` of thread `t`: of a length of its own, so that a torn line shows.
std::string line_of(int t, int i) {
  return "thread " + std::to_string(t) + " line " + std::to_string(i) + " " + std::string(static_cast<std::size_t>(t * 7), 'x');
}

// Checks `text`: "first", then line_of(t, i) for each of `threads` threads and `lines` lines,
// each whole, none missing, each thread's in its order.
void check_lines(const std::string& written, int threads, int lines) {
  std::istringstream text(written);
  std::string line;
  REQUIRE(std::getline(text, line));
  CHECK(line == "first");
  std::vector<int> next(static_cast<std::size_t>(threads), 0);
  int count = 0;
  while (std::getline(text, line)) {
    int t = -1, i = -1;
    REQUIRE(std::sscanf(line.c_str(), "thread %d line %d", &t, &i) == 2);
    REQUIRE(t >= 0);
    REQUIRE(t < threads);
    CHECK(line == line_of(t, next[static_cast<std::size_t>(t)]++));
    ++count;
  }
  CHECK(count == threads * lines);
}

}  // namespace

TEST_CASE("lines from many threads: each whole and out before write() returns, none lost, each thread's in order") {
  Received received;
  std::ostream out(&received);
  constexpr int kThreads = 8;
  constexpr int kLines = 400;
  std::vector<int> late(kThreads, 0);  // lines not in the stream when their write() returned
  {
    LineWriter writer(out);
    writer.start("first");
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&writer, &received, &late, t] {
        for (int i = 0; i < kLines; ++i) {
          const std::string line = line_of(t, i);
          writer.write(line);
          if (!received.has_line(line)) ++late[static_cast<std::size_t>(t)];
        }
      });
    }
    for (auto& thread : threads) thread.join();
  }
  CHECK(late == std::vector<int>(kThreads, 0));
  check_lines(received.text(), kThreads, kLines);
}

TEST_CASE("a write() while another thread writes a batch waits for its own line to be out") {
  Received received;
  std::ostream out(&received);
  LineWriter writer(out);
  writer.start("first");
  received.hold();
  std::thread first([&] { writer.write("a"); });
  received.wait_until_a_write_is_held();
  auto second = std::async(std::launch::async, [&] {
    writer.write("b");
    return received.has_line("b");
  });
  // "b" cannot be out while the batch before it is held in the stream: its write() cannot
  // return, however long this waits (the bound only keeps a broken writer from hanging here).
  CHECK(second.wait_for(std::chrono::milliseconds(200)) == std::future_status::timeout);
  received.release();
  CHECK(second.get());
  first.join();
  CHECK(received.text() == "first\na\nb\n");
}

TEST_CASE("a line written before start() follows the first line, and its write() returns once it is out") {
  Received received;
  std::ostream out(&received);
  LineWriter writer(out);
  std::thread early([&] {
    writer.write("early");
    CHECK(received.has_line("early"));
  });
  // start() writes whatever is queued by then: the early line is before or after it, never lost.
  writer.start("listening");
  early.join();
  CHECK(received.text().rfind("listening\n", 0) == 0);
  CHECK(received.text() == "listening\nearly\n");
}

TEST_CASE("what is queued when the writer goes is written, started or not") {
  Received received;
  std::ostream out(&received);
  {
    LineWriter writer(out);
    writer.start("first");
    writer.write("last");
  }
  CHECK(received.text() == "first\nlast\n");
  Received never_started;
  std::ostream quiet(&never_started);
  { LineWriter writer(quiet); }
  CHECK(never_started.text().empty());
}

TEST_CASE("into a pipe, each line after start() is one write(2) of its own: whole, none lost, in each thread's order") {
  DrainedPipe pipe;
  FdBuffer buffer(pipe.write_end());
  std::ostream out(&buffer);
  constexpr int kThreads = 8;
  constexpr int kLines = 400;  // more than the pipe holds: writers block on a full pipe too
  {
    LineWriter writer(out, pipe.write_end());
    writer.start("first");
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&writer, t] {
        for (int i = 0; i < kLines; ++i) writer.write(line_of(t, i));
      });
    }
    for (auto& thread : threads) thread.join();
  }
  CHECK(buffer.writes() == 1);  // the first line's batch; every other line bypassed the stream
  check_lines(pipe.text(), kThreads, kLines);
}

TEST_CASE("into a pipe, a line is in the pipe when write() returns, and one of PIPE_BUF bytes or more goes through the stream") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  REQUIRE(::fcntl(fds[0], F_SETFL, O_NONBLOCK) == 0);
  const auto read_all = [&fds] {
    std::string text;
    char chunk[4096];
    for (ssize_t got; (got = ::read(fds[0], chunk, sizeof chunk)) > 0;) text.append(chunk, static_cast<std::size_t>(got));
    return text;
  };
  FdBuffer buffer(fds[1]);
  std::ostream out(&buffer);
  {
    LineWriter writer(out, fds[1]);
    writer.start("first");
    CHECK(read_all() == "first\n");
    writer.write("short");
    CHECK(read_all() == "short\n");
    CHECK(buffer.writes() == 1);
    const std::string long_line(PIPE_BUF, 'l');  // with its newline, more than one atomic pipe write
    writer.write(long_line);
    CHECK(buffer.writes() == 2);
    CHECK(read_all() == long_line + "\n");
  }
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST_CASE("into a socket, whose writes may be cut, lines go through the stream") {
  int fds[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
  FdBuffer buffer(fds[0]);
  std::ostream out(&buffer);
  {
    LineWriter writer(out, fds[0]);
    writer.start("first");
    writer.write("second");
  }
  CHECK(buffer.writes() == 2);
  char text[32] = {};
  CHECK(::read(fds[1], text, sizeof text - 1) > 0);
  CHECK(std::string(text) == "first\nsecond\n");
  ::close(fds[0]);
  ::close(fds[1]);
}
