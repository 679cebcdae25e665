#include <privacycall/webhook/spool.hpp>

#include "common/internal_export.hpp"
#include "webhook/log_internal.hpp"
#include "webhook/spool_internal.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN
namespace {

constexpr char kJournalMagic[4] = {'P', 'C', 'J', '1'};
constexpr char kDoneMagic[4] = {'P', 'C', 'D', '1'};
constexpr std::size_t kJournalHeader = 4 + 8 + 4 + 4;  // magic, seq, length, crc
constexpr std::size_t kDoneRecord = 4 + 8 + 4;         // magic, seq, crc
constexpr const char* kJournalName = "journal.pcs";
constexpr const char* kDoneName = "done.pcs";
constexpr const char* kCompactName = "journal.pcs.tmp";
constexpr const char* kLockName = "spool.lock";

// CRC-32 (IEEE 802.3, reflected), the checksum of zlib and PNG.
class Crc32 {
 public:
  Crc32() {
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      table_[i] = c;
    }
  }
  std::uint32_t update(std::uint32_t crc, const void* data, std::size_t size) const {
    const auto* p = static_cast<const unsigned char*>(data);
    crc = ~crc;
    for (std::size_t i = 0; i < size; ++i) crc = table_[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
    return ~crc;
  }

 private:
  std::array<std::uint32_t, 256> table_{};
};

const Crc32& crc32() {
  static const Crc32 instance;
  return instance;
}

void put_u32(unsigned char* out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<unsigned char>(v >> (8 * i));
}
void put_u64(unsigned char* out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<unsigned char>(v >> (8 * i));
}
std::uint32_t get_u32(const unsigned char* in) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | in[i];
  return v;
}
std::uint64_t get_u64(const unsigned char* in) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | in[i];
  return v;
}

// CRC of a journal record: seq and length bytes, then the payload.
std::uint32_t record_crc(const unsigned char* seq_and_length, const void* payload,
                         std::size_t size) {
  return crc32().update(crc32().update(0, seq_and_length, 12), payload, size);
}

Error io_error(std::string what, int err) {
  Error error;
  error.category = ErrorCategory::kTransport;
  error.message = "spool: " + what + ": " + std::strerror(err);
  error.retryable = true;
  return error;
}

bool pwrite_all(int fd, const void* data, std::size_t size, off_t offset) {
  const auto* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::pwrite(fd, p, size, offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += n;
    size -= static_cast<std::size_t>(n);
    offset += n;
  }
  return true;
}

// Reads exactly `size` bytes; false on error or end of file.
bool pread_all(int fd, void* data, std::size_t size, off_t offset) {
  auto* p = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t n = ::pread(fd, p, size, offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (n == 0) return false;
    p += n;
    size -= static_cast<std::size_t>(n);
    offset += n;
  }
  return true;
}

bool fsync_directory(const std::string& directory) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

std::uint64_t file_size(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return 0;
  return static_cast<std::uint64_t>(st.st_size);
}

std::function<void()>& queue_hook() {
  static std::function<void()> hook;
  return hook;
}

// Counts a scope in `count` for its lifetime, however it is left. The caller holds the mutex
// guarding `count` at both ends.
class ScopeCount {
 public:
  explicit ScopeCount(std::size_t& count) : count_(count) { ++count_; }
  ~ScopeCount() { --count_; }
  ScopeCount(const ScopeCount&) = delete;
  ScopeCount& operator=(const ScopeCount&) = delete;

 private:
  std::size_t& count_;
};

struct JournalRecord {
  std::uint64_t seq;
  std::uint64_t offset;  // of the header
  std::uint32_t length;  // of the payload
};

}  // namespace
PRIVACYCALL_INLINE_NAMESPACE_END

void internal::set_spool_queue_hook_for_testing(std::function<void()> hook) {
  queue_hook() = std::move(hook);
}

PRIVACYCALL_INLINE_NAMESPACE_BEGIN

struct PRIVACYCALL_HIDDEN Spool::Impl {
  using SteadyTime = std::chrono::steady_clock::time_point;

  struct Pending {
    std::uint64_t offset = 0;
    std::uint32_t length = 0;
    std::size_t attempts = 0;
    SteadyTime due{};
  };

  SpoolOptions options;
  Deliver deliver;
  std::string journal_path;
  std::string done_path;

  mutable std::mutex mutex;
  std::condition_variable work_cv;    // worker: new entry, stop
  std::condition_variable sync_cv;    // appenders: a group fsync finished
  std::condition_variable drained_cv; // wait_until_drained
  int lock_fd = -1;  // holds the directory's flock for the spool's lifetime
  int journal_fd = -1;
  int done_fd = -1;
  std::uint64_t journal_size = 0;
  std::uint64_t synced_size = 0;
  bool syncing = false;
  // append() calls between writing their record and queueing it. Their records are in the
  // journal but not in `pending`, which is all that compaction keeps.
  std::size_t unqueued_appends = 0;
  std::uint64_t done_size = 0;
  std::uint64_t next_seq = 1;
  std::map<std::uint64_t, Pending> pending;
  std::set<std::pair<SteadyTime, std::uint64_t>> schedule;
  std::uint64_t pending_bytes = 0;  // journal bytes of pending records
  SpoolStats stats;
  bool stopping = false;
  std::thread worker;

  ~Impl() {
    if (journal_fd >= 0) ::close(journal_fd);
    if (done_fd >= 0) ::close(done_fd);
    if (lock_fd >= 0) ::close(lock_fd);
  }

  void log(LogLevel level, const std::string& message) const {
    internal::emit(options.log, level, message);
  }

  // Reads valid journal records; truncates a torn tail. Called once, before any thread starts.
  std::optional<Error> recover_journal(std::vector<JournalRecord>& records) {
    const std::uint64_t size = file_size(journal_fd);
    std::uint64_t offset = 0;
    std::vector<unsigned char> payload;
    while (offset < size) {
      unsigned char header[kJournalHeader];
      bool valid = offset + kJournalHeader <= size &&
                   pread_all(journal_fd, header, kJournalHeader, static_cast<off_t>(offset)) &&
                   std::memcmp(header, kJournalMagic, 4) == 0;
      std::uint32_t length = 0;
      if (valid) {
        length = get_u32(header + 12);
        valid = length <= options.max_payload_bytes &&
                offset + kJournalHeader + length <= size;
      }
      if (valid) {
        payload.resize(length);
        valid = pread_all(journal_fd, payload.data(), length,
                          static_cast<off_t>(offset + kJournalHeader)) &&
                record_crc(header + 4, payload.data(), length) == get_u32(header + 16);
      }
      if (!valid) {
        ++stats.torn_records;
        log(LogLevel::kWarning, "spool: journal has a damaged record at byte " +
                                    std::to_string(offset) + " (torn write of a crash?); "
                                    "discarding " + std::to_string(size - offset) +
                                    " bytes from there");
        if (::ftruncate(journal_fd, static_cast<off_t>(offset)) != 0 ||
            ::fdatasync(journal_fd) != 0) {
          return io_error("cannot truncate the damaged journal tail", errno);
        }
        break;
      }
      records.push_back({get_u64(header + 4), offset, length});
      offset += kJournalHeader + length;
    }
    journal_size = synced_size = offset;
    return std::nullopt;
  }

  std::optional<Error> recover_done(std::unordered_set<std::uint64_t>& done) {
    const std::uint64_t size = file_size(done_fd);
    std::uint64_t offset = 0;
    while (offset < size) {
      unsigned char record[kDoneRecord];
      const bool valid =
          offset + kDoneRecord <= size &&
          pread_all(done_fd, record, kDoneRecord, static_cast<off_t>(offset)) &&
          std::memcmp(record, kDoneMagic, 4) == 0 &&
          crc32().update(0, record + 4, 8) == get_u32(record + 12);
      if (!valid) {
        ++stats.torn_records;
        log(LogLevel::kWarning, "spool: done file has a damaged record at byte " +
                                    std::to_string(offset) + "; discarding the rest");
        if (::ftruncate(done_fd, static_cast<off_t>(offset)) != 0) {
          return io_error("cannot truncate the damaged done-file tail", errno);
        }
        break;
      }
      const std::uint64_t seq = get_u64(record + 4);
      done.insert(seq);
      next_seq = std::max(next_seq, seq + 1);
      offset += kDoneRecord;
    }
    done_size = offset;
    return std::nullopt;
  }

  void enqueue(std::uint64_t seq, std::uint64_t offset, std::uint32_t length, SteadyTime due) {
    Pending& p = pending[seq];
    p.offset = offset;
    p.length = length;
    p.due = due;
    schedule.emplace(due, seq);
    pending_bytes += kJournalHeader + length;
  }

  void forget(std::uint64_t seq) {
    const auto it = pending.find(seq);
    if (it == pending.end()) return;
    schedule.erase({it->second.due, seq});
    pending_bytes -= kJournalHeader + it->second.length;
    pending.erase(it);
    if (pending.empty()) drained_cv.notify_all();
  }

  // Appends a done mark. Not fsync'ed (see the file comment): losing it only repeats a delivery.
  void mark_done(std::uint64_t seq) {
    unsigned char record[kDoneRecord];
    std::memcpy(record, kDoneMagic, 4);
    put_u64(record + 4, seq);
    put_u32(record + 12, crc32().update(0, record + 4, 8));
    if (pwrite_all(done_fd, record, kDoneRecord, static_cast<off_t>(done_size))) {
      done_size += kDoneRecord;
    } else {
      log(LogLevel::kError, std::string("spool: cannot write a done mark (the entry will be "
                                        "delivered again after a restart): ") +
                                std::strerror(errno));
    }
  }

  // Rewrites the journal with only pending records once most of it is delivered.
  void maybe_compact(std::unique_lock<std::mutex>& lock) {
    (void)lock;
    if (journal_size < options.compact_threshold_bytes || pending_bytes * 2 > journal_size) {
      return;
    }
    // Records of appends under way are not in `pending` yet (one may even be fsync'ing
    // journal_fd): never compact under them. Being synced is not enough: an appender whose
    // record another appender's fdatasync covered queues it only once it has the lock back.
    if (unqueued_appends != 0) return;
    const std::string tmp_path = options.directory + "/" + kCompactName;
    const int tmp = ::open(tmp_path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (tmp < 0) {
      log(LogLevel::kWarning, std::string("spool: compaction skipped: ") + std::strerror(errno));
      return;
    }
    std::uint64_t out = 0;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> moved;  // seq, new offset
    std::vector<unsigned char> buffer;
    bool ok = true;
    for (const auto& [seq, p] : pending) {
      buffer.resize(kJournalHeader + p.length);
      ok = pread_all(journal_fd, buffer.data(), buffer.size(), static_cast<off_t>(p.offset)) &&
           pwrite_all(tmp, buffer.data(), buffer.size(), static_cast<off_t>(out));
      if (!ok) break;
      moved.emplace_back(seq, out);
      out += buffer.size();
    }
    ok = ok && ::fdatasync(tmp) == 0 && ::rename(tmp_path.c_str(), journal_path.c_str()) == 0 &&
         fsync_directory(options.directory);
    if (!ok) {
      log(LogLevel::kWarning, std::string("spool: compaction failed: ") + std::strerror(errno));
      ::close(tmp);
      ::unlink(tmp_path.c_str());
      return;
    }
    ::close(journal_fd);
    journal_fd = tmp;
    journal_size = synced_size = out;
    for (const auto& [seq, offset] : moved) pending[seq].offset = offset;
    // Marks of sequence numbers no longer in the journal are dead weight now.
    if (::ftruncate(done_fd, 0) == 0) done_size = 0;
    ++stats.compactions;
  }

  std::chrono::milliseconds backoff(std::size_t attempts) const {
    std::chrono::milliseconds delay = options.initial_backoff;
    for (std::size_t i = 1; i < attempts && delay < options.max_backoff; ++i) delay *= 2;
    return std::min(delay, options.max_backoff);
  }

  void run() {
    std::unique_lock<std::mutex> lock(mutex);
    while (!stopping) {
      if (schedule.empty()) {
        work_cv.wait(lock);
        continue;
      }
      const auto [due, seq] = *schedule.begin();
      if (due > std::chrono::steady_clock::now()) {
        work_cv.wait_until(lock, due);
        continue;
      }
      Pending& entry = pending[seq];
      std::string payload(entry.length, '\0');
      if (!pread_all(journal_fd, payload.data(), payload.size(),
                     static_cast<off_t>(entry.offset + kJournalHeader))) {
        log(LogLevel::kError, std::string("spool: cannot read entry ") + std::to_string(seq) +
                                  ": " + std::strerror(errno));
        reschedule(seq, lock);
        continue;
      }
      lock.unlock();
      bool delivered = false;
      std::string failure;
      try {
        deliver(payload);
        delivered = true;
      } catch (const std::exception& e) {
        failure = e.what();
      } catch (...) {
        failure = "unknown exception";
      }
      lock.lock();
      if (delivered) {
        mark_done(seq);
        forget(seq);
        ++stats.delivered;
      } else {
        ++stats.failed_attempts;
        log(LogLevel::kError, "spool: delivering entry " + std::to_string(seq) +
                                  " failed (will retry): " + failure);
        reschedule(seq, lock);
        if (pending.count(seq) == 0) {
          // Given up inside reschedule(); hand the payload to the application outside the lock.
          if (options.on_give_up) {
            lock.unlock();
            try {
              options.on_give_up(seq, payload);
            } catch (...) {
              log(LogLevel::kError, "spool: on_give_up threw");
            }
            lock.lock();
          }
        }
      }
      maybe_compact(lock);
    }
  }

  void reschedule(std::uint64_t seq, std::unique_lock<std::mutex>& lock) {
    (void)lock;
    Pending& entry = pending[seq];
    ++entry.attempts;
    if (options.max_attempts != 0 && entry.attempts >= options.max_attempts) {
      log(LogLevel::kError, "spool: giving up on entry " + std::to_string(seq) + " after " +
                                std::to_string(entry.attempts) + " attempts");
      ++stats.given_up;
      mark_done(seq);
      forget(seq);
      return;
    }
    schedule.erase({entry.due, seq});
    entry.due = std::chrono::steady_clock::now() + backoff(entry.attempts);
    schedule.emplace(entry.due, seq);
  }
};

Spool::Spool(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Spool::~Spool() { stop(); }

Result<std::unique_ptr<Spool>> Spool::open(SpoolOptions options, Deliver deliver) {
  if (!deliver) {
    Error error;
    error.category = ErrorCategory::kValidation;
    error.message = "spool: a delivery function is required";
    return error;
  }
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->deliver = std::move(deliver);
  const std::string& dir = impl->options.directory;
  if (dir.empty()) {
    Error error;
    error.category = ErrorCategory::kValidation;
    error.message = "spool: SpoolOptions::directory is empty";
    return error;
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return io_error("cannot create " + dir, ec.value());
  // Two spools appending to one journal would interleave records: one owner per directory.
  // The lock is on a file of its own because compaction replaces the journal file, which
  // would drop a lock held on it. It dies with the process: a crash never leaves it locked.
  const std::string lock_path = dir + "/" + kLockName;
  impl->lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (impl->lock_fd < 0) return io_error("cannot open " + lock_path, errno);
  if (::flock(impl->lock_fd, LOCK_EX | LOCK_NB) != 0) {
    return io_error("the spool in " + dir + " is already open", errno);
  }
  impl->journal_path = dir + "/" + kJournalName;
  impl->done_path = dir + "/" + kDoneName;
  impl->journal_fd = ::open(impl->journal_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (impl->journal_fd < 0) return io_error("cannot open " + impl->journal_path, errno);
  impl->done_fd = ::open(impl->done_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (impl->done_fd < 0) return io_error("cannot open " + impl->done_path, errno);
  // Make the files' existence durable too.
  if (!fsync_directory(dir)) return io_error("cannot fsync " + dir, errno);
  ::unlink((dir + "/" + kCompactName).c_str());  // leftover of a compaction cut short

  std::vector<JournalRecord> records;
  if (std::optional<Error> error = impl->recover_journal(records)) return std::move(*error);
  std::unordered_set<std::uint64_t> done;
  if (std::optional<Error> error = impl->recover_done(done)) return std::move(*error);
  const auto now = std::chrono::steady_clock::now();
  for (const JournalRecord& r : records) {
    impl->next_seq = std::max(impl->next_seq, r.seq + 1);
    if (done.count(r.seq) == 0) impl->enqueue(r.seq, r.offset, r.length, now);
  }
  impl->stats.recovered = impl->pending.size();
  if (!impl->pending.empty()) {
    impl->log(LogLevel::kInfo, "spool: " + std::to_string(impl->pending.size()) +
                                   " undelivered entries recovered");
  }
  return std::unique_ptr<Spool>(new Spool(std::move(impl)));
}

Result<std::uint64_t> Spool::append(std::string_view payload) {
  Impl& s = *impl_;
  if (payload.size() > s.options.max_payload_bytes) {
    Error error;
    error.category = ErrorCategory::kValidation;
    error.message = "spool: payload larger than max_payload_bytes";
    return error;
  }
  std::vector<unsigned char> record(kJournalHeader + payload.size());
  std::unique_lock<std::mutex> lock(s.mutex);
  if (s.journal_size + record.size() > s.options.max_journal_bytes) {
    Error error;
    error.category = ErrorCategory::kTransport;
    error.message = "spool: journal full (max_journal_bytes reached)";
    error.retryable = true;
    return error;
  }
  const std::uint64_t seq = s.next_seq++;
  std::memcpy(record.data(), kJournalMagic, 4);
  put_u64(record.data() + 4, seq);
  put_u32(record.data() + 12, static_cast<std::uint32_t>(payload.size()));
  put_u32(record.data() + 16, record_crc(record.data() + 4, payload.data(), payload.size()));
  std::memcpy(record.data() + kJournalHeader, payload.data(), payload.size());
  const std::uint64_t offset = s.journal_size;
  if (!pwrite_all(s.journal_fd, record.data(), record.size(), static_cast<off_t>(offset))) {
    const int err = errno;
    // Cut a partial write off so the journal stays a clean sequence of records.
    if (::ftruncate(s.journal_fd, static_cast<off_t>(offset)) != 0) {
      s.log(LogLevel::kError, "spool: cannot cut a partial write off the journal");
    }
    return io_error("cannot write the journal", err);
  }
  s.journal_size += record.size();
  const ScopeCount unqueued(s.unqueued_appends);
  const std::uint64_t end = s.journal_size;

  // Group commit: one fdatasync covers every record written before it started.
  while (s.synced_size < end) {
    if (s.syncing) {
      s.sync_cv.wait(lock);
      continue;
    }
    s.syncing = true;
    const std::uint64_t target = s.journal_size;
    const int fd = s.journal_fd;
    lock.unlock();
    const int rc = ::fdatasync(fd);
    const int err = errno;
    lock.lock();
    s.syncing = false;
    s.sync_cv.notify_all();
    if (rc != 0) return io_error("cannot fsync the journal", err);
    s.synced_size = std::max(s.synced_size, target);
  }
  if (const std::function<void()>& hook = queue_hook()) {
    lock.unlock();
    hook();
    lock.lock();
  }
  s.enqueue(seq, offset, static_cast<std::uint32_t>(payload.size()),
            std::chrono::steady_clock::now());
  ++s.stats.appended;
  s.work_cv.notify_one();
  return seq;
}

void Spool::start() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  if (impl_->worker.joinable()) return;
  impl_->stopping = false;
  impl_->worker = std::thread([this] { impl_->run(); });
}

void Spool::stop() {
  std::thread worker;
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->stopping = true;
    impl_->work_cv.notify_all();
    worker = std::move(impl_->worker);
  }
  if (worker.joinable()) worker.join();
}

bool Spool::wait_until_drained(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(impl_->mutex);
  return impl_->drained_cv.wait_for(lock, timeout, [&] { return impl_->pending.empty(); });
}

SpoolStats Spool::stats() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  SpoolStats stats = impl_->stats;
  stats.pending = impl_->pending.size();
  stats.journal_bytes = impl_->journal_size;
  return stats;
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook
