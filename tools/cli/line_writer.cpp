#include "line_writer.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <ostream>

namespace privacycall::cli {
namespace {

// `fd` when it is a pipe (or FIFO) or a regular file: where one write(2) keeps a line whole
// among concurrent writers. -1 otherwise (a terminal or a socket make no such promise).
int whole_line_fd(int fd) {
  struct stat status {};
  if (fd < 0 || ::fstat(fd, &status) != 0) return -1;
  return S_ISFIFO(status.st_mode) || S_ISREG(status.st_mode) ? fd : -1;
}

}  // namespace

LineWriter::LineWriter(std::ostream& out) : LineWriter(out, -1) {}

LineWriter::LineWriter(std::ostream& out, int fd) : out_(out), direct_fd_(whole_line_fd(fd)) {}

LineWriter::~LineWriter() {
  std::unique_lock<std::mutex> lock(mutex_);
  stopping_ = true;
  room_.notify_all();
  written_.wait(lock, [this] { return !writing_; });
  write_queued(lock);
  written_.notify_all();
}

bool LineWriter::write_direct(std::string_view line) {
  if (line.size() >= PIPE_BUF || !direct_.load(std::memory_order_acquire)) return false;
  thread_local std::string text;  // the line and its newline: one write, one piece
  text.assign(line);
  text.push_back('\n');
  const char* next = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t written = ::write(direct_fd_, next, left);
    if (written < 0 && errno == EINTR) continue;
    // The reader is gone or the disk is full: the line is lost as it would be in the stream,
    // whose error state makes its writes do nothing.
    if (written <= 0) break;
    next += written;
    left -= static_cast<std::size_t>(written);
  }
  return true;
}

void LineWriter::write(std::string_view line) {
  if (write_direct(line)) return;
  std::unique_lock<std::mutex> lock(mutex_);
  room_.wait(lock, [this] { return queued_.size() < kMaxQueuedBytes || stopping_; });
  queued_.append(line);
  queued_.push_back('\n');
  const std::uint64_t mine = ++queued_lines_;
  while (written_lines_ < mine && !stopping_) {
    if (started_ && !writing_) {
      write_queued(lock);  // this line and those queued before it, which wait on another batch
    } else {
      written_.wait(lock);
    }
  }
}

void LineWriter::start(std::string_view first_line) {
  std::unique_lock<std::mutex> lock(mutex_);
  queued_.insert(0, std::string(first_line) + '\n');
  started_ = true;
  written_.wait(lock, [this] { return !writing_; });  // nobody writes before start(): no wait
  write_queued(lock);
  // What went before is flushed out of the stream: lines may now bypass it.
  if (direct_fd_ >= 0) direct_.store(true, std::memory_order_release);
}

void LineWriter::write_queued(std::unique_lock<std::mutex>& lock) {
  if (queued_.empty()) return;
  writing_ = true;
  batch_.swap(queued_);
  const std::uint64_t taken = queued_lines_;
  lock.unlock();
  room_.notify_all();
  out_.write(batch_.data(), static_cast<std::streamsize>(batch_.size()));
  out_.flush();
  batch_.clear();
  lock.lock();
  writing_ = false;
  written_lines_ = taken;
  written_.notify_all();  // the writers of these lines; of those queued meanwhile, one writes next
}

}  // namespace privacycall::cli
