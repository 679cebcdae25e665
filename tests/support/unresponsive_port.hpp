#pragma once
// A loopback port where connecting never completes, deterministically: a listener with a
// backlog of 0 whose accept queue is already full (one connection, never accepted). Linux then
// drops further SYNs instead of answering them, so a client's connect attempt times out.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

namespace privacycall_test {

class UnresponsivePort {
 public:
  UnresponsivePort() : listener_(::socket(AF_INET, SOCK_STREAM, 0)), filler_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listener_ < 0 || filler_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::listen(listener_, 0) != 0 || ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0 ||
        ::connect(filler_, reinterpret_cast<sockaddr*>(&address), length) != 0) {
      close_all();
      throw std::runtime_error("cannot set up an unresponsive port on 127.0.0.1");
    }
    port_ = ntohs(address.sin_port);
  }
  ~UnresponsivePort() { close_all(); }
  UnresponsivePort(const UnresponsivePort&) = delete;
  UnresponsivePort& operator=(const UnresponsivePort&) = delete;

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  void close_all() {
    if (filler_ >= 0) ::close(filler_);
    if (listener_ >= 0) ::close(listener_);
  }
  int listener_;
  int filler_;
  int port_ = 0;
};

}  // namespace privacycall_test
