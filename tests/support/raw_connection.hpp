// A raw byte stream to a loopback server, over TCP or over TLS (OpenSSL, verifying the server
// against test_certificate() by address): for tests that send what no HTTP client would (cut
// requests, missing lengths, garbage) and watch how the server answers and closes.
#ifndef PRIVACYCALL_TESTS_RAW_CONNECTION_HPP
#define PRIVACYCALL_TESTS_RAW_CONNECTION_HPP

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "support/test_certificate.hpp"

namespace test_support {

enum class Scheme { kHttp, kHttps };

inline const char* to_string(Scheme scheme) { return scheme == Scheme::kHttps ? "https" : "http"; }

class RawConnection {
 public:
  /// Connects to 127.0.0.1:port (and completes the TLS handshake); throws when it cannot.
  RawConnection(Scheme scheme, std::uint16_t port) {
    std::signal(SIGPIPE, SIG_IGN);  // SSL_write() to a closed connection must fail, not kill
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket() failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd_);
      throw std::runtime_error("connect() failed");
    }
    set_timeout(SO_RCVTIMEO, 10);
    set_timeout(SO_SNDTIMEO, 10);
    if (scheme == Scheme::kHttps) start_tls();
  }
  ~RawConnection() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    if (context_ != nullptr) SSL_CTX_free(context_);
    ::close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  /// Sends all of `bytes`; false when the connection failed first.
  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = write_some(bytes);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  /// Bytes received: > 0 data, 0 when the server closed cleanly, -1 on a reset (errno
  /// ECONNRESET), a timeout (10 s, EAGAIN) or another error.
  ssize_t receive(char* buffer, std::size_t size) {
    if (ssl_ == nullptr) return ::recv(fd_, buffer, size, 0);
    const int n = SSL_read(ssl_, buffer, static_cast<int>(size));
    if (n > 0) return n;
    switch (SSL_get_error(ssl_, n)) {
      case SSL_ERROR_ZERO_RETURN:
        SSL_shutdown(ssl_);  // answers the server's close_notify, as a well-behaved client does
        return 0;
      case SSL_ERROR_SYSCALL:
        if (errno == 0) return 0;  // a FIN without close_notify
        return -1;
      case SSL_ERROR_SSL:
        // OpenSSL 3 reports a FIN without close_notify as an error of its own.
        if (ERR_GET_REASON(ERR_peek_last_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
          ERR_clear_error();
          return 0;
        }
        ERR_clear_error();
        errno = EPROTO;
        return -1;
      default:
        errno = EAGAIN;
        return -1;
    }
  }

  /// True while the server keeps the connection open and has sent nothing more on it.
  bool still_open() {
    const int flags = ::fcntl(fd_, F_GETFL);
    ::fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
    bool open = false;
    if (ssl_ == nullptr) {
      char byte;
      open = ::recv(fd_, &byte, 1, MSG_PEEK) < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    } else {
      char byte;
      // Reads TLS records that carry no data (session tickets) without taking any data.
      const int n = SSL_peek(ssl_, &byte, 1);
      open = n <= 0 && SSL_get_error(ssl_, n) == SSL_ERROR_WANT_READ;
      ERR_clear_error();
    }
    ::fcntl(fd_, F_SETFL, flags);
    return open;
  }

  /// Stops sending (TCP half-close); the server sees the end of the request stream.
  void shut_down_writes() { ::shutdown(fd_, SHUT_WR); }

  /// Each send() in its own segment.
  void set_no_delay() {
    int yes = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  }

 private:
  void set_timeout(int option, long seconds) {
    timeval timeout{seconds, 0};
    ::setsockopt(fd_, SOL_SOCKET, option, &timeout, sizeof timeout);
  }

  void start_tls() {
    context_ = SSL_CTX_new(TLS_client_method());
    if (context_ == nullptr ||
        SSL_CTX_load_verify_locations(context_, test_certificate().certificate_file.c_str(), nullptr) != 1) {
      throw std::runtime_error("cannot set up the TLS client");
    }
    SSL_CTX_set_verify(context_, SSL_VERIFY_PEER, nullptr);
    ssl_ = SSL_new(context_);
    SSL_set_fd(ssl_, fd_);
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), "127.0.0.1");
    if (SSL_connect(ssl_) != 1) {
      ERR_clear_error();
      throw std::runtime_error("TLS handshake with the server failed");
    }
  }

  ssize_t write_some(std::string_view bytes) {
    if (ssl_ == nullptr) return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    const int n = SSL_write(ssl_, bytes.data(), static_cast<int>(std::min<std::size_t>(bytes.size(), 1 << 30)));
    if (n <= 0) ERR_clear_error();
    return n;
  }

  int fd_ = -1;
  SSL_CTX* context_ = nullptr;
  SSL* ssl_ = nullptr;
};

}  // namespace test_support

#endif
