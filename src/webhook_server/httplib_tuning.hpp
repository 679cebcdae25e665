#ifndef PRIVACYCALL_SRC_WEBHOOK_SERVER_HTTPLIB_TUNING_HPP
#define PRIVACYCALL_SRC_WEBHOOK_SERVER_HTTPLIB_TUNING_HPP

// cpp-httplib's defaults serve a few hundred requests a second: Nagle's algorithm meets
// delayed ACKs, the pool has a handful of threads (each keep-alive connection holds one),
// connections close after 5 requests and the listen backlog is 5 (compiled into Debian's 0.11
// library; 128 in newer releases). These settings fix all four, through the public API of
// every release from 0.11 on: ThreadPool(n) is a fixed pool of n threads in each.

#include <httplib.h>

#include <sys/socket.h>

#include <atomic>
#include <cstddef>
#include <memory>

namespace privacycall::internal {

struct HttpServerTuning {
  std::size_t threads = 16;  ///< Size of the library's pool: connections served at once; 0 keeps the library's default
  int backlog = 1024;
  std::size_t keep_alive_max_count = 10000;
};

/// Applies the tuning to a server that has not bound yet. Returns the holder of the listening
/// socket, filled in when the server binds; pass it to raise_backlog() after binding.
inline std::shared_ptr<std::atomic<int>> tune_http_server(httplib::Server& server,
                                                          const HttpServerTuning& tuning) {
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(tuning.keep_alive_max_count);
  if (tuning.threads > 0) {
    const std::size_t threads = tuning.threads;
    server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  }
  auto listening_fd = std::make_shared<std::atomic<int>>(-1);
  // Replaces the default socket options callback, which on Linux also sets SO_REUSEPORT and
  // so would let another process bind the same port and take requests meant for this one;
  // SO_REUSEADDR alone allows quick restarts. The callback is also the only way to learn the
  // listening socket.
  server.set_socket_options([listening_fd](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listening_fd->store(static_cast<int>(sock));
  });
  return listening_fd;
}

/// Calls listen() again with a larger backlog; Linux updates the backlog of a listening socket.
inline bool raise_backlog(const std::atomic<int>& listening_fd, int backlog) {
  const int fd = listening_fd.load();
  return fd >= 0 && ::listen(fd, backlog) == 0;
}

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_SRC_WEBHOOK_SERVER_HTTPLIB_TUNING_HPP
