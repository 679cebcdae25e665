// The webhook receiver under load: privacycall::webhook::WebhookServer (signature verification,
// parsing, per-record dedupe, a trivial CDR handler) on loopback, driven by
// `wrk -tT -cC -dNs --latency` with signed ~650-byte CDR pushes that are unique per request,
// against nginx `return 200` under the same wrk command and script. Also the parse cost per
// CDR record (a 50-record batch and a 1-record push).
//
//   bench_receiver --baseline http://127.0.0.1:PORT/cdr --lua bench/bench_receiver.lua
//                  [--seconds 3] [--rounds 3] [--connections 64] [--wrk-threads 2]
//                  [--requests-per-second 40000] [--wrk-output yes]   (wrk's own report of each run)
//                  [--receiver-threads 16]   (WebhookServerOptions::threads)
//
// The receiver and nginx run in alternating rounds of `seconds` each; the figures are medians
// over the rounds (see bench::Rounds). Each request needs a fresh nonce (the verifier remembers
// nonces) and a fresh record id (CDRs are deduplicated), so before each round seconds x
// requests-per-second signed requests with ids of their own are generated (all Created now,
// well inside the 5-minute window) and split between wrk's threads. A thread that runs out
// starts over; its repeats are refused as replays and counted below.

#include <privacycall/signature.hpp>
#include <privacycall/webhook/parse.hpp>
#include <privacycall/webhook/server.hpp>

#include <atomic>
#include <cinttypes>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <regex>
#include <thread>

#include "bench_common.hpp"
#include "webhook_server/httplib_tuning.hpp"

namespace {

namespace webhook = privacycall::webhook;

constexpr const char* kKey = "bench-app-key";
constexpr const char* kSecret = "bench-app-secret";
constexpr const char* kPath = "/cdr";

constexpr std::size_t kIdLength = 16;

// One CDR as the platform pushes it; `id` (kIdLength characters) makes icid and sessionId unique.
std::string fee_record(const std::string& id) {
  return R"({"direction":0,"spId":"bench_sp","appKey":"bench-app-key","icid":"ba171f34e6953fcd.)" + id +
         R"(","bindNum":"+8617000000001","sessionId":"1200_1827_)" + id +
         R"(@callenabler246.huaweicaas.com","subscriptionId":"0a3d2f6c-bench-sub","callerNum":"+8613800000021",)"
         R"("calleeNum":"+8617000000001","fwdDstNum":"+8613800000022",)"
         R"("callInTime":"2026-11-22 10:00:00","fwdStartTime":"2026-11-22 10:00:01",)"
         R"("fwdAnswerTime":"2026-11-22 10:00:05","callEndTime":"2026-11-22 10:01:05","fwdUnaswRsn":0,"ulFailReason":0,)"
         R"("sipStatusCode":0,"callOutUnaswRsn":0,"ttsPlayTimes":0,"serviceType":"003",)"
         R"("hostName":"callenabler246.huaweicaas.com"})";
}

// A CDR push around `records` (comma-separated fee_record()s).
std::string fee_push(const std::string& records) { return R"({"eventType":"fee","feeLst":[)" + records + "]}"; }

std::string fee_body(int records, unsigned long long first_id) {
  std::string list;
  for (int i = 0; i < records; ++i) {
    char id[kIdLength + 1];
    std::snprintf(id, sizeof id, "%016llx", first_id + static_cast<unsigned long long>(i));
    if (i > 0) list += ',';
    list += fee_record(id);
  }
  return fee_push(list);
}

// ns per CDR record of parse_notification on a batch of `records`.
double parse_ns_per_record(int records, double seconds) {
  const std::string body = fee_body(records, 1);
  std::size_t sink = 0;
  const double rate = bench::rate_for(seconds, [&] {
    auto parsed = webhook::parse_notification(body);
    sink += parsed.ok() ? std::get<webhook::FeeNotification>(*parsed).records.size() : 0;
  });
  if (sink == 0) std::abort();  // the body must parse
  return 1e9 / rate / records;
}

// ns per push of Dispatcher::handle (verify + parse + dedupe + handler), in process, on
// `count` pushes signed beforehand, each with its own nonce and record id: the SDK's own cost
// per request, without HTTP.
double dispatch_ns_per_push(int count) {
  auto verifier = std::make_shared<webhook::WebhookVerifier>();
  verifier->add_app(kKey, kSecret);
  std::size_t delivered = 0;
  webhook::WebhookHandlers handlers;
  handlers.on_fee = [&delivered](const webhook::FeeNotification& fee) { delivered += fee.records.size(); };
  webhook::DispatcherOptions options;
  options.log = [](privacycall::LogLevel, std::string_view) {};
  webhook::Dispatcher dispatcher(verifier, handlers, options);
  const privacycall::Signer signer(kKey, kSecret);
  const std::string created = privacycall::format_created(std::chrono::system_clock::now());
  std::vector<webhook::WebhookRequest> requests(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    char nonce[33];
    std::snprintf(nonce, sizeof nonce, "dispatch%024d", i);
    auto& request = requests[static_cast<std::size_t>(i)];
    request.method = "POST";
    request.path = kPath;
    const auto headers = signer.sign(nonce, created);
    request.headers.add("Authorization", headers.authorization);
    request.headers.add(headers.token_header, headers.token_value);
    request.body = fee_body(1, 0x100000000ULL + static_cast<unsigned long long>(i));
  }
  const auto begin = bench::Clock::now();
  for (const auto& request : requests) {
    if (dispatcher.handle(request).status != 200) std::abort();
  }
  const double elapsed = std::chrono::duration<double, std::nano>(bench::Clock::now() - begin).count();
  if (delivered != requests.size()) std::abort();
  return elapsed / count;
}

// Writes the wrk script's inputs to `dir`: `template` (the raw request with %s for the X-AKSK
// value and twice the record id) and requests.<thread>, one "token<TAB>id" line per request,
// for the requests numbered [first, first + count).
// Returns the body size.
std::size_t write_requests(const std::filesystem::path& dir, int wrk_threads, long long first, long long count) {
  const std::string marker = "@@ID@@";
  const std::string body = fee_push(fee_record(marker));  // the record id appears twice
  const std::size_t body_size = body.size() - 2 * marker.size() + 2 * kIdLength;
  std::string escaped;  // string.format template: % doubled, record id as %s
  for (char c : body) escaped += c == '%' ? std::string("%%") : std::string(1, c);
  for (std::size_t at; (at = escaped.find(marker)) != std::string::npos;) escaped.replace(at, marker.size(), "%s");
  std::ofstream(dir / "template", std::ios::binary)
      << "POST " << kPath << " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      << "Content-Type: application/json;charset=UTF-8\r\n"
      << "Authorization: " << privacycall::authorization_value(privacycall::SignatureScheme::kAksk) << "\r\n"
      << "X-AKSK: %s\r\nContent-Length: " << body_size << "\r\n\r\n"
      << escaped;

  const privacycall::Signer signer(kKey, kSecret);
  const std::string created = privacycall::format_created(std::chrono::system_clock::now());
  const unsigned long long run = std::random_device{}();
  for (int t = 0; t < wrk_threads; ++t) {
    std::ofstream out(dir / ("requests." + std::to_string(t)), std::ios::binary);
    for (long long i = first + t; i < first + count; i += wrk_threads) {
      char nonce[33], id[kIdLength + 1];
      std::snprintf(nonce, sizeof nonce, "%016llx%016llx", run, static_cast<unsigned long long>(i));
      std::snprintf(id, sizeof id, "%016llx", static_cast<unsigned long long>(i));
      out << signer.sign(nonce, created).token_value << '\t' << id << '\n';
    }
  }
  return body_size;
}

struct WrkResult {
  double requests_per_second = 0;
  double p99_ms = 0;
  unsigned long long requests = 0;
  unsigned long long non_2xx = 0;
  unsigned long long socket_errors = 0;
};

double to_ms(double value, const std::string& unit) {
  if (unit == "us") return value / 1000;
  if (unit == "s") return value * 1000;
  return value;  // ms
}

WrkResult run_wrk(const std::string& command, bool show_output) {
  std::string output;
  if (FILE* pipe = popen((command + " 2>&1").c_str(), "r")) {
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) output.append(buffer, n);
    pclose(pipe);
  }
  if (show_output) std::printf("%s\n", output.c_str());
  WrkResult result;
  std::smatch m;
  if (std::regex_search(output, m, std::regex(R"(Requests/sec:\s+([0-9.]+))"))) {
    result.requests_per_second = std::stod(m[1]);
  }
  if (std::regex_search(output, m, std::regex(R"(\n\s+99%\s+([0-9.]+)(us|ms|s)\b)"))) {
    result.p99_ms = to_ms(std::stod(m[1]), m[2]);
  }
  if (std::regex_search(output, m, std::regex(R"(([0-9]+) requests in)"))) result.requests = std::stoull(m[1]);
  if (std::regex_search(output, m, std::regex(R"(Non-2xx or 3xx responses:\s+([0-9]+))"))) {
    result.non_2xx = std::stoull(m[1]);
  }
  const std::regex socket_errors(R"(Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+))");
  if (std::regex_search(output, m, socket_errors)) {
    for (int i = 1; i <= 4; ++i) result.socket_errors += std::stoull(m[i]);
  }
  if (result.requests_per_second == 0) std::fprintf(stderr, "wrk failed:\n%s\n", output.c_str());
  return result;
}

// cpp-httplib in its own model, a pool thread per keep-alive connection (as WebhookServer
// still serves HTTPS), tuned as internal::tune_http_server does (TCP_NODELAY, backlog 1024),
// with a handler that answers 200 after keeping the CPU busy for `work` (zero: at once). With
// zero it shows what the library alone costs under this load; with the receiver's own cost per
// push it shows the latency a handler that busy gets from thread-per-connection, which the
// receiver's event loop (src/webhook_server/event_loop_server.hpp) avoids.
class BareHttplib {
 public:
  BareHttplib(int connections, std::chrono::nanoseconds work) {
    privacycall::internal::HttpServerTuning tuning;
    tuning.threads = static_cast<std::size_t>(connections);
    const auto listening_fd = privacycall::internal::tune_http_server(server_, tuning);
    server_.Post(kPath, [work](const httplib::Request&, httplib::Response& res) {
      const auto until = std::chrono::steady_clock::now() + work;
      while (work.count() > 0 && std::chrono::steady_clock::now() < until) {
      }
      res.status = 200;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    privacycall::internal::raise_backlog(*listening_fd, tuning.backlog);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::yield();
  }
  ~BareHttplib() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + kPath; }

 private:
  httplib::Server server_;
  int port_ = -1;
  std::thread thread_;
};

void count(const char* name, unsigned long long value) {
  std::printf("%-52s %12llu\n", name, value);
}

}  // namespace

int main(int argc, char** argv) {
  const int seconds = std::max(1, std::atoi(bench::arg(argc, argv, "--seconds", "3").c_str()));  // wrk: whole s
  const std::string baseline = bench::arg(argc, argv, "--baseline", "");
  const std::string lua = bench::arg(argc, argv, "--lua", "bench/bench_receiver.lua");
  const int rounds = std::max(1, std::atoi(bench::arg(argc, argv, "--rounds", "3").c_str()));
  const bool show_wrk = bench::arg(argc, argv, "--wrk-output", "no") == "yes";
  const int connections = std::atoi(bench::arg(argc, argv, "--connections", "64").c_str());
  const int wrk_threads = std::atoi(bench::arg(argc, argv, "--wrk-threads", "2").c_str());
  const double expected_rate = std::atof(bench::arg(argc, argv, "--requests-per-second", "40000").c_str());

  // Parse cost first, on a quiet machine.
  const double batch_ns = parse_ns_per_record(50, std::max(0.5, seconds / 3.0));
  const double single_ns = parse_ns_per_record(1, std::max(0.5, seconds / 3.0));
  const double dispatch_ns = dispatch_ns_per_push(50000);

  // The receiver as an application sets it up.
  std::atomic<unsigned long long> records{0};
  webhook::VerifierOptions verifier_options;
  verifier_options.log = [](privacycall::LogLevel, std::string_view) {};  // refusals are counted
  auto verifier = std::make_shared<webhook::WebhookVerifier>(verifier_options);
  verifier->add_app(kKey, kSecret);
  webhook::WebhookHandlers handlers;
  handlers.on_fee = [&records](const webhook::FeeNotification& fee) { records += fee.records.size(); };
  webhook::DispatcherOptions dispatcher_options;
  dispatcher_options.paths = {kPath};
  dispatcher_options.log = verifier_options.log;
  auto dispatcher = std::make_shared<webhook::Dispatcher>(verifier, handlers, dispatcher_options);
  webhook::WebhookServerOptions server_options;
  // Idle keep-alive connections hold no thread: the workers only bound the handlers running at once.
  server_options.threads = static_cast<std::size_t>(
      std::atoi(bench::arg(argc, argv, "--receiver-threads", std::to_string(server_options.threads).c_str()).c_str()));
  server_options.log = verifier_options.log;
  webhook::WebhookServer server(dispatcher, server_options);
  const auto port = server.start();
  if (!port) {
    std::fprintf(stderr, "cannot start the receiver: %s\n", port.error().to_string().c_str());
    return 1;
  }

  const auto dir = std::filesystem::temp_directory_path() /
                   ("bench_receiver." + std::to_string(static_cast<unsigned>(std::random_device{}())));
  const long long per_round = static_cast<long long>(seconds * expected_rate) + 1000;
  char wrk[512];
  std::snprintf(wrk, sizeof wrk, "wrk -t%d -c%d -d%ds --latency -s %s", wrk_threads, connections, seconds,
                lua.c_str());
  const std::string receiver_url = "http://127.0.0.1:" + std::to_string(*port) + kPath;
  bench::Rounds throughput;
  std::vector<double> ours_rates, p99s, nginx_p99s, bare_p99s, busy_rates, busy_p99s;
  bench::Rounds versus_library;  // receiver vs cpp-httplib alone
  const BareHttplib bare(connections, std::chrono::nanoseconds(0));
  const BareHttplib busy(connections, std::chrono::nanoseconds(static_cast<long long>(dispatch_ns)));
  WrkResult totals;  // summed over the rounds
  std::size_t body_size = 0;
  for (int round = 0; round < rounds; ++round) {
    const auto round_dir = dir / std::to_string(round);
    std::filesystem::create_directories(round_dir);
    body_size = write_requests(round_dir, wrk_threads, round * per_round, per_round);
    const WrkResult ours = run_wrk(std::string(wrk) + " " + receiver_url + " -- " + round_dir.string(), show_wrk);
    const WrkResult library = run_wrk(std::string(wrk) + " " + bare.url() + " -- " + round_dir.string(), show_wrk);
    versus_library.add(ours.requests_per_second, library.requests_per_second);
    bare_p99s.push_back(library.p99_ms);
    const WrkResult spinning = run_wrk(std::string(wrk) + " " + busy.url() + " -- " + round_dir.string(), show_wrk);
    busy_rates.push_back(spinning.requests_per_second);
    busy_p99s.push_back(spinning.p99_ms);
    if (!baseline.empty()) {
      const WrkResult nginx = run_wrk(std::string(wrk) + " " + baseline + " -- " + round_dir.string(), show_wrk);
      throughput.add(ours.requests_per_second, nginx.requests_per_second);
      nginx_p99s.push_back(nginx.p99_ms);
    }
    if (static_cast<long long>(ours.requests) > per_round) {
      std::printf("warning: wrk sent more requests than were pre-signed; raise --requests-per-second\n");
    }
    ours_rates.push_back(ours.requests_per_second);
    p99s.push_back(ours.p99_ms);
    totals.requests += ours.requests;
    totals.non_2xx += ours.non_2xx;
    totals.socket_errors += ours.socket_errors;
  }
  server.stop();
  const webhook::DispatcherStats stats = dispatcher->stats();
  std::filesystem::remove_all(dir);
  const double p99_ms = bench::median(p99s);

  const auto& r = stats.rejected;
  const unsigned long long rejected = r.method_not_allowed + r.not_found + r.too_large + r.bad_auth_headers +
                                      r.unauthenticated + r.replayed + r.malformed_body + r.busy;
  std::printf("receiver: signed %zu-byte CDR pushes, %s, %d alternating rounds of %d s (%lld pre-signed each)\n",
              body_size, wrk, rounds, seconds, per_round);
  bench::figure("parse: 50-record CDR batch", batch_ns, "ns/record");
  bench::figure("parse: 1-record CDR push", single_ns, "ns/record");
  bench::figure("dispatch: verify + parse + dedupe + handler, no HTTP", dispatch_ns, "ns/push");
  if (!baseline.empty()) bench::figure("nginx return 200 (baseline, median)", throughput.baseline(), "req/s");
  bench::figure("receiver: verify + parse + dedupe + handler (median)", bench::median(ours_rates), "req/s");
  if (!baseline.empty()) throughput.print_ratio("receiver / nginx", 0.25);
  bench::figure("receiver p99 latency (median of rounds)", p99_ms, "ms");
  if (!nginx_p99s.empty()) bench::figure("nginx p99 latency, same wrk load (for reference)", bench::median(nginx_p99s), "ms");
  bench::figure("cpp-httplib alone, empty handler (median)", versus_library.baseline(), "req/s");
  std::printf("%-52s %12.2f x\n", "receiver / cpp-httplib alone", versus_library.ratio());
  bench::figure("cpp-httplib alone, p99 latency (median of rounds)", bench::median(bare_p99s), "ms");
  std::printf("cpp-httplib, handler busy for the dispatch time (%.1f us):\n", dispatch_ns / 1000);
  bench::figure("  throughput (median)", bench::median(busy_rates), "req/s");
  bench::figure("  p99 latency (median of rounds)", bench::median(busy_p99s), "ms");
  std::printf("%-52s %12s   (goal <= 10 ms: %s; rounds", "receiver p99 vs goal", "", p99_ms <= 10 ? "met" : "NOT met");
  for (double p99 : p99s) std::printf(" %.1f", p99);
  std::printf(")\n");
  count("requests answered (wrk, all rounds)", totals.requests);
  count("accepted: CDRs delivered to the handler", records.load());
  count("rejected (replayed, unauthenticated, malformed...)", rejected);
  count("  of which replayed (pre-signed requests ran out)", r.replayed);
  count("duplicates", stats.duplicates);
  count("non-2xx answers + socket errors seen by wrk", totals.non_2xx + totals.socket_errors);
  if (rejected * 100 > totals.requests || totals.non_2xx + totals.socket_errors > 0) {
    std::printf("warning: refused requests or errors: the receiver figures above are not valid\n");
    return 1;
  }
  return 0;
}
