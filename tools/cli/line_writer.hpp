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
  /// Writes what is queued (started or not); write()s still waiting return.
  ~LineWriter();
  LineWriter(const LineWriter&) = delete;
  LineWriter& operator=(const LineWriter&) = delete;

  /// Writes `line` and a newline, returning once they were handed to the stream and flushed
  /// (before start(), that waits for start()). Waits while kMaxQueuedBytes are queued: a slow
  /// reader of the stream slows the writers down rather than growing the queue without bound.
  void write(std::string_view line);

  /// Writes `first_line`, then what was queued before, and returns once they are flushed;
  /// lines are written as they come from then on.
  void start(std::string_view first_line);

  static constexpr std::size_t kMaxQueuedBytes = std::size_t{4} << 20;

 private:
  // Writes everything queued; `lock` holds mutex_, and no other thread is writing.
  void write_queued(std::unique_lock<std::mutex>& lock);

  std::ostream& out_;
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
