// Signed POSTs to the same local server (nginx answering a fixed bind response), through the
// SDK and through raw libcurl, sequentially and with 32 in flight. Prints requests/second and
// the SDK/raw ratios as the median of alternating rounds (see bench::Rounds).
//
//   bench_client --url http://127.0.0.1:PORT/rest/caas/relationnumber/partners/v1.0 [--seconds 0.5] [--rounds 9]
//                [--only async|callbacks|raw-multi|by-hand|by-hand-required]
//                (one measurement alone, e.g. under a profiler)

#include <privacycall/client.hpp>

#include <curl/curl.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "bench_common.hpp"

namespace {

constexpr const char* kKey = "bench-app-key";
constexpr const char* kSecret = "bench-app-secret";
constexpr const char* kBody =
    R"({"callerNum":"+8613800000021","calleeNum":"+8613800000022","relationNum":"+8675500000001"})";

std::size_t discard(char*, std::size_t size, std::size_t count, void*) { return size * count; }

// What a careful hand-written client does per request: one-shot HMAC, Base64, headers.
curl_slist* raw_signed_headers() {
  static std::atomic<unsigned long long> counter{0};
  char nonce[40];
  std::snprintf(nonce, sizeof nonce, "%032llx", counter.fetch_add(1) * 2654435761ULL);
  const std::string created = privacycall::format_created(std::chrono::system_clock::now());
  const std::string message = std::string(nonce) + created;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), kSecret, static_cast<int>(std::strlen(kSecret)),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &mac_len);
  unsigned char b64[64];
  EVP_EncodeBlock(b64, mac, static_cast<int>(mac_len));
  const std::string token = std::string("X-AKSK: UsernameToken Username=\"") + kKey + "\",PasswordDigest=\"" +
                            reinterpret_cast<char*>(b64) + "\",Nonce=\"" + nonce + "\",Created=\"" + created + "\"";
  curl_slist* list = nullptr;
  list = curl_slist_append(list, "Content-Type: application/json;charset=UTF-8");
  list = curl_slist_append(list, R"(Authorization: AKSK realm="SDP",profile="UsernameToken",type="Appkey")");
  list = curl_slist_append(list, token.c_str());
  list = curl_slist_append(list, "Expect:");
  return list;
}

void prepare_raw(CURL* easy, const std::string& url) {
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, kBody);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &discard);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
}

double raw_sequential(const std::string& url, double seconds) {
  CURL* easy = curl_easy_init();
  prepare_raw(easy, url);
  const double rate = bench::rate_for(seconds, [&] {
    curl_slist* headers = raw_signed_headers();
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    if (curl_easy_perform(easy) != CURLE_OK) std::abort();
    curl_slist_free_all(headers);
  });
  curl_easy_cleanup(easy);
  return rate;
}

// What raw curl multi does per call beyond sending the constant signed POST: nothing by
// default. `sdk_work` adds, with no code of the SDK's, what the SDK's documented behaviour
// needs: the body encoded by nlohmann (the JSON stack the SDK must use) instead of a constant;
// the per-call options set on each request (timeout, TLS verification, method and body, as
// CallOptions may change them); the response's headers and body kept (HttpResponse holds both)
// and the body decoded by nlohmann into the answer's two fields. What that costs over the bare
// loop bounds any client that does it, however written, on one thread. `sdk_header_lines` also
// sends the two header lines the SDK adds (Accept, User-Agent): the very requests the SDK makes.
struct ByHand {
  bool sdk_work = false;
  bool sdk_header_lines = false;
};

struct KeptResponse {
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

std::size_t keep_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<KeptResponse*>(user)->body.append(data, size * count);
  return size * count;
}

std::size_t keep_header(char* data, std::size_t size, std::size_t count, void* user) {
  const std::string_view line(data, size * count);
  const std::size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.remove_suffix(1);
    static_cast<KeptResponse*>(user)->headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return size * count;
}

double raw_multi(const std::string& url, double seconds, int in_flight, ByHand by_hand = {}) {
  CURLM* multi = curl_multi_init();
  curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(in_flight));
  std::vector<CURL*> handles;
  std::vector<curl_slist*> headers(in_flight, nullptr);
  std::vector<std::string> bodies(in_flight);
  std::vector<KeptResponse> responses(in_flight);
  auto start_one = [&](int i) {
    if (headers[i]) curl_slist_free_all(headers[i]);
    headers[i] = raw_signed_headers();
    if (by_hand.sdk_header_lines) {
      headers[i] = curl_slist_append(headers[i], "Accept: application/json");
      headers[i] = curl_slist_append(headers[i], "User-Agent: privacycall/1.0");
    }
    CURL* h = handles[i];
    if (by_hand.sdk_work) {
      nlohmann::ordered_json body = nlohmann::ordered_json::object();
      body["callerNum"] = "+8613800000021";
      body["calleeNum"] = "+8613800000022";
      body["relationNum"] = "+8675500000001";
      bodies[i] = body.dump();
      responses[i] = KeptResponse{};
      curl_easy_setopt(h, CURLOPT_URL, url.c_str());
      curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 30000L);
      curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
      curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
      curl_easy_setopt(h, CURLOPT_POST, 1L);
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, bodies[i].data());
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(bodies[i].size()));
    }
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers[i]);
    curl_multi_add_handle(multi, h);
  };
  for (int i = 0; i < in_flight; ++i) {
    handles.push_back(curl_easy_init());
    prepare_raw(handles[i], url);
    curl_easy_setopt(handles[i], CURLOPT_PRIVATE, reinterpret_cast<void*>(static_cast<intptr_t>(i)));
    if (by_hand.sdk_work) {
      curl_easy_setopt(handles[i], CURLOPT_WRITEFUNCTION, &keep_body);
      curl_easy_setopt(handles[i], CURLOPT_WRITEDATA, &responses[i]);
      curl_easy_setopt(handles[i], CURLOPT_HEADERFUNCTION, &keep_header);
      curl_easy_setopt(handles[i], CURLOPT_HEADERDATA, &responses[i]);
    }
    start_one(i);
  }
  long long done = 0;
  const auto begin = bench::Clock::now();
  const auto deadline = begin + std::chrono::duration<double>(seconds);
  int running = 0;
  while (bench::Clock::now() < deadline) {
    curl_multi_perform(multi, &running);
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
      if (message->msg != CURLMSG_DONE) continue;
      if (message->data.result != CURLE_OK) std::abort();
      void* index = nullptr;
      curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &index);
      const int i = static_cast<int>(reinterpret_cast<intptr_t>(index));
      curl_multi_remove_handle(multi, message->easy_handle);
      if (by_hand.sdk_work) {
        const auto answer = nlohmann::ordered_json::parse(responses[i].body);
        if (answer.value("subscriptionId", "").empty() || answer.value("relationNum", "").empty()) std::abort();
      }
      ++done;
      start_one(i);
    }
    curl_multi_poll(multi, nullptr, 0, 10, nullptr);
  }
  const double elapsed = std::chrono::duration<double>(bench::Clock::now() - begin).count();
  for (int i = 0; i < in_flight; ++i) {
    curl_multi_remove_handle(multi, handles[i]);
    curl_easy_cleanup(handles[i]);
    curl_slist_free_all(headers[i]);
  }
  curl_multi_cleanup(multi);
  return static_cast<double>(done) / elapsed;
}

privacycall::Client sdk_client(const std::string& url) {
  privacycall::ClientOptions options;
  options.base_url = url.substr(0, url.find("/rest/"));
  options.app_key = kKey;
  options.app_secret = kSecret;
  return privacycall::Client(options);
}

privacycall::AxbBindRequest bind_request() {
  privacycall::AxbBindRequest request(privacycall::PhoneNumber("+8613800000021"),
                                      privacycall::PhoneNumber("+8613800000022"));
  request.relation = privacycall::PhoneNumber("+8675500000001");
  return request;
}

double sdk_sequential(const std::string& url, double seconds) {
  const auto client = sdk_client(url);
  const auto request = bind_request();
  return bench::rate_for(seconds, [&] {
    if (!client.axb().bind(request)) std::abort();
  });
}

// 32 calls kept in flight from this one thread through the async API.
double sdk_async(const std::string& url, double seconds, int in_flight) {
  const auto client = sdk_client(url);
  const auto axb = client.async().axb();
  const auto request = bind_request();
  std::deque<privacycall::Future<privacycall::AxbBindResponse>> pending;
  for (int i = 0; i < in_flight; ++i) pending.push_back(axb.bind(request));
  long long done = 0;
  const auto begin = bench::Clock::now();
  const auto deadline = begin + std::chrono::duration<double>(seconds);
  while (bench::Clock::now() < deadline) {
    if (!pending.front().get()) std::abort();
    pending.pop_front();
    ++done;
    pending.push_back(axb.bind(request));
  }
  const double elapsed = std::chrono::duration<double>(bench::Clock::now() - begin).count();
  for (auto& future : pending) future.get();
  return static_cast<double>(done) / elapsed;
}

// The same through the callback form: each completion starts the next call on the loop thread.
double sdk_async_callbacks(const std::string& url, double seconds, int in_flight) {
  const auto client = sdk_client(url);
  const auto axb = client.async().axb();
  const auto request = bind_request();
  std::atomic<long long> done{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::condition_variable drained;
  int outstanding = in_flight;
  privacycall::Callback<privacycall::AxbBindResponse> next = [&](privacycall::Result<privacycall::AxbBindResponse> result) {
    if (!result) std::abort();
    done.fetch_add(1, std::memory_order_relaxed);
    if (!stop.load(std::memory_order_relaxed)) return axb.bind(request, next);
    std::lock_guard<std::mutex> lock(mutex);
    if (--outstanding == 0) drained.notify_one();
  };
  const auto begin = bench::Clock::now();
  for (int i = 0; i < in_flight; ++i) axb.bind(request, next);
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));  // the measurement window
  const auto counted = static_cast<double>(done.load());
  const double elapsed = std::chrono::duration<double>(bench::Clock::now() - begin).count();
  stop = true;
  std::unique_lock<std::mutex> lock(mutex);
  drained.wait(lock, [&] { return outstanding == 0; });
  return counted / elapsed;
}

double sdk_threads(const std::string& url, double seconds, int threads) {
  const auto client = sdk_client(url);
  const auto request = bind_request();
  std::atomic<long long> done{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> workers;
  const auto begin = bench::Clock::now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      while (!stop.load(std::memory_order_relaxed)) {
        if (!client.axb().bind(request)) std::abort();
        done.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));  // the measurement window
  stop = true;
  for (auto& worker : workers) worker.join();
  return static_cast<double>(done.load()) / std::chrono::duration<double>(bench::Clock::now() - begin).count();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string url = bench::arg(argc, argv, "--url", "");
  const double seconds = std::atof(bench::arg(argc, argv, "--seconds", "0.5").c_str());
  const int rounds = std::max(1, std::atoi(bench::arg(argc, argv, "--rounds", "9").c_str()));
  if (url.empty()) {
    std::fprintf(stderr, "usage: bench_client --url http://127.0.0.1:PORT/rest/caas/relationnumber/partners/v1.0\n");
    return 2;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  const std::string only = bench::arg(argc, argv, "--only", "");
  if (only == "async" || only == "callbacks" || only == "raw-multi" || only == "by-hand" ||
      only == "by-hand-required") {
    const double rate = only == "async"              ? sdk_async(url, seconds, 32)
                        : only == "callbacks"        ? sdk_async_callbacks(url, seconds, 32)
                        : only == "by-hand"          ? raw_multi(url, seconds, 32, {true, true})
                        : only == "by-hand-required" ? raw_multi(url, seconds, 32, {true, false})
                                                     : raw_multi(url, seconds, 32);
    bench::figure(only.c_str(), rate, "req/s");
    curl_global_cleanup();
    return 0;
  }
  std::printf("client: signed POST bind to %s, %d alternating rounds of %.1f s per figure\n", url.c_str(),
              rounds, seconds);
  bench::Rounds sequential, futures, callbacks, required_by_hand, by_hand, futures_by_hand;
  for (int round = 0; round < rounds; ++round) {
    // Each SDK figure has a baseline run of its own right next to it, and which of the two runs
    // first alternates from round to round, so that the machine's drift favours neither.
    const bool sdk_first = round % 2 == 1;
    const auto pair = [sdk_first](bench::Rounds& rounds_of, const auto& sdk, const auto& raw) {
      const double first = sdk_first ? sdk() : raw();
      const double second = sdk_first ? raw() : sdk();
      rounds_of.add(sdk_first ? first : second, sdk_first ? second : first);
    };
    pair(sequential, [&] { return sdk_sequential(url, seconds); }, [&] { return raw_sequential(url, seconds); });
    pair(futures, [&] { return sdk_async(url, seconds, 32); }, [&] { return raw_multi(url, seconds, 32); });
    pair(callbacks, [&] { return sdk_async_callbacks(url, seconds, 32); }, [&] { return raw_multi(url, seconds, 32); });
    pair(required_by_hand, [&] { return raw_multi(url, seconds, 32, {true, false}); },
         [&] { return raw_multi(url, seconds, 32); });
    pair(by_hand, [&] { return raw_multi(url, seconds, 32, {true, true}); }, [&] { return raw_multi(url, seconds, 32); });
    pair(futures_by_hand, [&] { return sdk_async(url, seconds, 32); },
         [&] { return raw_multi(url, seconds, 32, {true, true}); });
  }
  const double threads_32 = sdk_threads(url, seconds, 32);
  bench::figure("raw libcurl keep-alive, sequential (median)", sequential.baseline(), "req/s");
  bench::figure("SDK axb().bind, sequential (median)", sequential.ours(), "req/s");
  sequential.print_ratio("SDK / raw libcurl, sequential", 0.9);
  bench::figure("raw curl multi, 32 in flight (median)", futures.baseline(), "req/s");
  bench::figure("SDK async futures, 32 in flight from one thread", futures.ours(), "req/s");
  bench::figure("SDK async callbacks, 32 in flight", callbacks.ours(), "req/s");
  bench::figure("SDK sync client from 32 threads (for reference)", threads_32, "req/s");
  futures.print_ratio("SDK async futures 32 / raw curl multi 32", 0.9);
  callbacks.print_ratio("SDK async callbacks 32 / raw curl multi 32", 0.8);
  // What the SDK's documented work costs by itself, written by hand on raw curl multi's loop:
  // the bound of any client that does it, and the SDK's futures form measured against the
  // hand-written loop that makes the SDK's very requests.
  bench::figure("by hand: raw curl multi + the SDK's required work", required_by_hand.ours(), "req/s");
  bench::figure("by hand: the same + the SDK's two header lines", by_hand.ours(), "req/s");
  required_by_hand.print_ratio("by hand, required work / raw curl multi 32");
  by_hand.print_ratio("by hand, the SDK's requests / raw curl multi 32");
  futures_by_hand.print_ratio("SDK async futures 32 / by hand, the SDK's requests");
  curl_global_cleanup();
  return 0;
}
