#ifndef PRIVACYCALL_SRC_CLIENT_CURL_COMPAT_HPP
#define PRIVACYCALL_SRC_CLIENT_CURL_COMPAT_HPP

// Every difference between the libcurl releases the client supports, from 7.61 (RHEL 8) to
// the newest, is handled here and nowhere else; both sides behave the same. Every other
// option, info and function the client uses is in libcurl 7.61 (checked against curl's
// docs/libcurl/symbols-in-versions), and scripts/compat.sh runs the client suites against
// libcurl 7.61.1.

#include <curl/curl.h>

#include <algorithm>
#include <chrono>

#if LIBCURL_VERSION_NUM < 0x074400  // curl_multi_wakeup: 7.68.0
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#endif

namespace privacycall::internal {

/// Lets the handle speak http and https only, never any other protocol curl was built with.
inline void allow_only_http_and_https(CURL* easy) {
#if LIBCURL_VERSION_NUM >= 0x075500  // CURLOPT_PROTOCOLS_STR: 7.85.0, which deprecates the bitmask
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
#else
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
}

/// Which protocols a followed redirect may lead to: https only, or http and https.
inline void allow_redirects_to(CURL* easy, bool https_only) {
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, https_only ? "https" : "http,https");
#else
  curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS,
                   static_cast<long>(https_only ? CURLPROTO_HTTPS : CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
}

/// Waits on a multi handle's transfers and lets another thread cut the wait short.
/// From 7.68 this is curl_multi_poll() and curl_multi_wakeup(). Before, curl_multi_wait() also
/// watches the read end of a pipe, which wake() writes a byte into and wait() drains.
class MultiWaiter {
 public:
  explicit MultiWaiter(CURLM* multi) : multi_(multi) {
#if LIBCURL_VERSION_NUM < 0x074400
    int fds[2];
    if (::pipe(fds) == 0) {
      for (const int fd : fds) {
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
        ::fcntl(fd, F_SETFD, FD_CLOEXEC);
      }
      wake_read_ = fds[0];
      wake_write_ = fds[1];
    }
#endif
  }

  ~MultiWaiter() {
#if LIBCURL_VERSION_NUM < 0x074400
    if (wake_read_ >= 0) ::close(wake_read_);
    if (wake_write_ >= 0) ::close(wake_write_);
#endif
  }

  MultiWaiter(const MultiWaiter&) = delete;
  MultiWaiter& operator=(const MultiWaiter&) = delete;

  /// Until a transfer needs attention, wake() is called or `timeout` passes. Loop thread only.
  void wait(std::chrono::milliseconds timeout) {
    const int timeout_ms = static_cast<int>(timeout.count());
#if LIBCURL_VERSION_NUM >= 0x074400
    curl_multi_poll(multi_, nullptr, 0, timeout_ms, nullptr);
#else
    if (wake_read_ < 0) {
      // No pipe (out of descriptors): poll often enough that new work starts soon anyway.
      curl_multi_wait(multi_, nullptr, 0, std::min(timeout_ms, kPipelessWaitMs), nullptr);
      return;
    }
    curl_waitfd wake{wake_read_, CURL_WAIT_POLLIN, 0};
    curl_multi_wait(multi_, &wake, 1, timeout_ms, nullptr);
    // Drained after every wait, before the caller looks for work: a byte written after this
    // only makes the next wait return at once.
    char sink[64];
    for (;;) {
      const ssize_t got = ::read(wake_read_, sink, sizeof sink);
      if (got > 0 || (got < 0 && errno == EINTR)) continue;
      break;  // empty (EAGAIN)
    }
#endif
  }

  /// Makes a wait in progress (or the next one) return. Any thread.
  void wake() {
#if LIBCURL_VERSION_NUM >= 0x074400
    curl_multi_wakeup(multi_);
#else
    if (wake_write_ < 0) return;
    const char byte = 1;
    // A full pipe (EAGAIN) already holds a wake-up: nothing is lost.
    while (::write(wake_write_, &byte, 1) < 0 && errno == EINTR) {
    }
#endif
  }

 private:
  CURLM* multi_;
#if LIBCURL_VERSION_NUM < 0x074400
  static constexpr int kPipelessWaitMs = 10;
  int wake_read_ = -1;
  int wake_write_ = -1;
#endif
};

}  // namespace privacycall::internal

#endif  // PRIVACYCALL_SRC_CLIENT_CURL_COMPAT_HPP
