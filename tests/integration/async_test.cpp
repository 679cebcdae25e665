// The asynchronous API: many calls in flight from one thread, retries without sleeping
// threads, and clean cancellation when the client goes away.

#include <privacycall/client.hpp>
#include <privacycall/testing/fake_platform.hpp>

#include <algorithm>
#include <atomic>
#include <future>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "client/as_future.hpp"
#include "client/client_core.hpp"
#include "common/text.hpp"
#include "support/catch.hpp"

using namespace std::chrono_literals;
using privacycall::AxbBindingsOnNumber;
using privacycall::AxbBindRequest;
using privacycall::Client;
using privacycall::ErrorCategory;
using privacycall::PhoneNumber;
using privacycall::RetryPolicy;
using privacycall::testing::Fault;
using privacycall::testing::FakePlatform;

namespace {

const PhoneNumber kX("+8675500000001");

privacycall::ClientOptions fast_options(const FakePlatform& platform) {
  auto options = platform.client_options();
  options.retry.initial_backoff = 1ms;
  options.retry.max_backoff = 2ms;
  options.retry.flow_control_backoff = 1ms;
  options.retry.max_attempts = 4;
  return options;
}

PhoneNumber user(int i) { return PhoneNumber("+86139" + std::to_string(10000000 + i)); }

// Binds user(1) and user(2) on X; `then` runs in the bind's completion callback, on the loop thread.
void bind_then(const privacycall::AsyncAxbClient& axb, privacycall::Callback<privacycall::AxbBindResponse> then) {
  AxbBindRequest request(user(1), user(2));
  request.relation = kX;
  axb.bind(request, std::move(then));
}

}  // namespace

TEST_CASE("Hundreds of calls in flight from one thread all complete") {
  privacycall::testing::FakePlatformOptions options;
  options.threads = 32;
  FakePlatform platform(options);
  const Client client(fast_options(platform));
  std::vector<privacycall::Future<privacycall::AxbBindResponse>> binds;
  for (int i = 0; i < 200; ++i) {
    AxbBindRequest request(user(2 * i), user(2 * i + 1));
    request.relation = kX;
    binds.push_back(client.async().axb().bind(request));
  }
  std::vector<privacycall::Future<privacycall::ApiResponse>> unbinds;
  for (auto& bind : binds) {
    auto bound = bind.get();
    REQUIRE(bound.ok());
    unbinds.push_back(client.async().axb().unbind(bound->subscription_id));
  }
  for (auto& unbind : unbinds) CHECK(unbind.get().ok());
  CHECK(client.axb().query(AxbBindingsOnNumber(kX)).value().bindings.empty());
  CHECK(platform.requests().size() == 401);
}

TEST_CASE("A call made while the loop waits idle starts at once: the loop is woken, not polled") {
  // The loop waits up to a second when it has nothing to do; a submit must cut that short
  // (curl_multi_wakeup, or the wake-up pipe below libcurl 7.68). Ten calls one after another,
  // each made when the loop has just gone idle, would take ten seconds without it.
  FakePlatform platform;
  const Client client(fast_options(platform));
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 10; ++i) {
    REQUIRE(client.async().axb().query(AxbBindingsOnNumber(kX)).get().ok());
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() < 5000);
}

TEST_CASE("Calls made from many threads while the loop goes idle are never stranded") {
  // Each thread waits for its call before making the next, so submissions keep landing while
  // the loop is finishing a pass, about to wait, or waiting idle, from several threads at once.
  // The loop skips the wake-up when it will look at the queue anyway; should a submission slip
  // between that look and the wait, its call would sit until the idle wait (a second) ran out.
  // A futures pass also makes its futures ready together, at its end.
  privacycall::testing::FakePlatformOptions platform_options;
  platform_options.threads = 16;
  FakePlatform platform(platform_options);
  const Client client(fast_options(platform));
  constexpr int kThreads = 8;
  constexpr int kCallsEach = 25;
  std::atomic<int> succeeded{0};
  std::vector<std::chrono::steady_clock::duration> slowest(kThreads, std::chrono::steady_clock::duration::zero());
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const auto axb = client.async().axb();
      for (int i = 0; i < kCallsEach; ++i) {
        const auto start = std::chrono::steady_clock::now();
        if (axb.query(AxbBindingsOnNumber(kX)).get().ok()) succeeded.fetch_add(1);
        slowest[t] = std::max(slowest[t], std::chrono::steady_clock::now() - start);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(succeeded == kThreads * kCallsEach);
  CHECK(platform.requests().size() == static_cast<std::size_t>(kThreads * kCallsEach));
  const auto slowest_call = *std::max_element(slowest.begin(), slowest.end());
  CHECK(std::chrono::duration_cast<std::chrono::milliseconds>(slowest_call).count() < 1000);
}

TEST_CASE("Async queries retry through 503s and async binds are not re-sent") {
  FakePlatform platform;
  const Client client(fast_options(platform));
  platform.inject(Fault::kServerError, 2);
  CHECK(client.async().axb().query(AxbBindingsOnNumber(kX)).get().ok());
  CHECK(platform.requests().size() == 3);

  platform.clear_requests();
  platform.inject(Fault::kDropAfterProcessing);
  AxbBindRequest request(user(1), user(2));
  request.relation = kX;
  const auto bound = client.async().axb().bind(request).get();
  REQUIRE_FALSE(bound.ok());
  CHECK(bound.error().category == ErrorCategory::kTransport);
  CHECK(platform.requests().size() == 1);
}

TEST_CASE("Invalid async requests fail at once and send nothing") {
  FakePlatform platform;
  const Client client(platform.client_options());
  AxbBindRequest same(user(1), user(1));
  auto future = client.async().axb().bind(same);
  REQUIRE(future.wait_for(0s) == std::future_status::ready);
  CHECK(future.get().error().category == ErrorCategory::kValidation);
  CHECK(platform.requests().empty());
}

TEST_CASE("An invalid call's future is ready at once on the loop thread too, where futures wait for the pass") {
  // The loop holds the futures it completes back until its pass ends; a refusal made from a
  // callback during that pass must not be held with them.
  FakePlatform platform;
  const Client client(platform.client_options());
  const auto axb = client.async().axb();
  std::promise<std::future_status> refusal_status;
  bind_then(axb, [&](privacycall::Result<privacycall::AxbBindResponse>) {
    auto refused = axb.bind(AxbBindRequest(user(3), user(3)));
    refusal_status.set_value(refused.wait_for(0s));
  });
  auto status = refusal_status.get_future();
  REQUIRE(status.wait_for(10s) == std::future_status::ready);
  CHECK(status.get() == std::future_status::ready);
  CHECK(platform.requests().size() == 1);
}

TEST_CASE("Pending async calls complete as cancelled when the client goes away") {
  privacycall::testing::FakePlatformOptions slow;
  slow.faults.latency = 3s;
  FakePlatform platform(slow);
  std::vector<privacycall::Future<privacycall::AxbQueryResponse>> pending;
  {
    auto options = platform.client_options();
    options.retry = RetryPolicy::none();
    const Client client(options);
    for (int i = 0; i < 4; ++i) pending.push_back(client.async().axb().query(AxbBindingsOnNumber(kX)));
  }  // the last Client is gone: its transport cancels what is pending
  const auto started = std::chrono::steady_clock::now();
  for (auto& future : pending) {
    const auto result = future.get();
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().category == ErrorCategory::kTransport);
    CHECK(result.error().message.find("cancelled") != std::string::npos);
  }
  CHECK(std::chrono::steady_clock::now() - started < 2s);
}

TEST_CASE("A custom transport without send_async works through the default") {
  class Counting : public privacycall::HttpTransport {
   public:
    privacycall::Result<privacycall::HttpResponse> send(const privacycall::HttpRequest& request) override {
      ++calls;
      return real->send(request);
    }
    std::shared_ptr<privacycall::HttpTransport> real = privacycall::make_curl_transport();
    std::atomic<int> calls{0};
  };
  FakePlatform platform;
  auto options = platform.client_options();
  auto transport = std::make_shared<Counting>();
  options.transport = transport;
  CHECK(Client(options).async().axb().query(AxbBindingsOnNumber(kX)).get().ok());
  CHECK(transport->calls == 1);
}

TEST_CASE("The default send_async runs send() on its executor, never blocking the caller") {
  // send() waits until the test releases it; each call records its thread.
  class Gated : public privacycall::HttpTransport {
   public:
    privacycall::Result<privacycall::HttpResponse> send(const privacycall::HttpRequest&) override {
      {
        std::lock_guard<std::mutex> lock(mutex);
        threads.push_back(std::this_thread::get_id());
      }
      if (++entered == 1) first_entered.set_value();
      released.wait();
      privacycall::HttpResponse response;
      response.status = 204;
      return response;
    }
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::promise<void> first_entered;
    std::atomic<int> entered{0};
    std::mutex mutex;
    std::vector<std::thread::id> threads;
  };
  auto transport = std::make_shared<Gated>();
  std::atomic<int> completed{0};
  std::promise<void> all_completed;
  int accepted = 0;
  std::optional<privacycall::Error> refusal;
  // More requests than the executor's threads and queue hold: the caller is never blocked,
  // and the first one that does not fit is refused at once, on this thread.
  constexpr std::size_t kCapacity =
      privacycall::HttpTransport::kDefaultAsyncThreads + privacycall::HttpTransport::kDefaultAsyncQueue;
  const auto caller = std::this_thread::get_id();
  for (std::size_t i = 0; i <= kCapacity && !refusal; ++i) {
    bool refused_here = false;
    transport->send_async(privacycall::HttpRequest{}, [&](privacycall::Result<privacycall::HttpResponse> result) {
      if (!result.ok() && std::this_thread::get_id() == caller) {
        refusal = result.error();
        refused_here = true;
        return;
      }
      if (++completed == accepted) all_completed.set_value();
    });
    if (!refused_here) ++accepted;
  }
  // Every send() is still held: had one run on this thread, the loop would not have ended.
  transport->first_entered.get_future().wait();
  REQUIRE(refusal.has_value());
  CHECK(refusal->category == ErrorCategory::kTransport);
  CHECK(refusal->retryable);  // nothing was sent
  CHECK(accepted >= static_cast<int>(privacycall::HttpTransport::kDefaultAsyncQueue));
  CHECK(accepted <= static_cast<int>(kCapacity));

  transport->release.set_value();
  REQUIRE(all_completed.get_future().wait_for(60s) == std::future_status::ready);
  std::lock_guard<std::mutex> lock(transport->mutex);
  CHECK(transport->threads.size() == static_cast<std::size_t>(accepted));
  CHECK(std::find(transport->threads.begin(), transport->threads.end(), caller) == transport->threads.end());
}

TEST_CASE("Async AX binds what the sync query sees, and sync binds are visible to async queries") {
  FakePlatform platform;
  const Client client(platform.client_options());
  const auto ax = client.async().ax();
  const auto bound = ax.bind(privacycall::AxBindRequest(user(1), kX)).get();
  REQUIRE(bound.ok());
  const auto seen = client.ax().query(bound->subscription_id).value().bindings;
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].orig_num == user(1).str());

  privacycall::AxTemporaryCalleeRequest callee(bound->subscription_id, user(2));
  CHECK(ax.set_temporary_callee(callee).get().ok());
  CHECK(ax.modify(privacycall::AxModifyRequest(bound->subscription_id)).get().ok());
  const auto queried = ax.query(bound->subscription_id).get();
  REQUIRE(queried.ok());
  REQUIRE(queried->bindings.size() == 1);
  CHECK(queried->bindings[0].private_num == kX.str());
  CHECK(ax.unbind(privacycall::AxUnbindRequest(bound->subscription_id)).get().ok());
  CHECK(client.ax().query(bound->subscription_id).error().result_code == "1016001");  // gone
}

TEST_CASE("Async AXE binds, queries and unbinds like the sync client") {
  FakePlatform platform;
  const Client client(platform.client_options());
  const auto axe = client.async().axe();
  const auto bound = axe.bind(privacycall::AxeBindRequest(user(1), kX)).get();
  REQUIRE(bound.ok());
  CHECK(client.axe().query(bound->subscription_id).value().binding.extend_num == bound->extend_num);
  const auto page = axe.query_v2(privacycall::AxeQueryV2Request(privacycall::AxeBindingsOnNumber(kX))).get();
  REQUIRE(page.ok());
  REQUIRE(page->bindings.size() == 1);
  CHECK(page->bindings[0].subscription_id.value == bound->subscription_id.value);
  CHECK(axe.count(kX).get().ok());
  CHECK(axe.modify(privacycall::AxeModifyRequest(bound->subscription_id)).get().ok());
  CHECK(axe.query(bound->subscription_id).get().value().binding.bind_num == user(1).str());
  CHECK(axe.unbind(bound->subscription_id).get().ok());
  CHECK_FALSE(client.axe().query(bound->subscription_id).ok());
}

TEST_CASE("Async AXYB binds A and B through X and Y like the sync client") {
  FakePlatform platform;
  const Client client(platform.client_options());
  const auto axyb = client.async().axyb();
  const auto ax = axyb.bind_ax(privacycall::AxybBindAxRequest(user(1), privacycall::AreaCode("0755"))).get();
  REQUIRE(ax.ok());
  const auto yb = axyb.bind_yb(privacycall::AxybBindYbRequest(ax->subscription_id, user(2))).get();
  REQUIRE(yb.ok());
  const auto sync_seen = client.axyb().query(ax->subscription_id).value().relations;
  const auto async_seen = axyb.query(ax->subscription_id).get().value().relations;
  REQUIRE_FALSE(sync_seen.empty());
  CHECK(async_seen.size() == sync_seen.size());
  CHECK(async_seen[0].num_a == sync_seen[0].num_a);
  CHECK(axyb.unbind(ax->subscription_id).get().ok());
  CHECK(client.axyb().query(ax->subscription_id).error().result_code == "1016001");  // gone
}

TEST_CASE("Async stop_call and download_url answer like their sync forms") {
  FakePlatform platform;
  const Client client(platform.client_options());
  platform.add_active_session("session-1");
  CHECK(client.async().calls().stop_call(privacycall::StopCallRequest("session-1")).get().ok());
  CHECK_FALSE(platform.is_session_active("session-1"));
  CHECK(client.async().calls().stop_call(privacycall::StopCallRequest("session-1")).get().error().result_code ==
        "1020152");

  platform.add_recording("call-1.wav", "ostor.example", "RIFF");
  const auto url = client.async().recordings().download_url("call-1.wav", "ostor.example").get();
  REQUIRE(url.ok());
  CHECK(url->rfind(platform.base_url() + "/sim/", 0) == 0);
  const auto sync_url = client.recordings().download_url("call-1.wav", "ostor.example").value();
  CHECK(url->substr(0, url->find('?')) == sync_url.substr(0, sync_url.find('?')));
  CHECK(client.async().recordings().download_url("missing.wav", "ostor.example").get().error().result_code ==
        "1012007");
}

TEST_CASE("Invalid requests to every async service fail at once and send nothing") {
  FakePlatform platform;
  const Client client(platform.client_options());
  const auto async = client.async();
  const privacycall::SubscriptionId bad{std::string(65, 'x')};  // longer than the platform allows
  auto refused = [](auto future) {
    REQUIRE(future.wait_for(0s) == std::future_status::ready);
    const auto result = future.get();
    REQUIRE_FALSE(result.ok());
    return result.error().category == ErrorCategory::kValidation;
  };
  privacycall::AxTemporaryCalleeRequest callee(bad, user(2));
  CHECK(refused(async.ax().set_temporary_callee(callee)));
  CHECK(refused(async.ax().query(bad)));
  CHECK(refused(async.axe().unbind(bad)));
  privacycall::AxeCountPage page;
  page.limit = 0;
  CHECK(refused(async.axe().count(page)));
  CHECK(refused(async.axyb().bind_yb(privacycall::AxybBindYbRequest(bad, user(2)))));
  CHECK(refused(async.axyb().unbind(bad)));
  CHECK(refused(async.calls().stop_call(privacycall::StopCallRequest(""))));
  CHECK(refused(async.recordings().download_url("", "ostor.example")));
  CHECK(platform.requests().empty());
}

TEST_CASE("Callbacks receive each result once and may start the next call from the loop thread") {
  FakePlatform platform;
  const Client client(platform.client_options());
  const auto axb = client.async().axb();
  std::promise<privacycall::Result<privacycall::AxbQueryResponse>> queried;
  bind_then(axb, [&](privacycall::Result<privacycall::AxbBindResponse> bound) {
    REQUIRE(bound.ok());  // the bind went out, so the chained query below sees its binding
    axb.query(bound->subscription_id, [&](privacycall::Result<privacycall::AxbQueryResponse> result) {
      queried.set_value(std::move(result));
    });
  });
  auto future = queried.get_future();
  REQUIRE(future.wait_for(10s) == std::future_status::ready);
  const auto result = future.get();
  REQUIRE(result.ok());
  REQUIRE(result->bindings.size() == 1);
  CHECK(result->bindings[0].caller_num == user(1).str());
  CHECK(platform.requests().size() == 2);

  int refusals = 0;
  client.async().calls().stop_call(privacycall::StopCallRequest(""), [&](privacycall::Result<privacycall::ApiResponse> r) {
    refusals += r.ok() ? 0 : r.error().category == ErrorCategory::kValidation;
  });
  CHECK(refusals == 1);  // at once, on this thread
  CHECK(platform.requests().size() == 2);
}

TEST_CASE("An exception escaping a callback is logged with the operation's name and the loop goes on") {
  FakePlatform platform;
  auto options = fast_options(platform);
  std::mutex mutex;
  std::vector<privacycall::LogRecord> errors;
  options.log = [&](const privacycall::LogRecord& record) {
    if (record.level != privacycall::LogLevel::kError) return;
    std::lock_guard<std::mutex> lock(mutex);
    errors.push_back(record);
  };
  const Client client(options);
  const auto axb = client.async().axb();

  bind_then(axb, [](privacycall::Result<privacycall::AxbBindResponse>) {
    throw std::runtime_error("application bug while handling +8613912345678");
  });
  // All completions run on the one loop thread, in turn: once these have run, so has the
  // throwing callback and its handling.
  constexpr int kCalls = 1000;
  std::atomic<int> completed{0};
  std::atomic<int> succeeded{0};
  std::promise<void> all_done;
  for (int i = 0; i < kCalls; ++i) {
    axb.query(AxbBindingsOnNumber(kX), [&](privacycall::Result<privacycall::AxbQueryResponse> result) {
      if (result.ok()) ++succeeded;
      if (++completed == kCalls) all_done.set_value();
    });
  }
  REQUIRE(all_done.get_future().wait_for(60s) == std::future_status::ready);
  CHECK(succeeded == kCalls);

  // A refusal delivered at once on the calling thread is guarded the same way.
  CHECK_NOTHROW(axb.bind(AxbBindRequest(user(1), user(1)),
                         [](privacycall::Result<privacycall::AxbBindResponse>) { throw 42; }));

  std::lock_guard<std::mutex> lock(mutex);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].operation == "axb.bind");
  CHECK(errors[0].message.find("axb.bind") != std::string::npos);
  CHECK(errors[0].message.find("application bug") != std::string::npos);
  CHECK(errors[0].message.find("+8613912345678") == std::string::npos);  // masked like every number
  CHECK(errors[1].operation == "axb.bind");
}

TEST_CASE("A call with text that is not UTF-8, started from a callback, fails as a validation error") {
  FakePlatform platform;
  const Client client(platform.client_options());
  const auto axb = client.async().axb();
  std::promise<privacycall::Result<privacycall::AxbBindResponse>> second;
  bind_then(axb, [&](privacycall::Result<privacycall::AxbBindResponse> bound) {
    AxbBindRequest gbk(user(3), user(4));
    gbk.settings.user_data = "\xC4\xE3\xBA\xC3";
    axb.bind(gbk, [&](privacycall::Result<privacycall::AxbBindResponse> result) {
      second.set_value(std::move(result));
    });
    CHECK(bound.ok());
  });
  auto future = second.get_future();
  REQUIRE(future.wait_for(10s) == std::future_status::ready);
  const auto result = future.get();
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().category == ErrorCategory::kValidation);
  CHECK(platform.requests().size() == 1);
}

TEST_CASE("A body JSON cannot carry fails as a validation error, sync and async, and nothing is sent") {
  FakePlatform platform;
  const auto core = privacycall::internal::ClientCore::create(platform.client_options()).value();
  privacycall::internal::ApiCall call;
  call.method = privacycall::HttpMethod::kPost;
  call.path = "/rest/httpsessions/callStop/v2.0";
  call.body.emplace().add("sessionid", "\xC4\xE3");  // past every validator
  const auto sent = core->send(call, {});
  REQUIRE_FALSE(sent.ok());
  CHECK(sent.error().category == ErrorCategory::kValidation);

  std::optional<privacycall::Result<privacycall::HttpResponse>> async_sent;
  core->send_async(call, {}, [&](privacycall::Result<privacycall::HttpResponse> r) { async_sent = std::move(r); });
  REQUIRE(async_sent);  // at once, on this thread
  REQUIRE_FALSE(async_sent->ok());
  CHECK(async_sent->error().category == ErrorCategory::kValidation);
  CHECK(platform.requests().empty());
}

TEST_CASE("The future form decodes the answer on the thread that takes it, the callback form on the loop") {
  FakePlatform platform;
  const auto core = privacycall::internal::ClientCore::create(platform.client_options()).value();
  const auto operation = [](std::atomic<std::thread::id>& decoded_on) {
    privacycall::internal::ApiCall call;
    call.path = "/rest/caas/relationnumber/partners/v1.0";
    call.query.add("relationNum", "+8675500000001");
    privacycall::internal::Operation<privacycall::ApiResponse> op;
    op.call = std::move(call);
    op.decode = [&decoded_on](privacycall::HttpResponse&& http) -> privacycall::Result<privacycall::ApiResponse> {
      decoded_on = std::this_thread::get_id();
      privacycall::ApiResponse response;
      response.raw_json = std::move(http.body);
      return response;
    };
    return op;
  };

  std::atomic<std::thread::id> future_decoded_on{};
  auto future = privacycall::internal::as_future<privacycall::ApiResponse>([&](auto done) {
    core->run_async("axb.query", operation(future_decoded_on), {}, std::move(done));
  });
  future.wait();
  CHECK(future_decoded_on.load() == std::thread::id());  // ready, and not decoded yet
  const auto answer = future.get();
  REQUIRE(answer.ok());
  CHECK(answer->raw_json.find("\"resultcode\":\"0\"") != std::string::npos);
  CHECK(future_decoded_on.load() == std::this_thread::get_id());

  std::atomic<std::thread::id> callback_decoded_on{};
  std::promise<std::thread::id> callback_ran_on;
  core->run_async("axb.query", operation(callback_decoded_on), {},
                  std::function<void(privacycall::Result<privacycall::ApiResponse>)>(
                      [&](privacycall::Result<privacycall::ApiResponse> result) {
                        CHECK(result.ok());
                        callback_ran_on.set_value(std::this_thread::get_id());
                      }));
  const std::thread::id loop = callback_ran_on.get_future().get();
  CHECK(loop != std::this_thread::get_id());
  CHECK(callback_decoded_on.load() == loop);
}

TEST_CASE("Pending callbacks complete as cancelled when the client goes away") {
  privacycall::testing::FakePlatformOptions slow;
  slow.faults.latency = 3s;
  FakePlatform platform(slow);
  std::vector<std::future<privacycall::Result<privacycall::AxbQueryResponse>>> pending;
  {
    auto options = platform.client_options();
    options.retry = RetryPolicy::none();
    const Client client(options);
    for (int i = 0; i < 4; ++i) {
      auto promise = std::make_shared<std::promise<privacycall::Result<privacycall::AxbQueryResponse>>>();
      pending.push_back(promise->get_future());
      client.async().axb().query(AxbBindingsOnNumber(kX), [promise](privacycall::Result<privacycall::AxbQueryResponse> r) {
        promise->set_value(std::move(r));
      });
    }
  }
  for (auto& future : pending) {
    REQUIRE(future.wait_for(2s) == std::future_status::ready);
    const auto result = future.get();
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().message.find("cancelled") != std::string::npos);
  }
}

TEST_CASE("A pooled handle carries no verb or body from one request to the next") {
  FakePlatform platform;
  const Client client(platform.client_options());  // sequential calls reuse one pooled handle
  AxbBindRequest request(user(1), user(2));
  request.relation = kX;
  const auto bound = client.axb().bind(request).value();
  REQUIRE(client.axb().query(bound.subscription_id).ok());
  REQUIRE(client.axb().modify(privacycall::AxbModifyRequest(bound.subscription_id)).ok());
  REQUIRE(client.axb().unbind(bound.subscription_id).ok());
  REQUIRE(client.async().axb().query(AxbBindingsOnNumber(kX)).get().ok());
  const auto sent = platform.requests();
  REQUIRE(sent.size() == 5);
  const std::vector<std::string> methods = {"POST", "GET", "PUT", "DELETE", "GET"};
  for (std::size_t i = 0; i < sent.size(); ++i) {
    CHECK(sent[i].method == methods[i]);
    CHECK(sent[i].body.empty() == (methods[i] == "GET" || methods[i] == "DELETE"));
  }
}

TEST_CASE("Each request's headers arrive once each and intact, sync and async") {
  FakePlatform platform;
  const Client client(platform.client_options());
  AxbBindRequest request(user(1), user(2));
  request.relation = kX;
  REQUIRE(client.axb().bind(request).ok());
  REQUIRE(client.async().axb().query(AxbBindingsOnNumber(kX)).get().ok());
  const auto sent = platform.requests();
  REQUIRE(sent.size() == 2);
  for (const auto& received : sent) {
    const auto count = [&](std::string_view name) {
      return std::count_if(received.headers.begin(), received.headers.end(),
                           [&](const auto& header) { return privacycall::internal::iequals(header.first, name); });
    };
    for (const char* name : {"Content-Type", "Accept", "Authorization", "X-AKSK", "User-Agent"}) {
      INFO(received.method << " " << name);
      CHECK(count(name) == 1);
    }
    CHECK(count("Expect") == 0);
    CHECK(*privacycall::find_header(received.headers, "Accept") == "application/json");
    CHECK(privacycall::find_header(received.headers, "User-Agent")->rfind("privacycall/", 0) == 0);
  }
}
