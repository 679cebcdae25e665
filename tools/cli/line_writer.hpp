#ifndef PRIVACYCALL_CLI_LINE_WRITER_HPP
#define PRIVACYCALL_CLI_LINE_WRITER_HPP

// Lines from many threads to one stream, each whole and in the order written, without a flush
// per line. write() returns once its line is out of the process (in the pipe or file), because
// `listen` acknowledges a push (the 200, or a spool's or queue's ack) when its handler returns:
// a line still queued in here when the process is killed would be a push the platform will not
// send again and nobody saw.
//
// There is no writer thread: a writer whose line is queued and finds nobody writing takes
// everything queued and hands it to the stream in one write and one flush, while the lines of
// other threads gather behind it for the next. A lone line is written by its own thread at
// once, without waking another; under load many lines share a system call.
//
// When the stream's file descriptor is known and is a pipe or a regular file, a line of less
// than PIPE_BUF bytes written after start() skips all that: its thread hands it to the kernel
// in one write(2) of its own, without a lock and without waiting for anyone. POSIX keeps such
// a write to a pipe whole among concurrent writers, and Linux serialises the writes through one
// open file's offset, so lines still never mix. Under load the batches cost more than they
// save: every waiting writer sleeps and is woken, two context switches a line.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <mutex>
#include <string>
#include <string_view>

namespace privacycall::cli {

class LineWriter {
 public:
  /// Lines queue up until start().
  explicit LineWriter(std::ostream& out);
  /// As above, where `fd` is the file descriptor `out` writes to (-1: none), for the lines that
  /// can go out with one write(2) each.
  LineWriter(std::ostream& out, int fd);
  /// Writes what is queued (started or not); write()s still waiting return.
  ~LineWriter();
  LineWriter(const LineWriter&) = delete;
  LineWriter& operator=(const LineWriter&) = delete;

  /// Writes `line` and a newline, returning once they were handed to the stream and flushed,
  /// or written to the file descriptor (before start(), that waits for start()). A slow
  /// reader slows the writers down rather than growing a queue without bound: a queue of
  /// kMaxQueuedBytes waits, and so does a write(2) into a full pipe.
  void write(std::string_view line);

  /// Writes `first_line`, then what was queued before, and returns once they are flushed;
  /// lines are written as they come from then on.
  void start(std::string_view first_line);

  static constexpr std::size_t kMaxQueuedBytes = std::size_t{4} << 20;

 private:
  // Writes everything queued; `lock` holds mutex_, and no other thread is writing.
  void write_queued(std::unique_lock<std::mutex>& lock);
  // Writes `line` and a newline with one write(2) to direct_fd_, if it can. False when the
  // line must go through the stream instead.
  bool write_direct(std::string_view line);

  std::ostream& out_;
  // The descriptor lines may be written to directly (a pipe or a regular file), or -1; lines
  // go there only once direct_ is set, after start() has written what was queued before.
  const int direct_fd_;
  std::atomic<bool> direct_{false};
  std::mutex mutex_;
  std::condition_variable room_;     // the queue was taken
  std::condition_variable written_;  // written_lines_ advanced, writing_ ended, or stopping
  std::uint64_t queued_lines_ = 0;   // lines ever queued
  std::uint64_t written_lines_ = 0;  // of those, the ones flushed to the stream
  std::string queued_;
  std::string batch_;  // what the writing thread writes; swapped with queued_, so both keep their capacity
  bool started_ = false;
  bool writing_ = false;  // a thread is writing a batch, outside the lock
  bool stopping_ = false;
};

}  // namespace privacycall::cli

#endif  // PRIVACYCALL_CLI_LINE_WRITER_HPP
