#ifndef PRIVACYCALL_SRC_WEBHOOK_SERVER_EVENT_LOOP_SERVER_HPP
#define PRIVACYCALL_SRC_WEBHOOK_SERVER_EVENT_LOOP_SERVER_HPP

// cpp-httplib 0.11.4 serves each keep-alive connection on a pool thread of its own until the
// connection closes: with 64 busy connections, 64 threads take turns on the cores and the
// latency tail follows the scheduler's turns, and a connection that idles holds its thread.
// EventLoopServer keeps cpp-httplib's request parsing, routing and response writing
// (process_request()) but owns the connections: a connection waits for its next request in
// epoll, a request is handed to a worker only once it is fully buffered, and a small pool of
// workers serves whichever connection is ready. That also lets the server close idle
// connections the moment it stops, and close a connection whose body it refused to read
// without resetting it under the client's feet.
//
// Plain HTTP only: httplib::SSLServer overrides the same hook for TLS.

#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>

namespace privacycall::webhook::internal {

struct EventLoopServerOptions {
  /// Requests served at once. Idle connections cost no thread.
  std::size_t workers = 4;
  /// Largest request line plus headers; a larger head is answered 431 and its connection closed.
  std::size_t max_head_bytes = 64 * 1024;
  /// Unread input all connections may hold while requests arrive. Past it, a worker reads the rest of
  /// a body itself (as cpp-httplib would), so memory stays bounded however many clients send
  /// slowly.
  std::size_t max_buffered_bytes = std::size_t{64} << 20;
  /// Told about the answers the server gives on its own, without cpp-httplib (431).
  std::function<void(int status)> on_refused;
};

class EventLoopServer final : public httplib::Server {
 public:
  explicit EventLoopServer(EventLoopServerOptions options);
  ~EventLoopServer() override;
  EventLoopServer(const EventLoopServer&) = delete;
  EventLoopServer& operator=(const EventLoopServer&) = delete;

  /// Call after stop() once listen_after_bind() has returned: waits for the requests in
  /// progress to be answered, then closes every connection at once, idle or not.
  void close_connections();

  /// From a handler: the connection of the request being served is closed once its answer is
  /// written (for a body the handler refused to read). A no-op outside an EventLoopServer.
  static void close_connection_after_answer() noexcept;

 private:
  bool process_and_close_socket(socket_t sock) override;

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace privacycall::webhook::internal

#endif  // PRIVACYCALL_SRC_WEBHOOK_SERVER_EVENT_LOOP_SERVER_HPP
