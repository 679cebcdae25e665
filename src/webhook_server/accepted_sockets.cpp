#include "webhook_server/accepted_sockets.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <chrono>
#include <cstddef>
#include <cstdlib>

namespace privacycall::webhook::internal {
namespace {

// Address and port of a socket address, port 0 when it is not IPv4/IPv6.
struct Endpoint {
  std::string address;
  std::uint16_t port = 0;
};

Endpoint endpoint_of(const sockaddr_storage& storage) {
  Endpoint endpoint;
  char text[INET6_ADDRSTRLEN] = {0};
  if (storage.ss_family == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(storage);
    endpoint.port = ntohs(in.sin_port);
    if (::inet_ntop(AF_INET, &in.sin_addr, text, sizeof text) != nullptr) endpoint.address = text;
  } else if (storage.ss_family == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(storage);
    endpoint.port = ntohs(in6.sin6_port);
    if (::inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof text) != nullptr) endpoint.address = text;
  }
  return endpoint;
}

std::uint16_t local_port(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
  return endpoint_of(address).port;
}

bool socket_option_is(int fd, int option, int expected) {
  int value = 0;
  socklen_t length = sizeof value;
  return ::getsockopt(fd, SOL_SOCKET, option, &value, &length) == 0 && value == expected;
}

// Calls `fn(fd)` for every connection accepted on `port`.
template <typename Fn>
void for_each_accepted(std::uint16_t port, Fn&& fn) {
#ifdef __linux__
  DIR* directory = ::opendir("/proc/self/fd");
  if (directory == nullptr) return;
  while (const dirent* entry = ::readdir(directory)) {
    char* end = nullptr;
    const long number = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || number == ::dirfd(directory)) continue;
    const int fd = static_cast<int>(number);
    struct stat status {};
    if (::fstat(fd, &status) != 0 || !S_ISSOCK(status.st_mode)) continue;
    if (!socket_option_is(fd, SO_TYPE, SOCK_STREAM) || !socket_option_is(fd, SO_ACCEPTCONN, 0)) continue;
    if (local_port(fd) == port) fn(fd);
  }
  ::closedir(directory);
#else
  (void)port;
  (void)fn;
#endif
}

// Ends a connection whose client may still be sending: closing a socket with unread bytes
// makes the kernel send a reset, which can destroy the answer before the client has read it.
// So, like nginx's lingering close: send FIN after the answer, discard what the client still
// sends for a short while (until it closes, or the limits below), then end the reading side.
void linger_and_end(int fd) {
  constexpr auto kLinger = std::chrono::milliseconds(500);
  constexpr std::size_t kMaxDiscarded = 4 * 1024 * 1024;
  ::shutdown(fd, SHUT_WR);
  const auto deadline = std::chrono::steady_clock::now() + kLinger;
  char buffer[16 * 1024];
  std::size_t discarded = 0;
  while (discarded < kMaxDiscarded) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd readable{fd, POLLIN, 0};
    if (::poll(&readable, 1, static_cast<int>(left.count())) <= 0) break;
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n <= 0) break;  // the client closed, or an error
    discarded += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_RD);
}

}  // namespace

void end_keep_alive_waits(std::uint16_t port) {
  for_each_accepted(port, [](int fd) {
    int pending = 0;
    if (::ioctl(fd, FIONREAD, &pending) == 0 && pending == 0) ::shutdown(fd, SHUT_RD);
  });
}

void end_connection(std::uint16_t port, const std::string& peer_address, int peer_port) {
  for_each_accepted(port, [&](int fd) {
    sockaddr_storage peer{};
    socklen_t length = sizeof peer;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0) return;
    const Endpoint endpoint = endpoint_of(peer);
    if (endpoint.port == peer_port && endpoint.address == peer_address) linger_and_end(fd);
  });
}

}  // namespace privacycall::webhook::internal
