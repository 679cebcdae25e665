#include "line_writer.hpp"

#include <ostream>

namespace privacycall::cli {

LineWriter::LineWriter(std::ostream& out) : out_(out), writer_([this] { run(); }) {}

LineWriter::~LineWriter() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  room_.notify_all();
  writer_.join();
  written_.notify_all();
}

void LineWriter::write(std::string_view line) {
  std::unique_lock<std::mutex> lock(mutex_);
  room_.wait(lock, [this] { return queued_.size() < kMaxQueuedBytes || stopping_; });
  queued_.append(line);
  queued_.push_back('\n');
  const std::uint64_t mine = ++queued_lines_;
  const bool wake = writer_idle_;
  writer_idle_ = false;
  if (wake) wake_.notify_one();
  written_.wait(lock, [&] { return written_lines_ >= mine || stopping_; });
}

void LineWriter::start(std::string_view first_line) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queued_.insert(0, std::string(first_line) + '\n');
    started_ = true;
  }
  wake_.notify_one();
}

void LineWriter::run() {
  std::string batch;  // swapped with the queue, so both keep their capacity
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    writer_idle_ = true;
    wake_.wait(lock, [this] { return stopping_ || (started_ && !queued_.empty()); });
    writer_idle_ = false;
    if (queued_.empty()) return;  // stopping, and all written
    batch.swap(queued_);
    const std::uint64_t taken = queued_lines_;
    lock.unlock();
    room_.notify_all();
    out_.write(batch.data(), static_cast<std::streamsize>(batch.size()));
    out_.flush();
    batch.clear();
    lock.lock();
    written_lines_ = taken;
    written_.notify_all();  // the writers of these lines; those queued meanwhile go next
  }
}

}  // namespace privacycall::cli
