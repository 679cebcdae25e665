#ifndef PRIVACYCALL_CLI_LINE_WRITER_HPP
#define PRIVACYCALL_CLI_LINE_WRITER_HPP

// Lines from many threads to one stream, each whole and in the order written, without a flush
// per line. A writer thread takes everything queued at once and hands it to the stream in one
// write and one flush: under load many lines share a system call and a wake of the writer.
// write() returns once its line is out of the process (in the pipe or file), because `listen`
// acknowledges a push (the 200, or a spool's or queue's ack) when its handler returns: a line
// still queued in here when the process is killed would be a push the platform will not send
// again and nobody saw.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace privacycall::cli {

class LineWriter {
 public:
  /// Lines queue up until start().
  explicit LineWriter(std::ostream& out);
  /// Writes what is queued (started or not), then stops.
  ~LineWriter();
  LineWriter(const LineWriter&) = delete;
  LineWriter& operator=(const LineWriter&) = delete;

  /// Writes `line` and a newline, returning once they were handed to the stream and flushed
  /// (before start(), that waits for start()). Waits while kMaxQueuedBytes are queued: a slow
  /// reader of the stream slows the writers down rather than growing the queue without bound.
  void write(std::string_view line);

  /// Writes `first_line` ahead of everything queued so far, then writes as lines come.
  void start(std::string_view first_line);

  static constexpr std::size_t kMaxQueuedBytes = std::size_t{4} << 20;

 private:
  void run();

  std::ostream& out_;
  std::mutex mutex_;
  std::condition_variable wake_;  // lines to write, or stopping
  std::condition_variable room_;  // the queue drained
  std::condition_variable written_;  // written_lines_ advanced, or stopping
  std::uint64_t queued_lines_ = 0;   // lines ever queued
  std::uint64_t written_lines_ = 0;  // of those, the ones flushed to the stream
  std::string queued_;
  bool started_ = false;
  bool stopping_ = false;
  bool writer_idle_ = false;  // waiting for lines: the next write() wakes it
  std::thread writer_;
};

}  // namespace privacycall::cli

#endif  // PRIVACYCALL_CLI_LINE_WRITER_HPP
