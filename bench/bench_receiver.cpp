// The webhook receiver under load, on loopback, driven by `wrk -tT -cC -dNs --latency` with
// signed ~650-byte CDR pushes that are unique per request, against nginx `return 200` under the
// same wrk command and script:
//   - privacycall::webhook::WebhookServer in this process (signature verification, parsing,
//     per-record dedupe, a trivial CDR handler);
//   - `privacycall listen` as shipped (--listen PATH), printing one JSON line per notification
//     into a pipe this process reads;
//   - cpp-httplib alone with an empty handler, for reference (what the library costs);
//   - cpp-httplib with the least any receiver does, by hand (LeastWork below), and the same
//     writing a line a push into a pipe before answering (the least `listen` does), for reference.
// Also the parse cost per CDR record (a 50-record batch and a 1-record push) and the in-process
// cost of one dispatched push.
//
//   bench_receiver --baseline http://127.0.0.1:PORT/cdr --lua bench/bench_receiver.lua
//                  [--listen build/tools/cli/privacycall]
//                  [--seconds 3] [--rounds 3] [--connections 64] [--wrk-threads 2]
//                  [--requests-per-second 150000] [--wrk-output yes]   (wrk's own report of each run)
//                  [--receiver-threads 64]   (WebhookServerOptions::threads)
//
// The subjects and nginx run in turn in each of `rounds` rounds of `seconds` each, each round
// starting with another one; the figures are medians over the rounds (see bench::Rounds). Each
// request needs a fresh nonce (the verifier remembers nonces) and a fresh record id (CDRs are
// deduplicated), so before each round seconds x requests-per-second signed requests with ids of
// their own are generated (all Created now, well inside the 5-minute window) and split between
// wrk's threads. A thread that runs out starts over: its repeats carry the same header and body,
// which a verifying receiver takes for the platform's re-pushes and deduplicates, so they are
// counted as duplicates (and, for `listen`, as missing lines). Exits 1 when the run is not
// valid (refusals, duplicates or errors).

#include <privacycall/signature.hpp>
#include <privacycall/webhook/parse.hpp>
#include <privacycall/webhook/server.hpp>

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cinttypes>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <random>
#include <regex>
#include <stdexcept>
#include <string_view>
#include <thread>

#include "bench_common.hpp"
#include "webhook/sax_parse.hpp"
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

// ns per CDR record of parse_notification on `body`, a batch of `records`.
double parse_ns_per_record(const std::string& body, int records, double seconds) {
  std::size_t sink = 0;
  const double rate = bench::rate_for(seconds, [&] {
    auto parsed = webhook::parse_notification(body);
    sink += parsed.ok() ? std::get<webhook::FeeNotification>(*parsed).records.size() : 0;
  });
  if (sink == 0) std::abort();  // the body must parse
  return 1e9 / rate / records;
}

// A SAX handler that keeps nothing: what nlohmann's parser costs by itself.
struct DiscardingSax final : nlohmann::json_sax<nlohmann::json> {
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::json::exception&) override { return false; }
};

// ns per CDR record of nlohmann's SAX parser alone on `body`, a batch of `records`: the floor
// under any parse through the JSON library the SDK reads with. Through the SDK's own copy of
// the parser (webhook/sax_parse.hpp, compiled into this program from the same file): a copy
// instantiated here, in a file that also holds cpp-httplib, is inlined worse and ran slower.
double sax_floor_ns_per_record(const std::string& body, int records, double seconds) {
  std::size_t sink = 0;
  const double rate = bench::rate_for(seconds, [&] {
    DiscardingSax handler;
    sink += privacycall::webhook::internal::sax_parse(body, handler) ? 1 : 0;
  });
  if (sink == 0) std::abort();
  return 1e9 / rate / records;
}

// The parse of a CDR batch of `records` and nlohmann's parser alone on it, in `rounds`
// alternating rounds (the machine's speed drifts), in ns per record. One thread doing pure
// computation on a shared machine: other processes only ever add time, so the fastest round
// is the cost of the code (the reasoning of Python's timeit) and the goal is judged on it;
// the median shows what the machine's neighbours added.
struct ParseFigures {
  double parse_ns = 0;  // fastest round
  double parse_median_ns = 0;
  double floor_ns = 0;  // fastest round
  double floor_median_ns = 0;
};
ParseFigures parse_figures(int records, int rounds, double seconds) {
  const std::string body = fee_body(records, 1);
  std::vector<double> parse, floor;
  for (int round = 0; round < rounds; ++round) {
    parse.push_back(parse_ns_per_record(body, records, seconds));
    floor.push_back(sax_floor_ns_per_record(body, records, seconds));
  }
  return {*std::min_element(parse.begin(), parse.end()), bench::median(parse),
          *std::min_element(floor.begin(), floor.end()), bench::median(floor)};
}

// Prints one ParseFigures line: the fastest round, then the median.
void print_parse_figure(const char* name, double fastest_ns, double median_ns, int rounds, const char* goal) {
  std::printf("%-52s %12.1f ns/record   (fastest of %d rounds; median %.1f)%s\n", name, fastest_ns, rounds,
              median_ns, goal);
}

// ns per push of Dispatcher::handle (verify + parse + dedupe + handler), in process, over the
// batches holding the last `timed` of `count` pushes, each with its own nonce and record id and signed beforehand
// in batches (the timer stops while a batch is signed): the SDK's own cost per request,
// without HTTP. Given more pushes than the stores hold, it is the cost at capacity, where
// every push also makes each store forget its oldest entry, as under any sustained load.
double dispatch_ns_per_push(int count, int timed) {
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
  constexpr int kBatch = 10000;
  std::vector<webhook::WebhookRequest> requests(kBatch);
  double elapsed = 0;
  int measured = 0;
  for (int first = 0; first < count; first += kBatch) {
    const int size = std::min(kBatch, count - first);
    for (int k = 0; k < size; ++k) {
      const int i = first + k;
      char nonce[33];
      std::snprintf(nonce, sizeof nonce, "dispatch%024d", i);
      auto& request = requests[static_cast<std::size_t>(k)];
      request = webhook::WebhookRequest{};
      request.method = "POST";
      request.path = kPath;
      const auto headers = signer.sign(nonce, created);
      request.headers.add("Authorization", headers.authorization);
      request.headers.add(headers.token_header, headers.token_value);
      request.body = fee_body(1, 0x100000000ULL + static_cast<unsigned long long>(i));
    }
    const auto begin = bench::Clock::now();
    for (int k = 0; k < size; ++k) {
      if (dispatcher.handle(requests[static_cast<std::size_t>(k)]).status != 200) std::abort();
    }
    if (first + size > count - timed) {
      elapsed += std::chrono::duration<double, std::nano>(bench::Clock::now() - begin).count();
      measured += size;
    }
  }
  if (delivered != static_cast<std::size_t>(count)) std::abort();
  return elapsed / measured;
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

// cpp-httplib tuned as the receiver is (internal::tune_http_server: TCP_NODELAY, a pool
// thread per connection, backlog 1024), with a handler of the bench's: by default one that
// answers 200 at once, what the library itself costs under this load, the receiver's ceiling.
class BareHttplib {
 public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;
  explicit BareHttplib(int connections, Handler handler = [](const httplib::Request&, httplib::Response& res) {
    res.status = 200;
  }) {
    privacycall::internal::HttpServerTuning tuning;
    tuning.threads = static_cast<std::size_t>(connections);
    const auto listening_fd = privacycall::internal::tune_http_server(server_, tuning);
    server_.Post(kPath, std::move(handler));
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

// The value of `name="..."` in an X-AKSK header; empty when absent.
std::string_view token_field(std::string_view token, std::string_view name) {
  for (std::size_t at = token.find(name); at != std::string_view::npos; at = token.find(name, at + 1)) {
    const std::size_t open = at + name.size();
    if (token.substr(open, 2) != "=\"") continue;
    const std::size_t close = token.find('"', open + 2);
    if (close == std::string_view::npos) return {};
    return token.substr(open + 2, close - open - 2);
  }
  return {};
}

// The least any receiver of these pushes does, written by hand with no code of the SDK's but
// nlohmann's parser: check the X-AKSK digest (a one-shot HMAC, as Huawei's demos compute it)
// and read the body through nlohmann's SAX parser, keeping nothing. No time window, no memory
// of nonces or records, no typed records and no handler: what any verifying receiver on
// cpp-httplib's public API costs at the least, so that the library's figure can be read
// against it. With a `line_fd`, each push accepted is also written there as one line (its body
// and a newline, one write(2)) before the answer, the least `privacycall listen` does: it may
// answer 200 only once the push's line is out of the process. Refuses what does not verify or
// parse, and answers 500 for a line it could not write, which the bench counts as errors.
struct LeastWork {
  int line_fd = -1;

  void operator()(const httplib::Request& req, httplib::Response& res) const {
    const std::string token = req.get_header_value("X-AKSK");
    const std::string_view nonce = token_field(token, "Nonce");
    const std::string_view created = token_field(token, "Created");
    const std::string_view digest = token_field(token, "PasswordDigest");
    std::string message;
    message.reserve(nonce.size() + created.size());
    message.append(nonce).append(created);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_length = 0;
    HMAC(EVP_sha256(), kSecret, static_cast<int>(std::strlen(kSecret)),
         reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &mac_length);
    unsigned char expected[64];
    const int expected_length = EVP_EncodeBlock(expected, mac, static_cast<int>(mac_length));
    if (token_field(token, "Username") != kKey || digest.size() != static_cast<std::size_t>(expected_length) ||
        CRYPTO_memcmp(digest.data(), expected, digest.size()) != 0) {
      res.status = 401;
      return;
    }
    DiscardingSax handler;
    if (!privacycall::webhook::internal::sax_parse(req.body, handler)) {
      res.status = 400;
      return;
    }
    res.status = 200;
    if (line_fd < 0) return;
    thread_local std::string line;
    line.assign(req.body).push_back('\n');
    // Under PIPE_BUF bytes: one write, whole among the other threads' (the body has no newline).
    if (::write(line_fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) res.status = 500;
  }
};

// Reads a pipe to its end on a thread of its own, counting its lines, the first of which it
// also hands over whole. Owns the reading end.
class LineCounter {
 public:
  explicit LineCounter(int read_fd) : reader_([this, read_fd] { read_all(read_fd); }) {}
  ~LineCounter() { wait(); }
  LineCounter(const LineCounter&) = delete;
  LineCounter& operator=(const LineCounter&) = delete;

  /// The first line, without its newline, once it is read (what was read, if the pipe ended first).
  std::string first_line() { return first_.get(); }

  /// Waits until the pipe is read to its end (every writer has closed it); returns the lines
  /// counted, the first one included.
  unsigned long long wait() {
    if (reader_.joinable()) reader_.join();
    return lines_.load();
  }

 private:
  void read_all(int fd) {
    std::string head;
    bool have_first = false;
    char buffer[65536];
    for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) {
      const char* begin = buffer;
      const char* end = buffer + n;
      if (!have_first) {
        const char* newline = std::find(begin, end, '\n');
        head.append(begin, newline);
        if (newline != end) {
          have_first = true;
          first_promise_.set_value(head);
        }
      }
      lines_ += static_cast<unsigned long long>(std::count(begin, end, '\n'));
    }
    if (!have_first) first_promise_.set_value(head);
    ::close(fd);
  }

  std::promise<std::string> first_promise_;
  std::future<std::string> first_ = first_promise_.get_future();
  std::atomic<unsigned long long> lines_{0};
  std::thread reader_;  // last: it starts reading once the members above exist
};

// A pipe whose other end a LineCounter reads: where LeastWork's lines go, read as
// `privacycall listen | consumer` reads listen's.
class LinePipe {
 public:
  LinePipe() : LinePipe(open_pipe()) {}
  ~LinePipe() { close(); }
  LinePipe(const LinePipe&) = delete;
  LinePipe& operator=(const LinePipe&) = delete;
  int write_fd() const { return write_fd_; }

  /// Closes the writing end and waits for the reader to read what is left: every line written
  /// before is counted. Returns the count. Whoever writes must have stopped.
  unsigned long long close() {
    if (write_fd_ >= 0) {
      ::close(write_fd_);
      write_fd_ = -1;
    }
    return counter_.wait();
  }

 private:
  explicit LinePipe(std::array<int, 2> fds) : write_fd_(fds[1]), counter_(fds[0]) {}

  static std::array<int, 2> open_pipe() {
    std::array<int, 2> fds{};
    if (::pipe(fds.data()) != 0) throw std::runtime_error("pipe() failed");
    return fds;
  }

  int write_fd_;
  LineCounter counter_;
};

// `privacycall listen` as shipped, verifying with the bench's app key, its stdout read by a
// thread that counts the notification lines (as `privacycall listen | consumer` would).
class ListenProcess {
 public:
  explicit ListenProcess(const std::string& cli) {
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe() failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addclose(&actions, out[1]);
    std::vector<std::string> args = {cli, "listen", "--app-key", kKey, "--app-secret", kSecret};
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    const int spawned = posix_spawn(&pid_, cli.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    if (spawned != 0) {
      ::close(out[0]);
      throw std::runtime_error("cannot start " + cli);
    }
    output_ = std::make_unique<LineCounter>(out[0]);
    const std::string line = output_->first_line();
    const std::string prefix = "listening on ";
    if (line.rfind(prefix, 0) != 0) {
      stop();
      throw std::runtime_error("privacycall listen said: " + line);
    }
    url_ = line.substr(prefix.size()) + kPath;
  }
  ~ListenProcess() { stop(); }
  const std::string& url() const { return url_; }

  /// Stops `listen` (SIGTERM: it drains, printing what it answered) and waits until its
  /// output is read to the end: every notification line it printed is counted. Returns the
  /// count.
  unsigned long long stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      pid_ = -1;
    }
    const unsigned long long lines = output_->wait();
    return lines > 0 ? lines - 1 : 0;  // the first line says where it listens
  }

 private:
  pid_t pid_ = -1;
  std::unique_ptr<LineCounter> output_;
  std::string url_;
};

void count(const char* name, unsigned long long value) {
  std::printf("%-52s %12llu\n", name, value);
}

// Prints how many pushes a printing subject answered and how many lines it printed; returns
// how many answered pushes have no line. Requests in flight when wrk's timer ends are answered
// but not counted by wrk, so lines may exceed answers.
unsigned long long missing_lines(const std::string& name, unsigned long long answered, unsigned long long lines,
                                 const char* lines_name) {
  count((name + ": requests answered (wrk)").c_str(), answered);
  count(lines_name, lines);
  return lines < answered ? answered - lines : 0;
}

// One subject of the receiver bench: its throughput and p99 against nginx's in each round,
// and what wrk saw of it.
struct Subject {
  std::string name;
  std::string url;
  bool verifies;  // refuses replays: it must not run out of pre-signed requests
  bench::Rounds throughput;  // against nginx
  bench::Rounds p99;         // against nginx
  std::vector<double> rates, p99s;
  WrkResult totals;  // summed over the rounds

  void add(const WrkResult& result) {
    rates.push_back(result.requests_per_second);
    p99s.push_back(result.p99_ms);
    totals.requests += result.requests;
    totals.non_2xx += result.non_2xx;
    totals.socket_errors += result.socket_errors;
  }
};

}  // namespace

int main(int argc, char** argv) {
  const int seconds = std::max(1, std::atoi(bench::arg(argc, argv, "--seconds", "3").c_str()));  // wrk: whole s
  const std::string baseline = bench::arg(argc, argv, "--baseline", "");
  const std::string lua = bench::arg(argc, argv, "--lua", "bench/bench_receiver.lua");
  const std::string listen_cli = bench::arg(argc, argv, "--listen", "");
  const int rounds = std::max(1, std::atoi(bench::arg(argc, argv, "--rounds", "3").c_str()));
  const bool show_wrk = bench::arg(argc, argv, "--wrk-output", "no") == "yes";
  const int connections = std::atoi(bench::arg(argc, argv, "--connections", "64").c_str());
  const int wrk_threads = std::atoi(bench::arg(argc, argv, "--wrk-threads", "2").c_str());
  const double expected_rate = std::atof(bench::arg(argc, argv, "--requests-per-second", "150000").c_str());
  if (baseline.empty()) {
    std::fprintf(stderr, "bench_receiver needs --baseline (nginx); see bench/run.sh\n");
    return 2;
  }

  // Parse cost first, on a quiet machine.
  constexpr int kParseRounds = 9;
  const ParseFigures batch = parse_figures(50, kParseRounds, std::max(0.15, seconds / 20.0));
  const ParseFigures single = parse_figures(1, kParseRounds, std::max(0.15, seconds / 20.0));
  const double dispatch_ns = dispatch_ns_per_push(50000, 50000);
  // Past the default stores' capacity (200,000 dedupe keys, 100,000 nonces), then 100,000 more.
  const double dispatch_full_ns = dispatch_ns_per_push(400000, 100000);

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
  // Each keep-alive connection holds a pool thread: the default pool must cover wrk's connections.
  server_options.threads = static_cast<std::size_t>(
      std::atoi(bench::arg(argc, argv, "--receiver-threads", std::to_string(server_options.threads).c_str()).c_str()));
  server_options.log = verifier_options.log;
  webhook::WebhookServer server(dispatcher, server_options);
  const auto port = server.start();
  if (!port) {
    std::fprintf(stderr, "cannot start the receiver: %s\n", port.error().to_string().c_str());
    return 1;
  }
  const BareHttplib bare(connections);
  const BareHttplib least(connections, LeastWork{});
  LinePipe least_lines;  // before the server writing into it, which stops first
  std::optional<BareHttplib> least_with_line(std::in_place, connections, LeastWork{least_lines.write_fd()});
  std::unique_ptr<ListenProcess> listen;
  if (!listen_cli.empty()) listen = std::make_unique<ListenProcess>(listen_cli);

  // Each round, every subject in turn, starting with a different one each round.
  std::vector<Subject> subjects;
  subjects.push_back({"receiver", "http://127.0.0.1:" + std::to_string(*port) + kPath, true, {}, {}, {}, {}, {}});
  if (listen) subjects.push_back({"privacycall listen", listen->url(), true, {}, {}, {}, {}, {}});
  subjects.push_back({"cpp-httplib alone", bare.url(), false, {}, {}, {}, {}, {}});
  subjects.push_back({"least work by hand", least.url(), false, {}, {}, {}, {}, {}});
  const std::size_t with_line = subjects.size();
  subjects.push_back({"least work by hand + its line out", least_with_line->url(), false, {}, {}, {}, {}, {}});
  subjects.push_back({"nginx", baseline, false, {}, {}, {}, {}, {}});
  Subject& nginx = subjects.back();

  const auto dir = std::filesystem::temp_directory_path() /
                   ("bench_receiver." + std::to_string(static_cast<unsigned>(std::random_device{}())));
  const long long per_round = static_cast<long long>(seconds * expected_rate) + 1000;
  char wrk[512];
  std::snprintf(wrk, sizeof wrk, "wrk -t%d -c%d -d%ds --latency -s %s", wrk_threads, connections, seconds,
                lua.c_str());
  std::size_t body_size = 0;
  bool ran_out = false;
  for (int round = 0; round < rounds; ++round) {
    const auto round_dir = dir / std::to_string(round);
    std::filesystem::create_directories(round_dir);
    // Each subject that verifies remembers nonces of its own: all of them can take the same requests.
    body_size = write_requests(round_dir, wrk_threads, round * per_round, per_round);
    std::vector<WrkResult> results(subjects.size());
    for (std::size_t k = 0; k < subjects.size(); ++k) {
      const std::size_t i = (k + static_cast<std::size_t>(round)) % subjects.size();
      results[i] = run_wrk(std::string(wrk) + " " + subjects[i].url + " -- " + round_dir.string(), show_wrk);
      ran_out |= static_cast<long long>(results[i].requests) > per_round && subjects[i].verifies;
    }
    const WrkResult& baseline_result = results.back();
    for (std::size_t i = 0; i < subjects.size(); ++i) {
      subjects[i].add(results[i]);
      subjects[i].throughput.add(results[i].requests_per_second, baseline_result.requests_per_second);
      subjects[i].p99.add(results[i].p99_ms, baseline_result.p99_ms);
    }
  }
  server.stop();
  const webhook::DispatcherStats stats = dispatcher->stats();
  std::filesystem::remove_all(dir);

  const auto& r = stats.rejected;
  const unsigned long long rejected = r.method_not_allowed + r.not_found + r.too_large + r.bad_auth_headers +
                                      r.unauthenticated + r.replayed + r.malformed_body + r.busy;
  std::printf("receiver: signed %zu-byte CDR pushes, %s, %d alternating rounds of %d s (%lld pre-signed each)\n",
              body_size, wrk, rounds, seconds, per_round);
  std::printf("receivers built on cpp-httplib %s\n", CPPHTTPLIB_VERSION);
  print_parse_figure("parse: 50-record CDR batch", batch.parse_ns, batch.parse_median_ns, kParseRounds,
                     batch.parse_ns <= 5000 ? "   goal <= 5000: met" : "   goal <= 5000: NOT met");
  print_parse_figure("  nlohmann's SAX parser alone, nothing kept", batch.floor_ns, batch.floor_median_ns,
                     kParseRounds, "");
  print_parse_figure("parse: 1-record CDR push", single.parse_ns, single.parse_median_ns, kParseRounds, "");
  print_parse_figure("  nlohmann's SAX parser alone, nothing kept", single.floor_ns, single.floor_median_ns,
                     kParseRounds, "");
  bench::figure("dispatch: verify + parse + dedupe + handler, no HTTP", dispatch_ns, "ns/push");
  bench::figure("  the same once the stores are full (at capacity)", dispatch_full_ns, "ns/push");
  for (const Subject& subject : subjects) {
    const std::string name = subject.name;
    bench::figure((name + " (median)").c_str(), bench::median(subject.rates), "req/s");
    bench::figure(("  p99 latency (median of rounds)"), bench::median(subject.p99s), "ms");
    if (&subject == &nginx) continue;
    if (subject.verifies) {  // cpp-httplib alone is a reference, without goals
      subject.throughput.print_ratio(("  throughput / nginx's"), 0.4);
      subject.p99.print_ratio(("  p99 / nginx's p99"), 1.5, false);
    } else {
      subject.throughput.print_ratio("  throughput / nginx's");
      subject.p99.print_ratio("  p99 / nginx's p99");
    }
  }
  const Subject& ours = subjects.front();
  count("receiver: requests answered (wrk, all rounds)", ours.totals.requests);
  count("  accepted: CDRs delivered to the handler", records.load());
  count("  rejected (replayed, unauthenticated, malformed...)", rejected);
  count("    of which replayed (nonce again, other body)", r.replayed);
  count("  duplicates (a wrk thread ran out of its list)", stats.duplicates);
  unsigned long long errors = 0;
  for (const Subject& subject : subjects) {
    if (&subject != &nginx) errors += subject.totals.non_2xx + subject.totals.socket_errors;
  }
  if (listen) {
    const Subject& shipped = subjects[1];
    errors += missing_lines(shipped.name, shipped.totals.requests, listen->stop(), "  notification lines printed");
  }
  // Its server stopped, every line it wrote is in the pipe; closed, the reader has read them all.
  least_with_line.reset();
  errors += missing_lines(subjects[with_line].name, subjects[with_line].totals.requests, least_lines.close(),
                          "  lines read from its pipe");
  count("non-2xx answers, socket errors, missing lines", errors);
  // Every push signed is unique: a duplicate is a request wrk sent again, from a thread whose
  // list ran out even though all threads together stayed under what was signed.
  ran_out |= stats.duplicates > 0;
  if (ran_out) std::printf("warning: wrk sent more requests than were pre-signed; raise --requests-per-second\n");
  if ((rejected + stats.duplicates) * 100 > ours.totals.requests || errors > 0) {
    std::printf("warning: refused or repeated requests, or errors: the receiver figures above are not valid\n");
    return 1;
  }
  return 0;
}
