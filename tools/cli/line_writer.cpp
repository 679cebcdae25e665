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
}

void LineWriter::write(std::string_view line) {
  std::unique_lock<std::mutex> lock(mutex_);
  room_.wait(lock, [this] { return queued_.size() < kMaxQueuedBytes || stopping_; });
  queued_.append(line);
  queued_.push_back('\n');
  const bool wake = writer_idle_;
  writer_idle_ = false;
  lock.unlock();
  if (wake) wake_.notify_one();
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
    lock.unlock();
    room_.notify_all();
    out_.write(batch.data(), static_cast<std::streamsize>(batch.size()));
    out_.flush();
    batch.clear();
    lock.lock();
    // Lets the next lines gather before they are written: under load a wake of this thread
    // and a write per line would cost about as much as making the line. A line that comes
    // alone still waits at most kGather.
    wake_.wait_for(lock, kGather, [this] { return stopping_; });
  }
}

}  // namespace privacycall::cli
