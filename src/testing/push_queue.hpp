#ifndef PRIVACYCALL_SRC_TESTING_PUSH_QUEUE_HPP
#define PRIVACYCALL_SRC_TESTING_PUSH_QUEUE_HPP

// Delivers the simulator's notifications as the platform does: POST, signed with the app's
// own key, re-pushed until HTTP 200 at 1, 4, 9, 106, 203 and 300 minutes after the first
// attempt (simulated time, so a time scale shortens the waits).

#include <privacycall/signature.hpp>
#include <privacycall/transport.hpp>

#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "testing/sim_clock.hpp"

namespace privacycall::testing::internal {

class PushQueue {
 public:
  /// `reuse_header`: re-push with the first attempt's header instead of signing again (the
  /// docs do not say which the platform does).
  PushQueue(const Signer& signer, const SimClock& clock, bool reuse_header = false);
  ~PushQueue();
  PushQueue(const PushQueue&) = delete;
  PushQueue& operator=(const PushQueue&) = delete;

  /// Queues a push; re-pushed on failure on the documented schedule.
  void push(std::string url, std::string body);
  /// Sends once and waits for the answer (X-mode and SMS Block requests are not re-pushed).
  Result<HttpResponse> ask(const std::string& url, const std::string& body);
  /// True once every queued push was answered 200 or ran out of re-pushes.
  bool wait_until_idle(std::chrono::milliseconds timeout);
  /// Pushes delivered with 200, and attempts made, so far.
  std::size_t delivered() const;
  std::size_t attempts() const;

 private:
  struct Push {
    std::string url;
    std::string body;
    int attempt = 0;  // attempts made so far
    std::chrono::steady_clock::time_point first;
    std::optional<SignedHeaders> header;  // the first attempt's, when re-used
  };
  HttpRequest request_for(const std::string& url, const std::string& body,
                          const SignedHeaders& auth) const;
  void run();

  const Signer& signer_;
  const SimClock& clock_;
  const bool reuse_header_;
  std::shared_ptr<HttpTransport> transport_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::multimap<std::chrono::steady_clock::time_point, Push> due_;
  std::size_t in_flight_ = 0;
  std::size_t delivered_ = 0;
  std::size_t attempts_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace privacycall::testing::internal

#endif  // PRIVACYCALL_SRC_TESTING_PUSH_QUEUE_HPP
