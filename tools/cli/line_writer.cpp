#include "line_writer.hpp"

#include <ostream>

namespace privacycall::cli {

LineWriter::LineWriter(std::ostream& out) : out_(out) {}

LineWriter::~LineWriter() {
  std::unique_lock<std::mutex> lock(mutex_);
  stopping_ = true;
  room_.notify_all();
  written_.wait(lock, [this] { return !writing_; });
  write_queued(lock);
  written_.notify_all();
}

void LineWriter::write(std::string_view line) {
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
