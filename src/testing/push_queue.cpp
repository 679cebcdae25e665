#include "testing/push_queue.hpp"

namespace privacycall::testing::internal {
namespace {

// Minutes after the first push at which the platform pushes again (notifications.md §9.2).
constexpr int kRepushMinutes[] = {1, 4, 9, 106, 203, 300};

}  // namespace

PushQueue::PushQueue(const Signer& signer, const SimClock& clock, bool reuse_header)
    : signer_(signer), clock_(clock), reuse_header_(reuse_header), transport_([] {
        CurlTransportOptions options;
        options.request_timeout = std::chrono::seconds(10);
        return make_curl_transport(options);
      }()) {
  thread_ = std::thread([this] { run(); });
}

PushQueue::~PushQueue() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

HttpRequest PushQueue::request_for(const std::string& url, const std::string& body,
                                   const SignedHeaders& auth) const {
  HttpRequest request;
  request.method = HttpMethod::kPost;
  request.url = url;
  request.body = body;
  request.headers = {{"Content-Type", "application/json;charset=UTF-8"},
                     {"Authorization", auth.authorization},
                     {auth.token_header, auth.token_value}};
  return request;
}

void PushQueue::push(std::string url, std::string body) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    due_.emplace(now, Push{std::move(url), std::move(body), 0, now, std::nullopt});
  }
  wake_.notify_all();
}

Result<HttpResponse> PushQueue::ask(const std::string& url, const std::string& body) {
  return transport_->send(request_for(url, body, signer_.sign()));
}

bool PushQueue::wait_until_idle(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return due_.empty() && in_flight_ == 0; });
}

std::size_t PushQueue::delivered() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return delivered_;
}

std::size_t PushQueue::attempts() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return attempts_;
}

void PushQueue::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    if (due_.empty()) {
      wake_.wait(lock);
      continue;
    }
    if (due_.begin()->first > std::chrono::steady_clock::now()) {
      wake_.wait_until(lock, due_.begin()->first);
      continue;
    }
    Push push = std::move(due_.begin()->second);
    due_.erase(due_.begin());
    ++in_flight_;
    lock.unlock();
    if (!push.header || !reuse_header_) push.header = signer_.sign();
    const Result<HttpResponse> answer = transport_->send(request_for(push.url, push.body, *push.header));
    lock.lock();
    --in_flight_;
    ++attempts_;
    ++push.attempt;
    if (answer.ok() && answer->status == 200) {
      ++delivered_;
    } else if (push.attempt <= static_cast<int>(std::size(kRepushMinutes))) {
      const auto offset = clock_.to_real(std::chrono::minutes(kRepushMinutes[push.attempt - 1]));
      const auto when = push.first + offset;
      due_.emplace(when, std::move(push));
    }
    if (due_.empty() && in_flight_ == 0) idle_.notify_all();
  }
}

}  // namespace privacycall::testing::internal
