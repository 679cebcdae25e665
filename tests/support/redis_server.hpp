#ifndef PRIVACYCALL_TESTS_SUPPORT_REDIS_SERVER_HPP
#define PRIVACYCALL_TESTS_SUPPORT_REDIS_SERVER_HPP

// A real redis-server for a test: on a free loopback port, in a fresh directory, with the
// append-only file on (fsync'ed on every write), so that stopping and starting it again keeps
// what it acknowledged. scripts/install-deps.sh installs redis-server.

#include <privacycall/webhook/redis/connection.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>

namespace redis_test {

class RedisServer {
 public:
  RedisServer() : port_(free_port()) {
    dir_ = std::filesystem::temp_directory_path() /
           ("pc-redis-" + std::to_string(::getpid()) + "-" + std::to_string(port_));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    start();
  }
  ~RedisServer() {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_) + "/0"; }

  // Starts the server (again, on the same port and data) and waits until it answers PING.
  void start() {
    if (pid_ > 0) return;
    const std::string port = std::to_string(port_);
    const std::string log = (dir_ / "redis.log").string();
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (out >= 0) {
        ::dup2(out, 1);
        ::dup2(out, 2);
      }
      ::execlp("redis-server", "redis-server", "--port", port.c_str(), "--bind", "127.0.0.1",
               "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir",
               dir_.c_str(), "--daemonize", "no", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!answers_ping()) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("redis-server exited at start (is it installed? "
                                 "scripts/install-deps.sh); see " + log);
      }
      if (std::chrono::steady_clock::now() > deadline) {
        throw std::runtime_error("redis-server did not answer PING within 20 s; see " + log);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling its start
    }
  }

  // Stops the server gracefully (SIGTERM: the append-only file is complete) and waits for it.
  void stop() { end(SIGTERM); }
  // Kills the server without warning.
  void kill() { end(SIGKILL); }
  // Freezes the server (SIGSTOP): connections stay open and nothing answers, until resume().
  void pause() { signal_running(SIGSTOP); }
  void resume() { signal_running(SIGCONT); }

 private:
  // Only while it runs: kill() with pid -1 would signal every process this user may signal.
  void signal_running(int signal) {
    if (pid_ > 0) ::kill(pid_, signal);
  }

  void end(int signal) {
    if (pid_ <= 0) return;
    ::kill(pid_, signal);
    ::kill(pid_, SIGCONT);  // a server left paused by a failed check would never see SIGTERM
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  static std::uint16_t free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
      if (fd >= 0) ::close(fd);
      throw std::runtime_error("cannot find a free loopback port");
    }
    ::close(fd);
    return ntohs(address.sin_port);
  }

  bool answers_ping() const {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return false;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port_);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = false;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
      const char ping[] = "PING\r\n";
      char reply[16] = {};
      ok = ::send(fd, ping, sizeof ping - 1, MSG_NOSIGNAL) == static_cast<ssize_t>(sizeof ping - 1) &&
           ::recv(fd, reply, sizeof reply - 1, 0) > 0 && std::strncmp(reply, "+PONG", 5) == 0;
    }
    ::close(fd);
    return ok;
  }

  std::uint16_t port_;
  std::filesystem::path dir_;
  pid_t pid_ = -1;
};

// Options for a store on `server`: quiet, and quick to reconnect once it is back.
inline privacycall::webhook::redis::RedisConnectionOptions connection_to(const RedisServer& server) {
  privacycall::webhook::redis::RedisConnectionOptions options;
  options.url = server.url();
  options.initial_reconnect_backoff = std::chrono::milliseconds(10);
  options.max_reconnect_backoff = std::chrono::milliseconds(50);
  options.log = [](privacycall::LogLevel, std::string_view) {};
  return options;
}

// Polls `condition` until it holds or `limit` passes; whether it held. For what the tests
// cannot be told about (a lease expiring in Redis, a reconnection's backoff ending).
template <typename Condition>
bool eventually(Condition&& condition, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace redis_test

#endif  // PRIVACYCALL_TESTS_SUPPORT_REDIS_SERVER_HPP
