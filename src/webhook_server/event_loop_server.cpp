#include "webhook_server/event_loop_server.hpp"

#include "common/text.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <vector>

namespace privacycall::webhook::internal {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::uint64_t kStopEvent = 0;   // epoll data of the eventfd that wakes every worker
constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::size_t kWriteFlushAt = 64 * 1024;
constexpr std::size_t kUnlimited = static_cast<std::size_t>(-1);
// How long a connection closing after its answer goes on reading, and dropping, what the client
// still sends. Closing a socket with input unread sends an RST, which can destroy the answer
// before the client reads it: a client sending a large body reads the answer (a 413, say) only
// once it has sent everything.
constexpr auto kLingerTime = std::chrono::seconds(2);
// What a lingering connection may read per turn on a worker, so a fast sender holds none.
constexpr int kLingerReadsPerTurn = 4;

int to_poll_ms(std::chrono::microseconds timeout) {
  return static_cast<int>(std::max<std::int64_t>(1, (timeout.count() + 999) / 1000));
}

using privacycall::internal::iequals;
using privacycall::internal::trim;

void address_of(int fd, bool peer, std::string& ip, int& port) {
  sockaddr_storage addr{};
  socklen_t length = sizeof addr;
  const int rc = peer ? ::getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &length)
                      : ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
  ip.clear();
  port = 0;
  if (rc != 0) return;
  char text[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&addr);
    ::inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
    port = ntohs(v4->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&addr);
    ::inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
    port = ntohs(v6->sin6_port);
  }
  ip = text;
}

// The inline queue the library's accept loop hands each new socket to: registering it with
// epoll is all there is to do, and the workers are this server's own.
class InlineTaskQueue final : public httplib::TaskQueue {
 public:
  void enqueue(std::function<void()> fn) override { fn(); }
  void shutdown() override {}
};

// One client connection. Owned by the registry; touched by one worker at a time (epoll's
// one-shot arming hands it over, the registry's mutex orders the handover).
struct Connection {
  explicit Connection(std::atomic<std::size_t>& buffered_total) : buffered(buffered_total) {}
  ~Connection() { release_input(); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  std::uint64_t id = 0;
  int fd = -1;
  bool serving = false;  // a worker holds it; otherwise it waits in epoll
  Clock::time_point deadline;

  // Received bytes not yet consumed: input[begin, end) of a buffer of `capacity` bytes,
  // allocated uninitialised (a read never pays for zero-filling) and freed whenever the
  // connection idles, so that idle connections hold no buffer.
  std::unique_ptr<char[]> input;
  std::size_t capacity = 0;
  std::size_t begin = 0;
  std::size_t end = 0;
  std::atomic<std::size_t>& buffered;  // unread bytes held by all connections of the server
  std::size_t head_scanned = 0;     // bytes after `begin` already searched for the head's end
  Clock::time_point partial_since;  // when the first byte of the pending request came
  bool peer_closed = false;
  bool lingering = false;  // answered and shut for writing: input is dropped until EOF or deadline

  std::string output;
  bool write_failed = false;
  std::size_t requests = 0;
  bool close_after_answer = false;

  bool address_known = false;
  std::string remote_ip, local_ip;
  int remote_port = 0, local_port = 0;

  std::size_t unread() const { return end - begin; }
  std::string_view pending() const { return {input.get() + begin, unread()}; }
  char* free_space() { return input.get() + end; }
  std::size_t free_bytes() const { return capacity - end; }

  // At least `bytes` of free space after the unread input.
  void make_room(std::size_t bytes) {
    if (begin == end) begin = end = 0;
    if (capacity - end >= bytes) return;
    if (begin > 0) {
      std::memmove(input.get(), input.get() + begin, unread());
      end -= begin;
      begin = 0;
    }
    if (capacity - end >= bytes) return;
    const std::size_t grown = std::max(end + bytes, capacity * 2);
    std::unique_ptr<char[]> larger(new char[grown]);
    if (end > 0) std::memcpy(larger.get(), input.get(), end);
    input = std::move(larger);
    capacity = grown;
  }

  void received(std::size_t bytes) {
    end += bytes;
    buffered.fetch_add(bytes, std::memory_order_relaxed);
  }

  void consume(std::size_t bytes) {
    begin += bytes;
    head_scanned = 0;
    buffered.fetch_sub(bytes, std::memory_order_relaxed);
    if (begin == end) begin = end = 0;
  }

  void release_input() {
    buffered.fetch_sub(unread(), std::memory_order_relaxed);
    input.reset();
    capacity = begin = end = 0;
  }
};

thread_local Connection* current_connection = nullptr;

// cpp-httplib's view of a connection: reads come from the connection's buffer (a request is
// normally buffered whole before it is served), writes are gathered and sent in one go.
class ConnectionStream final : public httplib::Stream {
 public:
  // Reads from the socket end at `read_deadline`: the whole request must have arrived by then,
  // however slowly its bytes trickle in.
  ConnectionStream(Connection& connection, std::size_t read_limit, Clock::time_point read_deadline,
                   std::chrono::microseconds write_timeout)
      : c_(connection), read_limit_(read_limit), read_deadline_(read_deadline), write_timeout_(write_timeout) {}

  bool is_readable() const override { return c_.unread() > 0 || wait_readable(); }
  bool is_writable() const override { return !c_.write_failed; }

  ssize_t read(char* ptr, std::size_t size) override {
    if (limited_ && consumed_ >= read_limit_) {
      read_past_limit_ = true;
      return 0;
    }
    if (c_.unread() == 0) {
      if (limited_ || c_.peer_closed) return 0;
      // The rest of a body that was not buffered first (chunked, or after 100 Continue, which
      // must reach the client before it sends the body).
      if (!c_.output.empty() && !flush()) return -1;
      const ssize_t got = receive(kWait);
      if (got <= 0) return got < 0 ? -1 : 0;
    }
    std::size_t n = std::min(size, c_.unread());
    if (limited_) n = std::min(n, read_limit_ - consumed_);
    std::memcpy(ptr, c_.input.get() + c_.begin, n);
    c_.consume(n);
    consumed_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, std::size_t size) override {
    if (c_.write_failed) return -1;
    c_.output.append(ptr, size);
    if (c_.output.size() >= kWriteFlushAt && !flush()) return -1;
    return static_cast<ssize_t>(size);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    learn_addresses();
    ip = c_.remote_ip;
    port = c_.remote_port;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    learn_addresses();
    ip = c_.local_ip;
    port = c_.local_port;
  }
  socket_t socket() const override { return c_.fd; }

  // Sends what the handler wrote. False when the client does not take it within the write
  // timeout or has gone.
  bool flush() {
    std::size_t sent = 0;
    while (sent < c_.output.size() && !c_.write_failed) {
      const ssize_t n = ::send(c_.fd, c_.output.data() + sent, c_.output.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        sent += static_cast<std::size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && wait_for(POLLOUT, write_timeout_)) {
        continue;
      } else {
        c_.write_failed = true;
      }
    }
    c_.output.clear();
    return !c_.write_failed;
  }

  static constexpr bool kWait = true;
  static constexpr ssize_t kWouldBlock = -2;

  // Reads what the socket has into the connection's buffer; with `wait`, waits up to the read
  // timeout for the first byte. Bytes read, 0 at the end of the stream, kWouldBlock when
  // nothing is there and not waiting, -1 on error or timeout.
  ssize_t receive(bool wait) {
    ssize_t total = 0;
    while (true) {
      c_.make_room(kReadChunk);
      const std::size_t room = c_.free_bytes();
      const ssize_t n = ::recv(c_.fd, c_.free_space(), room, MSG_DONTWAIT);
      if (n > 0) {
        c_.received(static_cast<std::size_t>(n));
        total += n;
        if (static_cast<std::size_t>(n) < room) return total;
        continue;  // filled the room: there may be more
      }
      if (total > 0) return total;
      if (n == 0) {
        c_.peer_closed = true;
        return 0;
      }
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
      if (!wait) return kWouldBlock;
      if (!wait_readable()) return -1;
    }
  }

  std::size_t consumed() const { return consumed_; }
  // cpp-httplib wanted more than the framing gave it: it read the request differently.
  bool read_past_limit() const { return read_past_limit_; }

 private:
  bool wait_readable() const {
    const auto left = std::chrono::duration_cast<std::chrono::microseconds>(read_deadline_ - Clock::now());
    return left.count() > 0 && wait_for(POLLIN, left);
  }

  bool wait_for(short events, std::chrono::microseconds timeout) const {
    pollfd p{c_.fd, events, 0};
    int rc;
    do {
      rc = ::poll(&p, 1, to_poll_ms(timeout));
    } while (rc < 0 && errno == EINTR);
    return rc > 0 && (p.revents & (events | POLLHUP | POLLERR)) != 0;
  }

  void learn_addresses() const {
    if (c_.address_known) return;
    address_of(c_.fd, true, c_.remote_ip, c_.remote_port);
    address_of(c_.fd, false, c_.local_ip, c_.local_port);
    c_.address_known = true;
  }

  Connection& c_;
  std::size_t read_limit_;
  bool limited_ = read_limit_ != kUnlimited;
  std::size_t consumed_ = 0;
  bool read_past_limit_ = false;
  Clock::time_point read_deadline_;
  std::chrono::microseconds write_timeout_;
};

enum class Readiness {
  kIncomplete,     // wait for more bytes
  kComplete,       // the head and its Content-Length body (if any) are buffered
  kStreamBody,     // the head is buffered; the worker reads the body while serving
  kHeadOnly,       // the head is buffered; the declared body is over the limit or unreadable
  kHeadTooLarge,   // no end of head within max_head_bytes
};

struct Framing {
  Readiness readiness = Readiness::kIncomplete;
  std::size_t head_bytes = 0;
  // Head plus Content-Length body; 0 when the body has no length (chunked).
  std::size_t request_bytes = 0;
};

}  // namespace

struct EventLoopServer::Impl {
  EventLoopServer& server;
  EventLoopServerOptions options;
  int epoll_fd = -1;
  int stop_fd = -1;
  std::atomic<std::size_t> buffered{0};  // input bytes held by all connections

  std::once_flag started;
  std::vector<std::thread> workers;
  std::thread sweeper;

  std::mutex mutex;  // guards everything below and each connection's `serving`/`deadline`
  std::condition_variable sweeper_wake;
  std::atomic<bool> stopping{false};  // written under the mutex
  std::uint64_t next_id = 1;
  std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> connections;

  // Timeouts, read from the server's settings when the first connection comes (they are set
  // before listening).
  std::chrono::microseconds read_timeout{0};
  std::chrono::microseconds write_timeout{0};
  std::chrono::seconds keep_alive_timeout{0};

  Impl(EventLoopServer& owner, EventLoopServerOptions opts) : server(owner), options(std::move(opts)) {
    if (options.workers == 0) options.workers = 1;
    epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
    stop_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (epoll_fd < 0 || stop_fd < 0) throw std::system_error(errno, std::generic_category(), "epoll");
    epoll_event event{};
    event.events = EPOLLIN;  // level-triggered and never read: once signalled, wakes every worker
    event.data.u64 = kStopEvent;
    ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, stop_fd, &event);
  }

  ~Impl() {
    ::close(stop_fd);
    ::close(epoll_fd);
  }

  void start_threads() {
    read_timeout = std::chrono::seconds(server.read_timeout_sec_) + std::chrono::microseconds(server.read_timeout_usec_);
    write_timeout =
        std::chrono::seconds(server.write_timeout_sec_) + std::chrono::microseconds(server.write_timeout_usec_);
    keep_alive_timeout = std::chrono::seconds(server.keep_alive_timeout_sec_);
    for (std::size_t i = 0; i < options.workers; ++i) workers.emplace_back([this] { work(); });
    sweeper = std::thread([this] { sweep(); });
  }

  Clock::time_point request_deadline(const Connection& c) const {
    return c.partial_since + std::chrono::duration_cast<Clock::duration>(read_timeout);
  }

  void add(int fd) {
    const int flags = ::fcntl(fd, F_GETFL);
    ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    int yes = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    auto connection = std::make_unique<Connection>(buffered);
    connection->fd = fd;
    std::lock_guard<std::mutex> lock(mutex);
    if (stopping) {
      ::close(fd);
      return;
    }
    connection->id = next_id++;
    Connection& c = *connection;
    connections.emplace(c.id, std::move(connection));
    park(c, Clock::now() + keep_alive_timeout, EPOLL_CTL_ADD);
  }

  // Hands the connection back to epoll until its next bytes or the deadline. Mutex held.
  void park(Connection& c, Clock::time_point deadline, int op) {
    c.serving = false;
    c.deadline = deadline;
    epoll_event event{};
    event.events = EPOLLIN | EPOLLONESHOT;
    event.data.u64 = c.id;
    if (::epoll_ctl(epoll_fd, op, c.fd, &event) != 0) forget(c.id);
  }

  // Mutex held.
  void forget(std::uint64_t id) {
    const auto it = connections.find(id);
    if (it == connections.end()) return;
    ::close(it->second->fd);  // also removes it from the epoll set
    connections.erase(it);
  }

  void work() {
    epoll_event event{};
    while (true) {
      const int n = ::epoll_wait(epoll_fd, &event, 1, -1);
      if (n < 0 && errno != EINTR) return;
      if (n <= 0) continue;
      Connection* c = nullptr;
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (stopping) return;
        const auto it = connections.find(event.data.u64);
        if (it == connections.end() || it->second->serving) continue;  // closed meanwhile
        c = it->second.get();
        c->serving = true;
      }
      const std::uint64_t id = c->id;
      try {
        if (c->lingering) {
          drop_input(*c);
        } else {
          serve(*c);
        }
      } catch (...) {
        // Out of memory while buffering, most likely: this connection ends, the server goes on.
        std::lock_guard<std::mutex> lock(mutex);
        forget(id);
      }
    }
  }

  // Serves what the connection has: every complete request, then parks or closes it.
  void serve(Connection& c) {
    ConnectionStream io(c, kUnlimited, Clock::now(), write_timeout);
    if (c.unread() == 0) c.partial_since = Clock::now();
    if (io.receive(!ConnectionStream::kWait) == -1) return close(c);
    while (true) {
      const Framing framing = frame(c);
      if (framing.readiness == Readiness::kIncomplete) {
        // A request that is still incomplete at its deadline ends here; the sweeper leaves
        // connections with bytes waiting to the workers.
        if (c.peer_closed || Clock::now() >= request_deadline(c)) return close(c);
        return wait_again(c, c.unread() == 0 ? Clock::now() + keep_alive_timeout : request_deadline(c));
      }
      if (framing.readiness == Readiness::kHeadTooLarge) {
        c.output = "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        io.flush();
        if (options.on_refused) options.on_refused(431);
        return linger(c);
      }
      if (!answer(c, framing)) return linger(c);
      c.partial_since = Clock::now();
      if (c.unread() == 0 && !c.peer_closed) {
        c.release_input();  // an idle connection holds no buffer
        return wait_again(c, Clock::now() + keep_alive_timeout);
      }
    }
  }

  // Runs one request through cpp-httplib. True when the connection stays open.
  bool answer(Connection& c, const Framing& framing) {
    // A buffered request is read within its framing: should cpp-httplib read it differently
    // (it splits header lines at a bare LF, say), it meets the end of its input and answers
    // 400 at once instead of waiting on the socket for bytes the client never meant to send.
    const bool head_only = framing.readiness == Readiness::kHeadOnly;
    const std::size_t read_limit = head_only                                       ? framing.head_bytes
                                   : framing.readiness == Readiness::kComplete ? framing.request_bytes
                                                                                   : kUnlimited;
    ConnectionStream io(c, read_limit, request_deadline(c), write_timeout);
    // A connection is closed after a body left unread (it would be taken for requests); the
    // answer says so rather than offering keep-alive.
    const bool last = ++c.requests >= server.keep_alive_max_count_ || stopping.load() || head_only;
    bool connection_closed = false;
    c.close_after_answer = false;
    current_connection = &c;
    const bool ok = server.process_request(io, last, connection_closed, {});
    current_connection = nullptr;
    const bool sent = io.flush();
    if (!ok || !sent || last || connection_closed || c.close_after_answer || io.read_past_limit()) return false;
    if (framing.request_bytes > io.consumed()) {
      // cpp-httplib did not read the whole body (a GET's, or a handler answered without it):
      // skip what is left of it, or close when it has not all arrived.
      const std::size_t left = framing.request_bytes - io.consumed();
      if (left > c.unread()) return false;
      c.consume(left);
    }
    return true;
  }

  // Whether the pending bytes hold a request to serve. Mirrors what cpp-httplib reads: the
  // head ends at the first empty line; Transfer-Encoding, else the first Content-Length,
  // frames the body.
  Framing frame(Connection& c) const {
    Framing framing;
    const std::string_view pending = c.pending();
    const std::size_t from = c.head_scanned >= 3 ? c.head_scanned - 3 : 0;
    const std::size_t head_end = pending.find("\r\n\r\n", from);
    if (head_end == std::string_view::npos) {
      c.head_scanned = pending.size();
      framing.readiness = pending.size() > options.max_head_bytes ? Readiness::kHeadTooLarge : Readiness::kIncomplete;
      return framing;
    }
    framing.head_bytes = head_end + 4;
    if (framing.head_bytes > options.max_head_bytes) {
      framing.readiness = Readiness::kHeadTooLarge;
      return framing;
    }
    const std::string_view head = pending.substr(0, head_end);
    bool chunked = false, expects_continue = false, has_length = false;
    std::string_view content_length;
    for (std::size_t at = head.find("\r\n"); at != std::string_view::npos;) {
      at += 2;
      const std::size_t line_end = std::min(head.find("\r\n", at), head.size());
      const std::string_view line = head.substr(at, line_end - at);
      at = line_end < head.size() ? line_end : std::string_view::npos;
      const std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      const std::string_view name = line.substr(0, colon);
      const std::string_view value = trim(line.substr(colon + 1));
      if (iequals(name, "Transfer-Encoding")) chunked = true;
      if (iequals(name, "Expect") && value == "100-continue") expects_continue = true;  // exact, as cpp-httplib
      if (!has_length && iequals(name, "Content-Length")) {
        has_length = true;
        content_length = value;
      }
    }
    if (chunked) {
      framing.readiness = Readiness::kStreamBody;
      return framing;
    }
    if (!has_length) {
      framing.readiness = Readiness::kComplete;  // a request without framing headers has no body
      framing.request_bytes = framing.head_bytes;
      return framing;
    }
    std::uint64_t length = 0;
    bool digits = !content_length.empty() && content_length.size() <= 19;
    for (const char ch : content_length) {
      if (ch < '0' || ch > '9') {
        digits = false;
        break;
      }
      length = length * 10 + static_cast<std::uint64_t>(ch - '0');
    }
    if (!digits || length > server.payload_max_length_) {
      framing.readiness = Readiness::kHeadOnly;  // cpp-httplib answers 400 or 413 from the head
      return framing;
    }
    framing.request_bytes = framing.head_bytes + static_cast<std::size_t>(length);
    if (pending.size() >= framing.request_bytes) {
      framing.readiness = Readiness::kComplete;
    } else if (expects_continue || buffered.load(std::memory_order_relaxed) > options.max_buffered_bytes) {
      // The client waits for 100 Continue before it sends the body; or this server holds
      // as much input as it may, and a worker reads this body itself instead.
      framing.readiness = Readiness::kStreamBody;
    } else {
      framing.readiness = Readiness::kIncomplete;
    }
    return framing;
  }

  void close(Connection& c) {
    std::lock_guard<std::mutex> lock(mutex);
    forget(c.id);
  }

  // A worker is done with the connection for now: back to epoll until its next bytes or
  // `deadline`, or closed when the server is stopping.
  void wait_again(Connection& c, Clock::time_point deadline) {
    std::lock_guard<std::mutex> lock(mutex);
    if (stopping) return forget(c.id);
    park(c, deadline, EPOLL_CTL_MOD);
  }

  // Ends a connection whose answer has been written: a FIN follows the answer at once, and
  // what the client still sends is read and dropped for up to kLingerTime before the socket
  // closes, so that the close is no reset.
  void linger(Connection& c) {
    if (c.peer_closed || c.write_failed || stopping.load() || ::shutdown(c.fd, SHUT_WR) != 0) return close(c);
    c.release_input();
    c.lingering = true;
    wait_again(c, Clock::now() + kLingerTime);
  }

  // One turn of a lingering connection: drops what has arrived; closes at the client's EOF or
  // at the deadline (checked here too: the sweeper's tick comes up to 500 ms later).
  void drop_input(Connection& c) {
    if (Clock::now() >= c.deadline) return close(c);
    char sink[kReadChunk];
    for (int turn = 0; turn < kLingerReadsPerTurn; ++turn) {
      const ssize_t got = ::recv(c.fd, sink, sizeof sink, MSG_DONTWAIT);
      if (got > 0) continue;
      if (got < 0 && errno == EINTR) continue;
      if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      return close(c);  // EOF or an error
    }
    wait_again(c, c.deadline);
  }

  static bool has_bytes_waiting(int fd) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 0) > 0;
  }

  // Closes connections whose keep-alive or request deadline passed while they waited with
  // nothing to read. One with bytes waiting has an event queued for the workers, who serve
  // a complete request or close an incomplete one past its deadline. A lingering connection
  // closes at its deadline whatever is waiting.
  void sweep() {
    const auto shortest = std::min<Clock::duration>(keep_alive_timeout, read_timeout);
    const auto interval = std::clamp<Clock::duration>(shortest / 8, std::chrono::milliseconds(10),
                                                      std::chrono::milliseconds(500));
    std::unique_lock<std::mutex> lock(mutex);
    while (!stopping) {
      sweeper_wake.wait_for(lock, interval);
      const auto now = Clock::now();
      for (auto it = connections.begin(); it != connections.end();) {
        Connection& c = *it->second;
        if (!c.serving && c.deadline <= now && (c.lingering || !has_bytes_waiting(c.fd))) {
          ::close(c.fd);
          it = connections.erase(it);
        } else {
          ++it;
        }
      }
    }
  }

  void shut_down() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (stopping) return;
      stopping = true;
      // A worker waiting for the rest of a request's body sees it end now; answers in
      // progress are still written.
      for (auto& [id, c] : connections) {
        if (c->serving) ::shutdown(c->fd, SHUT_RD);
      }
    }
    sweeper_wake.notify_all();
    const std::uint64_t one = 1;
    if (::write(stop_fd, &one, sizeof one) != sizeof one) {
      // The eventfd cannot be full after one write; nothing else to do.
    }
    for (auto& worker : workers) worker.join();
    if (sweeper.joinable()) sweeper.join();
    std::lock_guard<std::mutex> lock(mutex);
    for (auto& [id, c] : connections) ::close(c->fd);
    connections.clear();
  }
};

EventLoopServer::EventLoopServer(EventLoopServerOptions options)
    : impl_(std::make_unique<Impl>(*this, std::move(options))) {
  new_task_queue = [] { return new InlineTaskQueue(); };
}

EventLoopServer::~EventLoopServer() { close_connections(); }

void EventLoopServer::close_connections() { impl_->shut_down(); }

void EventLoopServer::close_connection_after_answer() noexcept {
  if (current_connection != nullptr) current_connection->close_after_answer = true;
}

bool EventLoopServer::process_and_close_socket(socket_t sock) {
  // Runs on the library's accept loop, which must not see an exception (it would end the
  // process): a connection that cannot be taken on is closed.
  try {
    std::call_once(impl_->started, [this] {
      std::lock_guard<std::mutex> lock(impl_->mutex);
      if (!impl_->stopping) impl_->start_threads();
    });
    impl_->add(sock);
    return true;
  } catch (...) {
    ::close(sock);
    return false;
  }
}

}  // namespace privacycall::webhook::internal
