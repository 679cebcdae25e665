// The webhook server over real HTTP and HTTPS on loopback, driven by cpp-httplib's client and by
// raw connections. The promises about requests, limits and connections are checked over both
// schemes (GENERATE): serving HTTPS must not change them.

#include <privacycall/webhook/server.hpp>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <future>
#include <random>
#include <thread>

#include "support/catch.hpp"
#include "support/raw_connection.hpp"
#include "support/test_certificate.hpp"
#include "support/webhook_test_support.hpp"

using namespace privacycall::webhook;
using webhook_test::platform;
using privacycall::PhoneNumber;
using privacycall::Signer;
using nlohmann::json;
using test_support::RawConnection;
using test_support::Scheme;
using namespace std::chrono_literals;

namespace {

std::string event_body(const std::string& session) {
  return R"({"eventType":"disconnect","statusInfo":{"sessionId":")" + session +
         R"(","timestamp":"2019-01-24 07:03:28","stateCode":0}})";
}

httplib::Headers to_httplib(const HeaderMap& headers) {
  httplib::Headers out;
  for (const auto& [name, value] : headers.fields()) {
    if (name != "content-type") out.emplace(name, value);
  }
  return out;
}

httplib::Headers signed_headers() { return to_httplib(webhook_test::signed_headers(platform())); }

constexpr const char* kJson = "application/json;charset=UTF-8";

// True when the cpp-httplib the test is built with (and the server with it) is at least
// major.minor. Some promises hold only on newer releases; the tests say which.
bool httplib_at_least(int major, int minor) {
  int have_major = 0;
  int have_minor = 0;
  std::sscanf(CPPHTTPLIB_VERSION, "%d.%d", &have_major, &have_minor);
  return have_major > major || (have_major == major && have_minor >= minor);
}

// A cpp-httplib client of the scheme, verifying the server's certificate over HTTPS.
httplib::Client make_client(Scheme scheme, std::uint16_t port) {
  httplib::Client client(std::string(test_support::to_string(scheme)) + "://127.0.0.1:" + std::to_string(port));
  if (scheme == Scheme::kHttps) {
    client.set_ca_cert_path(test_support::test_certificate().certificate_file);
    client.enable_server_certificate_verification(true);
  }
  client.set_keep_alive(true);
  // Without it Nagle holds the body back for the server's delayed ACK: 40 ms a request.
  client.set_tcp_nodelay(true);
  client.set_read_timeout(10, 0);
  return client;
}

// A receiver on 127.0.0.1:0 with counting handlers.
struct Receiver {
  Scheme scheme;
  std::atomic<int> events{0};
  std::atomic<int> handler_calls{0};
  std::shared_ptr<Dispatcher> dispatcher;
  std::unique_ptr<WebhookServer> server;
  std::uint16_t port = 0;

  explicit Receiver(Scheme scheme_ = Scheme::kHttp, WebhookServerOptions options = {}, WebhookHandlers handlers = {})
      : scheme(scheme_) {
    auto verifier = webhook_test::verifier();
    if (!handlers.on_call_event) {
      handlers.on_call_event = [this](const CallEvent&) {
        handler_calls.fetch_add(1);
        events.fetch_add(1);
      };
    }
    const auto count = [this] { handler_calls.fetch_add(1); };
    handlers.on_fee = [count](const FeeNotification&) { count(); };
    handlers.on_number_status = [count](const NumberStatusNotification&) { count(); };
    handlers.on_sms = [count](const SmsNotification&) { count(); };
    handlers.on_unknown = [count](const UnknownNotification&) { count(); };
    if (!handlers.on_x_mode_callin) {
      handlers.on_x_mode_callin = [this](const CallEvent&) {
        handler_calls.fetch_add(1);
        XModeConnect connect(PhoneNumber("+8613400000001"));
        connect.max_duration = 10min;
        return XModeAnswer::connect(connect);
      };
    }
    DispatcherOptions dispatcher_options;
    dispatcher_options.log = [](privacycall::LogLevel, std::string_view) {};  // the fuzz loop is noisy
    dispatcher = std::make_shared<Dispatcher>(verifier, handlers, dispatcher_options);
    if (options.max_body_bytes == WebhookServerOptions{}.max_body_bytes) {
      options.max_body_bytes = 64 * 1024;
    }
    if (options.read_timeout == WebhookServerOptions{}.read_timeout) options.read_timeout = 1s;
    options.write_timeout = 1s;
    if (options.keep_alive_timeout == WebhookServerOptions{}.keep_alive_timeout) options.keep_alive_timeout = 1s;
    if (!options.log) options.log = [](privacycall::LogLevel, std::string_view) {};
    if (scheme == Scheme::kHttps) {
      const auto& certificate = test_support::test_certificate();
      options.tls = TlsFiles{certificate.certificate_file, certificate.private_key_file};
    }
    server = std::make_unique<WebhookServer>(dispatcher, options);
    auto started = server->start();
    INFO((started ? std::string() : started.error().to_string()));
    REQUIRE(started.ok());
    port = *started;
  }

  httplib::Client client() const { return make_client(scheme, port); }
  std::unique_ptr<RawConnection> connect() const { return std::make_unique<RawConnection>(scheme, port); }
};

// Backlog of the TCP listener on `port`, as the kernel reports it (inet_diag's idiag_wqueue
// is sk_max_ack_backlog for listening sockets). nullopt when sock_diag is unavailable.
std::optional<unsigned> kernel_listen_backlog(std::uint16_t port, int family) {
  const int fd = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) return std::nullopt;
  struct {
    nlmsghdr header;
    inet_diag_req_v2 request;
  } message{};
  message.header.nlmsg_len = sizeof message;
  message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  message.request.sdiag_family = static_cast<std::uint8_t>(family);
  message.request.sdiag_protocol = IPPROTO_TCP;
  message.request.idiag_states = 1u << 10;  // TCP_LISTEN
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  std::optional<unsigned> backlog;
  if (::sendto(fd, &message, sizeof message, 0, reinterpret_cast<sockaddr*>(&kernel),
               sizeof kernel) < 0) {
    ::close(fd);
    return std::nullopt;
  }
  alignas(nlmsghdr) char buffer[32768];
  bool done = false;
  while (!done) {
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    for (auto* h = reinterpret_cast<nlmsghdr*>(buffer); NLMSG_OK(h, static_cast<unsigned>(n));
         h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
        done = true;
        break;
      }
      const auto* diag = static_cast<const inet_diag_msg*>(NLMSG_DATA(h));
      if (ntohs(diag->id.idiag_sport) == port) backlog = diag->idiag_wqueue;
    }
  }
  ::close(fd);
  return backlog;
}

unsigned somaxconn() {
  std::ifstream in("/proc/sys/net/core/somaxconn");
  unsigned value = 4096;
  in >> value;
  return value;
}

struct RawExchange {
  std::string answer;   // every byte the server sent
  bool closed = false;  // the server closed the connection (rather than 10 s passing)
  bool reset = false;   // ... with a reset rather than a clean close
};

// Reads until the server closes the connection or 10 s pass.
RawExchange read_to_end(RawConnection& connection) {
  RawExchange result;
  char buffer[4096];
  while (true) {
    const ssize_t n = connection.receive(buffer, sizeof buffer);
    if (n <= 0) {
      result.reset = n < 0 && errno == ECONNRESET;
      result.closed = n == 0 || result.reset;
      return result;
    }
    result.answer.append(buffer, static_cast<std::size_t>(n));
  }
}

// True when the server closes the connection within 10 s (whatever it sends first).
bool read_until_closed(RawConnection& connection) { return read_to_end(connection).closed; }

// Sends `request` on a new raw connection and reads until the server closes it or 10 s pass.
RawExchange raw_exchange(const Receiver& receiver, const std::string& request) {
  const auto connection = receiver.connect();
  REQUIRE(connection->send(request));
  return read_to_end(*connection);
}

// Reads until `marker` has arrived; everything read. Fails the test if the server closes
// first or 10 s pass.
std::string read_until(RawConnection& connection, const std::string& marker) {
  std::string received;
  char buffer[4096];
  while (received.find(marker) == std::string::npos) {
    const ssize_t n = connection.receive(buffer, sizeof buffer);
    REQUIRE(n > 0);
    received.append(buffer, static_cast<std::size_t>(n));
  }
  return received;
}

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

// A keep-alive that outlasts every test: what closes a connection in the tests that use it is
// the server deciding to, not an idle timeout.
WebhookServerOptions long_keep_alive() {
  WebhookServerOptions options;
  options.keep_alive_timeout = 60s;
  return options;
}

// The signature headers of a fresh push, as raw header lines.
std::string signed_header_lines() {
  std::string lines;
  const HeaderMap headers = webhook_test::signed_headers(platform());
  for (const auto& [name, value] : headers.fields()) {
    if (name != "content-type") lines += name + ": " + value + "\r\n";
  }
  return lines;
}

// A signed push of `body` as raw bytes, with `extra_headers` (whole lines).
std::string raw_push(const std::string& body, const std::string& extra_headers = "") {
  return "POST /status HTTP/1.1\r\nHost: x\r\n" + extra_headers +
         "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
         signed_header_lines() + "\r\n" + body;
}

const std::string kHealthCheck = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

// A call-event handler that holds the thread running it until `release` is set, and the push
// that reaches it, sent from another thread.
struct HeldPush {
  std::promise<void> entered, release;
  std::shared_future<void> released = release.get_future().share();

  WebhookHandlers handlers() {
    WebhookHandlers handlers;
    handlers.on_call_event = [this, wait_for = released](const CallEvent&) {
      entered.set_value();
      wait_for.wait();
    };
    return handlers;
  }

  // The push's HTTP status, -1 when it got no answer. Its connection closes after the answer.
  std::future<int> send(const Receiver& receiver, const std::string& session) const {
    return std::async(std::launch::async, [scheme = receiver.scheme, port = receiver.port, session] {
      httplib::Client client = make_client(scheme, port);
      client.set_keep_alive(false);
      client.set_read_timeout(20, 0);
      auto result = client.Post("/status", signed_headers(), event_body(session), kJson);
      return result ? result->status : -1;
    });
  }
};

}  // namespace

TEST_CASE("server: binds port 0 on 127.0.0.1, serves pushes and healthz") {
  const Scheme scheme = GENERATE(Scheme::kHttp, Scheme::kHttps);
  INFO(test_support::to_string(scheme));
  Receiver receiver(scheme);
  CHECK(receiver.port != 0);
  CHECK(receiver.server->port() == receiver.port);
  CHECK(receiver.server->running());
  auto client = receiver.client();

  auto health = client.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(json::parse(health->body)["status"] == "ok");

  auto pushed = client.Post("/status", signed_headers(), event_body("srv-1"), kJson);
  REQUIRE(pushed);
  INFO(pushed->body);
  CHECK(pushed->status == 200);
  CHECK(pushed->body.empty());
  CHECK(receiver.events.load() == 1);

  auto block = client.Post("/status", signed_headers(),
                           webhook_test::notification_example("x_mode_event_callin_illustrative.json"),
                           kJson);
  REQUIRE(block);
  CHECK(block->status == 200);
  CHECK(block->get_header_value("Content-Type") == kJson);
  CHECK(json::parse(block->body) ==
        json::parse(R"({"operation":"connect","connectInfo":{"calleeNum":"+8613400000001","maxDuration":10}})"));

  const WebhookServerStats stats = receiver.server->stats();
  CHECK(stats.health_checks == 1);
  CHECK(stats.dispatcher.delivered == 2);
}

TEST_CASE("server: the listen backlog is raised far above the library's 5") {
  Receiver receiver;
  const std::optional<unsigned> backlog = kernel_listen_backlog(receiver.port, AF_INET);
  REQUIRE(backlog.has_value());
  CHECK(*backlog == std::min(1024u, somaxconn()));
  CHECK(*backlog > 5);
}

TEST_CASE("server: 405, 401 and 400 from the dispatcher, none reaching a handler") {
  const Scheme scheme = GENERATE(Scheme::kHttp, Scheme::kHttps);
  INFO(test_support::to_string(scheme));
  Receiver receiver(scheme);
  auto client = receiver.client();
  auto get = client.Get("/status");
  REQUIRE(get);
  CHECK(get->status == 405);
  CHECK(get->get_header_value("Allow") == "POST");

  auto put = client.Put("/status", signed_headers(), event_body("x"), kJson);
  REQUIRE(put);
  CHECK(put->status == 405);

  const Signer forger(webhook_test::kAppKey, "not-the-secret");
  auto forged = client.Post("/status", to_httplib(webhook_test::signed_headers(forger)),
                            event_body("x"), kJson);
  REQUIRE(forged);
  CHECK(forged->status == 401);

  auto unsigned_push = client.Post("/status", event_body("x"), kJson);
  REQUIRE(unsigned_push);
  CHECK(unsigned_push->status == 400);

  auto bad_json = client.Post("/status", signed_headers(), "{\"eventType\":", kJson);
  REQUIRE(bad_json);
  CHECK(bad_json->status == 400);

  CHECK(receiver.handler_calls.load() == 0);
  const WebhookServerStats stats = receiver.server->stats();
  CHECK(stats.dispatcher.rejected.method_not_allowed == 2);
  CHECK(stats.dispatcher.rejected.unauthenticated == 1);
  CHECK(stats.dispatcher.rejected.bad_auth_headers == 1);
  CHECK(stats.dispatcher.rejected.malformed_body == 1);
  CHECK(stats.http_errors == 0);  // all of them the dispatcher's
  // 413 is checked on raw connections below: a client like this one sends a body whole before
  // it reads, and without a lingering close it may meet a reset instead of the answer.
}

TEST_CASE("server: thousands of malformed and random requests, then it still answers") {
  const Scheme scheme = GENERATE(Scheme::kHttp, Scheme::kHttps);
  INFO(test_support::to_string(scheme));
  Receiver receiver(scheme);
  auto client = receiver.client();
  std::mt19937 rng(20240611);
  const auto random_int = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  const std::vector<std::string> valid = {
      webhook_test::notification_example("fee_devguide_example.json"),
      webhook_test::notification_example("axe_event_disconnect.json"),
      webhook_test::notification_example("sms_notify.json"),
      webhook_test::notification_example("xnum_status_illustrative.json"),
      webhook_test::notification_example("x_mode_event_callin_illustrative.json"),
  };
  const std::vector<std::string> wrong_shapes = {
      R"({"eventType":"fee","feeLst":{}})",   R"({"eventType":"fee","feeLst":[7]})",
      R"({"eventType":"numStatus","numInfo":"9"})", R"({"eventType":"answer","statusInfo":[]})",
      R"({"smsEvent":[]})",                    R"([{"eventType":"fee"}])",
      R"("just a string")",                    "null",
      R"({"eventType":"disconnect","statusInfo":{"caller":["+8613800000000"]}})",
  };
  const Signer forger(webhook_test::kAppKey, "forged");
  constexpr int kRequests = 3000;
  int answered = 0;
  for (int i = 0; i < kRequests; ++i) {
    std::string body;
    httplib::Headers headers = signed_headers();
    std::string method = "POST";
    int expected = 400;
    switch (i % 7) {
      case 0: {  // binary junk, never starting like a JSON object
        body.resize(static_cast<std::size_t>(random_int(0, 400)));
        for (char& c : body) c = static_cast<char>(random_int(0, 255));
        if (!body.empty() && (body[0] == '{' || body[0] == ' ' || body[0] == '\t' ||
                              body[0] == '\n' || body[0] == '\r')) {
          body[0] = '\x01';
        }
        break;
      }
      case 1: {  // a valid body cut short: never valid JSON
        const std::string& v = valid[static_cast<std::size_t>(random_int(0, 4))];
        body = v.substr(0, static_cast<std::size_t>(random_int(0, static_cast<int>(v.size()) - 2)));
        break;
      }
      case 2: {  // deep nesting
        const int depth = random_int(33, 5000);
        body = random_int(0, 1) ? std::string(static_cast<std::size_t>(depth), '[')
                                : std::string(static_cast<std::size_t>(depth), '{');
        if (random_int(0, 1)) body = R"({"eventType":"fee","feeLst":)" + body;
        break;
      }
      case 3:
        body = wrong_shapes[static_cast<std::size_t>(random_int(0, static_cast<int>(wrong_shapes.size()) - 1))];
        break;
      case 4:  // valid body, no signature
        body = valid[static_cast<std::size_t>(random_int(0, 4))];
        headers.clear();
        break;
      case 5:  // valid body, forged signature
        body = valid[static_cast<std::size_t>(random_int(0, 4))];
        headers = to_httplib(webhook_test::signed_headers(forger));
        expected = 401;
        break;
      case 6:  // valid body, wrong method
        body = valid[static_cast<std::size_t>(random_int(0, 4))];
        method = random_int(0, 1) ? "PUT" : "DELETE";
        expected = 405;
        break;
    }
    httplib::Result result = method == "POST"   ? client.Post("/status", headers, body, kJson)
                             : method == "PUT" ? client.Put("/status", headers, body, kJson)
                                               : client.Delete("/status", headers, body, kJson);
    if (result) {
      ++answered;
      INFO("request " << i << " kind " << i % 7);
      CHECK(result->status == expected);
    }
  }
  CHECK(answered == kRequests);
  CHECK(receiver.handler_calls.load() == 0);

  // Junk below HTTP: garbage request lines on raw connections, all open at once. Each is
  // answered 400 and closed.
  std::vector<std::unique_ptr<RawConnection>> connections;
  for (int i = 0; i < 20; ++i) {
    std::string junk(static_cast<std::size_t>(random_int(1, 2000)), '\0');
    for (char& c : junk) c = static_cast<char>(random_int(0, 255));
    junk += "\r\n\r\n";
    connections.push_back(receiver.connect());
    CHECK(connections.back()->send(junk));
  }
  for (const auto& connection : connections) CHECK(read_until_closed(*connection));

  auto healthy = receiver.client().Get("/healthz");
  REQUIRE(healthy);
  CHECK(healthy->status == 200);
  auto valid_push = receiver.client().Post("/status", signed_headers(), event_body("after-fuzz"), kJson);
  REQUIRE(valid_push);
  CHECK(valid_push->status == 200);
  CHECK(receiver.handler_calls.load() == 1);
}

TEST_CASE("server: a POST without Content-Length or chunked encoding is refused (411) without waiting for the client to close") {
  const Scheme scheme = GENERATE(Scheme::kHttp, Scheme::kHttps);
  INFO(test_support::to_string(scheme));
  Receiver receiver(scheme);
  // cpp-httplib 0.11 alone would read such a body until the client closes, without limit.
  const RawExchange result =
      raw_exchange(receiver, "POST /status HTTP/1.1\r\nHost: x\r\n" + signed_header_lines() + "\r\n" + event_body("no-length"));
  CHECK(starts_with(result.answer, "HTTP/1.1 411"));
  CHECK(result.closed);
  CHECK(receiver.handler_calls.load() == 0);
}

TEST_CASE("server: a chunked body past max_body_bytes is refused (413) once it passes the limit") {
  const Scheme scheme = GENERATE(Scheme::kHttp, Scheme::kHttps);
  INFO(test_support::to_string(scheme));
  Receiver receiver(scheme);  // max_body_bytes 64 KiB
  const auto connection = receiver.connect();
  REQUIRE(connection->send("POST /status HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n" + signed_header_lines() + "\r\n"));
  // Up to 1 MiB in 16 KiB chunks, never terminated: the server refuses it once 64 KiB are in,
  // and its close ends the sending (unterminated, the body could only end by a timeout).
  const std::string chunk = "4000\r\n" + std::string(0x4000, ' ') + "\r\n";
  for (int i = 0; i < 64 && connection->send(chunk); ++i) {
  }
  CHECK(starts_with(read_until(*connection, "\r\n"), "HTTP/1.1 413"));
  CHECK(receiver.handler_calls.load() == 0);
  auto after = receiver.client().Post("/status", signed_headers(), event_body("after-chunked"), kJson);
  REQUIRE(after);
  CHECK(after->status == 200);
}

TEST_CASE("server: a chunked push within the limit is delivered") {
  const Scheme scheme = GENERATE(Scheme::kHttp, Scheme::kHttps);
  INFO(test_support::to_string(scheme));
  Receiver receiver(scheme);
  const std::string body = event_body("chunked");
  char size[16];
  std::snprintf(size, sizeof size, "%zx", body.size());
  const RawExchange result = raw_exchange(
      receiver, "POST /status HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n" +
                    signed_header_lines() + "\r\n" + size + "\r\n" + body + "\r\n0\r\n\r\n");
  CHECK(starts_with(result.answer, "HTTP/1.1 200"));
  CHECK(receiver.events.load() == 1);
}

TEST_CASE("server: a compressed body is limited by its inflated size") {
  const Scheme scheme = GENERATE(Scheme::kHttp, Scheme::kHttps);
  INFO(test_support::to_string(scheme));
  Receiver receiver(scheme);  // max_body_bytes 64 KiB
  std::ifstream in(std::string(PRIVACYCALL_TEST_DATA_DIR) + "/zeros-1MiB.gz", std::ios::binary);
  const std::string gzipped((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE(gzipped.size() < 4096);
  const RawExchange result =
      raw_exchange(receiver, "POST /status HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Encoding: gzip\r\n"
                             "Content-Length: " + std::to_string(gzipped.size()) + "\r\n" + signed_header_lines() +
                             "\r\n" + gzipped);
  CHECK(starts_with(result.answer, "HTTP/1.1 413"));
  CHECK(receiver.handler_calls.load() == 0);
}

TEST_CASE("server: a refused body is never read as further requests: its connection closes after the answer") {
  const Scheme scheme = GENERATE(Scheme::kHttp, Scheme::kHttps);
  INFO(test_support::to_string(scheme));
  Receiver receiver(scheme, long_keep_alive());
  SECTION("411: a POST without a length, its body following") {
    const RawExchange result = raw_exchange(receiver, "POST /status HTTP/1.1\r\nHost: x\r\n" + signed_header_lines() +
                                                          "\r\n" + event_body("no-length") + "\r\n\r\n");
    CHECK(starts_with(result.answer, "HTTP/1.1 411"));
    CHECK(count_of(result.answer, "HTTP/1.1 ") == 1);
    CHECK(count_of(result.answer, "Connection: close\r\n") == 1);  // not offered for reuse
    CHECK(result.answer.find("Keep-Alive:") == std::string::npos);
    CHECK(result.closed);
  }
  SECTION("413: a declared length over max_body_bytes, the body never sent") {
    const RawExchange result = raw_exchange(receiver, "POST /status HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n" +
                                                          signed_header_lines() + "\r\n");
    CHECK(starts_with(result.answer, "HTTP/1.1 413"));
    CHECK(count_of(result.answer, "Connection: close\r\n") == 1);
    CHECK(result.answer.find("Keep-Alive:") == std::string::npos);
    CHECK(result.closed);
  }
  SECTION("413 after Expect: 100-continue, without inviting the body") {
    const RawExchange result =
        raw_exchange(receiver, "POST /status HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 100000000000\r\n" +
                                   signed_header_lines() + "\r\n");
    CHECK(starts_with(result.answer, "HTTP/1.1 413"));
    CHECK(result.answer.find("100 Continue") == std::string::npos);
    CHECK(result.closed);
  }
  SECTION("400: a Content-Length that is not a number") {
    const RawExchange result = raw_exchange(receiver, "POST /status HTTP/1.1\r\nHost: x\r\nContent-Length: 12abc\r\n" +
                                                          signed_header_lines() + "\r\n" + kHealthCheck);
    CHECK(starts_with(result.answer, "HTTP/1.1 400"));
    CHECK(count_of(result.answer, "HTTP/1.1 ") == 1);
    CHECK(result.closed);
  }
  SECTION("400: both Content-Length and Transfer-Encoding") {
    const RawExchange result = raw_exchange(
        receiver, "POST /status HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n" +
                      signed_header_lines() + "\r\n0\r\n\r\n" + kHealthCheck);
    CHECK(starts_with(result.answer, "HTTP/1.1 400"));
    CHECK(count_of(result.answer, "HTTP/1.1 ") == 1);
    CHECK(result.closed);
  }
  CHECK(receiver.handler_calls.load() == 0);
  CHECK(receiver.server->stats().health_checks == 0);
  CHECK(receiver.server->stats().http_errors == 1);
}

TEST_CASE("server: a client still sending a refused body reads the answer and a clean close, never a reset") {
  // As an HTTP client pushing a body does: it sends everything before it reads. Closing with
  // its bytes unread would reset the connection, and the client could see a send error
  // instead of the 413. cpp-httplib drains what the client still sends (up to 1 MiB within
  // 100 ms) before it closes a plain HTTP connection from 0.53 on; 0.11 and TLS connections
  // close at once.
  const Scheme scheme = GENERATE(Scheme::kHttp, Scheme::kHttps);
  INFO(test_support::to_string(scheme));
  if (scheme == Scheme::kHttps || !httplib_at_least(0, 53)) {
    WARN("cpp-httplib " CPPHTTPLIB_VERSION " closes this connection without draining it: not checked");
    return;
  }
  Receiver receiver(scheme, long_keep_alive());
  const auto connection = receiver.connect();
  const std::string body(512 * 1024, 'x');
  CHECK(connection->send("POST /status HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
                         signed_header_lines() + "\r\n" + body));
  const RawExchange result = read_to_end(*connection);
  CHECK(starts_with(result.answer, "HTTP/1.1 413"));
  CHECK(result.closed);
  CHECK_FALSE(result.reset);
  CHECK(receiver.handler_calls.load() == 0);
}

TEST_CASE("server: bodies the server does not read are never taken for requests") {
  const Scheme scheme = GENERATE(Scheme::kHttp, Scheme::kHttps);
  INFO(test_support::to_string(scheme));
  Receiver receiver(scheme, long_keep_alive());
  SECTION("a GET's Content-Length body: answered, then the connection closes") {
    const std::string smuggled = "PUT /status HTTP/1.1\r\nHost: x\r\n\r\n";
    const RawExchange result = raw_exchange(
        receiver, "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(smuggled.size()) +
                      "\r\n\r\n" + smuggled + kHealthCheck);
    CHECK(starts_with(result.answer, "HTTP/1.1 200"));
    CHECK(count_of(result.answer, "HTTP/1.1 ") == 1);
    CHECK(result.closed);
    CHECK(receiver.server->stats().health_checks == 1);
    CHECK(receiver.server->stats().dispatcher.rejected.method_not_allowed == 0);
  }
  SECTION("a chunked PUT is answered 405 and its connection closed, its chunks unread") {
    const std::string inner = kHealthCheck;
    char size[16];
    std::snprintf(size, sizeof size, "%zx", inner.size());
    const RawExchange result = raw_exchange(
        receiver, "PUT /status HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + std::string(size) +
                      "\r\n" + inner + "\r\n0\r\n\r\n");
    CHECK(starts_with(result.answer, "HTTP/1.1 405"));
    CHECK(count_of(result.answer, "HTTP/1.1 ") == 1);
    CHECK(result.closed);
    CHECK(receiver.server->stats().health_checks == 0);
  }
  SECTION("a chunked PUT that never ends is answered at once") {
    const RawExchange result =
        raw_exchange(receiver, "PUT /status HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n");
    CHECK(starts_with(result.answer, "HTTP/1.1 405"));
    CHECK(result.closed);
  }
  SECTION("a PUT without a length has no body: answered at once, the next request follows") {
    const auto connection = receiver.connect();
    REQUIRE(connection->send("PUT /status HTTP/1.1\r\nHost: x\r\n\r\n"));
    // cpp-httplib 0.11 alone reads a PUT body without a length until the client closes.
    CHECK(starts_with(read_until(*connection, "\r\n\r\n"), "HTTP/1.1 405"));
    REQUIRE(connection->send(kHealthCheck));
    CHECK(read_until(*connection, R"({"status":"ok"})").find("HTTP/1.1 200") != std::string::npos);
  }
}

TEST_CASE("server: a keep-alive connection serves requests until keep_alive_max_count, then closes") {
  const Scheme scheme = GENERATE(Scheme::kHttp, Scheme::kHttps);
  INFO(test_support::to_string(scheme));
  WebhookServerOptions options = long_keep_alive();
  options.keep_alive_max_count = 3;
  Receiver receiver(scheme, options);
  const auto connection = receiver.connect();
  for (int i = 1; i <= 2; ++i) {
    REQUIRE(connection->send(raw_push(event_body("kept-" + std::to_string(i)))));
    const std::string answer = read_until(*connection, "\r\n\r\n");
    CHECK(starts_with(answer, "HTTP/1.1 200"));
    CHECK(answer.find("Keep-Alive: timeout=60, max=3\r\n") != std::string::npos);
    CHECK(answer.find("Connection: close") == std::string::npos);
    CHECK(connection->still_open());
  }
  REQUIRE(connection->send(raw_push(event_body("kept-3"))));
  const RawExchange last = read_to_end(*connection);
  CHECK(starts_with(last.answer, "HTTP/1.1 200"));
  CHECK(last.answer.find("Connection: close\r\n") != std::string::npos);
  CHECK(last.closed);
  CHECK(receiver.events.load() == 3);
}

TEST_CASE("server: pushes cut at random points on several connections are each delivered once") {
  const Scheme scheme = GENERATE(Scheme::kHttp, Scheme::kHttps);
  INFO(test_support::to_string(scheme));
  WebhookServerOptions options;
  options.read_timeout = 10s;  // each push must arrive whole within it, even under sanitizers
  Receiver receiver(scheme, options);
  constexpr int kConnections = 4;
  constexpr int kPushesEach = 25;
  std::atomic<int> answered_200{0};
  std::atomic<int> closed{0};
  // Connected here: Catch's assertions are not for other threads.
  std::vector<std::unique_ptr<RawConnection>> connections;
  for (int c = 0; c < kConnections; ++c) {
    connections.push_back(receiver.connect());
    connections.back()->set_no_delay();  // each piece its own segment
  }
  std::vector<std::thread> clients;
  for (int c = 0; c < kConnections; ++c) {
    clients.emplace_back([&, c, connection = connections[static_cast<std::size_t>(c)].get()] {
      std::mt19937 rng(static_cast<unsigned>(c + 1));
      char buffer[4096];
      for (int i = 0; i < kPushesEach; ++i) {
        const std::string push = raw_push(event_body("cut-" + std::to_string(c) + "-" + std::to_string(i)),
                                          i + 1 == kPushesEach ? "Connection: close\r\n" : "");
        for (std::size_t at = 0; at < push.size();) {
          const std::size_t piece =
              std::min<std::size_t>(std::uniform_int_distribution<std::size_t>(1, 300)(rng), push.size() - at);
          if (!connection->send(std::string_view(push).substr(at, piece))) return;
          at += piece;
        }
        std::string answer;  // a 200 carries no body: its head is all of it
        while (answer.find("\r\n\r\n") == std::string::npos) {
          const ssize_t n = connection->receive(buffer, sizeof buffer);
          if (n <= 0) return;
          answer.append(buffer, static_cast<std::size_t>(n));
        }
        if (starts_with(answer, "HTTP/1.1 200")) answered_200.fetch_add(1);
      }
      if (connection->receive(buffer, sizeof buffer) == 0) closed.fetch_add(1);
    });
  }
  for (auto& client : clients) client.join();
  CHECK(answered_200.load() == kConnections * kPushesEach);
  CHECK(closed.load() == kConnections);
  CHECK(receiver.events.load() == kConnections * kPushesEach);
  CHECK(receiver.server->stats().dispatcher.duplicates == 0);
}

TEST_CASE("server: a connection beyond the pool's threads waits until a thread frees") {
  const Scheme scheme = GENERATE(Scheme::kHttp, Scheme::kHttps);
  INFO(test_support::to_string(scheme));
  WebhookServerOptions options;
  options.threads = 1;
  options.keep_alive_timeout = 1s;
  Receiver receiver(scheme, options);
  const auto first = receiver.connect();
  REQUIRE(first->send(kHealthCheck));
  read_until(*first, R"({"status":"ok"})");  // `first` now idles, holding the only thread
  const auto second = receiver.connect();
  REQUIRE(second->send(kHealthCheck));
  CHECK(starts_with(read_until(*second, R"({"status":"ok"})"), "HTTP/1.1 200"));
  // It was served by the thread `first` held: `first` was closed at its keep-alive timeout.
  char byte;
  CHECK(first->receive(&byte, 1) == 0);
  CHECK(receiver.server->stats().health_checks == 2);
}

TEST_CASE("server: a client expecting 100-continue gets it before it sends the body") {
  const Scheme scheme = GENERATE(Scheme::kHttp, Scheme::kHttps);
  INFO(test_support::to_string(scheme));
  Receiver receiver(scheme);
  const std::string body = event_body("expect-continue");
  const auto connection = receiver.connect();
  REQUIRE(connection->send("POST /status HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Type: application/json\r\n"
                           "Content-Length: " + std::to_string(body.size()) + "\r\n" + signed_header_lines() + "\r\n"));
  CHECK(starts_with(read_until(*connection, "\r\n\r\n"), "HTTP/1.1 100 Continue\r\n"));
  REQUIRE(connection->send(body));
  CHECK(starts_with(read_until(*connection, "\r\n\r\n"), "HTTP/1.1 200"));
  CHECK(receiver.events.load() == 1);
}

TEST_CASE("server: a complete request waiting for a busy thread outlives its keep-alive deadline") {
  const Scheme scheme = GENERATE(Scheme::kHttp, Scheme::kHttps);
  INFO(test_support::to_string(scheme));
  HeldPush held;
  WebhookServerOptions options;
  options.threads = 1;
  options.keep_alive_timeout = 1s;
  Receiver receiver(scheme, options, held.handlers());
  auto busy = held.send(receiver, "busy");
  held.entered.get_future().wait();  // the only thread is taken

  // Sent from another thread: over HTTPS even the handshake waits for a thread.
  auto waiting = std::async(std::launch::async, [&receiver] {
    httplib::Client client = receiver.client();
    client.set_read_timeout(20, 0);
    auto result = client.Get("/healthz");
    return result ? result->status : -1;
  });
  // The connection's idle deadline (1 s) passes while its request waits; the time is the test.
  std::this_thread::sleep_for(2s);
  held.release.set_value();
  CHECK(busy.get() == 200);
  CHECK(waiting.get() == 200);
}

TEST_CASE("server: a body trickling in is cut off at read_timeout from its head (408)") {
  const Scheme scheme = GENERATE(Scheme::kHttp, Scheme::kHttps);
  INFO(test_support::to_string(scheme));
  WebhookServerOptions options;
  options.read_timeout = 1s;
  Receiver receiver(scheme, options);
  const auto connection = receiver.connect();
  REQUIRE(connection->send("POST /status HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n" + signed_header_lines() + "\r\n"));
  const auto started = std::chrono::steady_clock::now();
  // A one-byte chunk every 200 ms for up to 8 s: each read of the body succeeds well inside
  // the read timeout; only the deadline on the whole body can end it.
  for (int i = 0; i < 40 && connection->still_open(); ++i) {
    if (!connection->send("1\r\n{\r\n")) break;
    std::this_thread::sleep_for(200ms);
  }
  const RawExchange result = read_to_end(*connection);
  CHECK(starts_with(result.answer, "HTTP/1.1 408"));
  CHECK(result.closed);
  CHECK(std::chrono::steady_clock::now() - started < 6s);
  CHECK(receiver.handler_calls.load() == 0);
}

TEST_CASE("server: stop() returns within read_timeout while a client holds back a body") {
  const Scheme scheme = GENERATE(Scheme::kHttp, Scheme::kHttps);
  INFO(test_support::to_string(scheme));
  WebhookServerOptions options = long_keep_alive();
  options.read_timeout = 2s;
  Receiver receiver(scheme, options);
  const auto connection = receiver.connect();
  REQUIRE(connection->send("POST /status HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 100\r\n" +
                           signed_header_lines() + "\r\n"));
  read_until(*connection, "100 Continue\r\n\r\n");  // a thread now waits for the body, which never comes
  auto stopping = std::async(std::launch::async, [&] { receiver.server->stop(); });
  // The thread gives up at the read timeout; stop() waits for it, not for the keep-alive.
  CHECK(stopping.wait_for(10s) == std::future_status::ready);
  CHECK(read_until_closed(*connection));
  CHECK(receiver.handler_calls.load() == 0);
}

TEST_CASE("server: stop() closes idle keep-alive connections") {
  const Scheme scheme = GENERATE(Scheme::kHttp, Scheme::kHttps);
  INFO(test_support::to_string(scheme));
  WebhookServerOptions options;
  options.keep_alive_timeout = 3s;
  Receiver receiver(scheme, options);
  const auto connection = receiver.connect();
  REQUIRE(connection->send(kHealthCheck));
  read_until(*connection, R"({"status":"ok"})");
  REQUIRE(connection->still_open());  // kept alive, idle

  const auto started = std::chrono::steady_clock::now();
  auto stopping = std::async(std::launch::async, [&] { receiver.server->stop(); });
  CHECK(read_until_closed(*connection));
  CHECK(stopping.wait_for(10s) == std::future_status::ready);
  // cpp-httplib 0.11 notices the stop only when the keep-alive timeout ends the wait; newer
  // releases look at the listening socket while they wait.
  if (httplib_at_least(0, 53)) CHECK(std::chrono::steady_clock::now() - started < 1s);
}

TEST_CASE("server: a slow client is dropped after the read timeout without blocking others") {
  const Scheme scheme = GENERATE(Scheme::kHttp, Scheme::kHttps);
  INFO(test_support::to_string(scheme));
  Receiver receiver(scheme);
  const auto slow = receiver.connect();
  REQUIRE(slow->send("POST /status HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"));
  // Served meanwhile by another thread.
  auto health = receiver.client().Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  const auto started = std::chrono::steady_clock::now();
  CHECK(read_until_closed(*slow));
  CHECK(std::chrono::steady_clock::now() - started < 9s);
  CHECK(receiver.handler_calls.load() == 0);
}

TEST_CASE("server: a request head line over 8 KiB is refused (400) and its connection closes") {
  const Scheme scheme = GENERATE(Scheme::kHttp, Scheme::kHttps);
  INFO(test_support::to_string(scheme));
  Receiver receiver(scheme, long_keep_alive());
  const RawExchange result =
      raw_exchange(receiver, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + std::string(9000, 'a') + "\r\n\r\n");
  CHECK(starts_with(result.answer, "HTTP/1.1 400"));
  CHECK(result.closed);
  CHECK(receiver.server->stats().http_errors == 1);
  CHECK(receiver.server->stats().health_checks == 0);
}

TEST_CASE("server: stop() lets an in-flight request finish, then refuses connections") {
  const Scheme scheme = GENERATE(Scheme::kHttp, Scheme::kHttps);
  INFO(test_support::to_string(scheme));
  HeldPush held;
  Receiver receiver(scheme, WebhookServerOptions{}, held.handlers());
  auto in_flight = held.send(receiver, "graceful");
  held.entered.get_future().wait();

  auto stopping = std::async(std::launch::async, [&] { receiver.server->stop(); });
  // stop() must wait for the handler; give it a moment to (wrongly) return early.
  CHECK(stopping.wait_for(200ms) == std::future_status::timeout);
  held.release.set_value();
  CHECK(in_flight.get() == 200);
  stopping.get();
  CHECK_FALSE(receiver.server->running());

  httplib::Client after = receiver.client();
  after.set_connection_timeout(2, 0);
  CHECK_FALSE(after.Get("/healthz"));
  receiver.server->stop();  // idempotent
}

TEST_CASE("server: HTTPS refuses plain HTTP, and unusable TLS files are a transport error") {
  Receiver receiver(Scheme::kHttps);
  httplib::Client plain("127.0.0.1", receiver.port);
  plain.set_read_timeout(2, 0);
  auto refused = plain.Get("/healthz");
  CHECK((!refused || refused->status != 200));
  auto verified = receiver.client().Get("/healthz");  // and a verifying client still gets in
  REQUIRE(verified);
  CHECK(verified->status == 200);

  WebhookServerOptions broken;
  broken.tls = TlsFiles{test_support::test_certificate().certificate_file + ".missing",
                        test_support::test_certificate().private_key_file};
  auto verifier = std::make_shared<WebhookVerifier>();
  WebhookServer bad(std::make_shared<Dispatcher>(verifier, WebhookHandlers{}), broken);
  const auto failed = bad.start();
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().category == privacycall::ErrorCategory::kTransport);
}

TEST_CASE("server: binds IPv6 loopback") {
  // Skip quietly where the sandbox has no ::1.
  const int probe = ::socket(AF_INET6, SOCK_STREAM, 0);
  sockaddr_in6 addr{};
  addr.sin6_family = AF_INET6;
  addr.sin6_addr = in6addr_loopback;
  const bool has_ipv6 = probe >= 0 && ::bind(probe, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  if (probe >= 0) ::close(probe);
  if (!has_ipv6) {
    WARN("no IPv6 loopback here");
    return;
  }
  WebhookServerOptions options;
  options.host = "::1";
  Receiver receiver(Scheme::kHttp, options);
  httplib::Client client("::1", receiver.port);
  auto pushed = client.Post("/status", signed_headers(), event_body("v6"), kJson);
  REQUIRE(pushed);
  CHECK(pushed->status == 200);
  CHECK(receiver.events.load() == 1);
  const auto backlog = kernel_listen_backlog(receiver.port, AF_INET6);
  REQUIRE(backlog.has_value());
  CHECK(*backlog > 5);
}

TEST_CASE("server: a port already in use is a transport error") {
  Receiver first;
  WebhookServerOptions options;
  options.port = first.port;
  auto verifier = std::make_shared<WebhookVerifier>();
  WebhookServer second(std::make_shared<Dispatcher>(verifier, WebhookHandlers{}), options);
  const auto started = second.start();
  REQUIRE_FALSE(started.ok());
  CHECK(started.error().category == privacycall::ErrorCategory::kTransport);
}

namespace {

// A plain HTTP client of the ops endpoints on `port`.
httplib::Client ops_client(std::uint16_t port) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(10, 0);
  return client;
}

// The status and body of GET `path`; status -1 when nothing answered.
std::pair<int, std::string> get(httplib::Client& client, const std::string& path) {
  auto result = client.Get(path.c_str());
  return result ? std::make_pair(result->status, result->body) : std::make_pair(-1, std::string());
}

// Waits until the server's readiness turns false (drain() begun on another thread). Bounded:
// a drain that never begins fails the test after 10 s.
bool wait_until_unready(const WebhookServer& server) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (server.ready()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

WebhookServerOptions with_ops(std::optional<std::uint16_t> ops_port = std::nullopt) {
  WebhookServerOptions options;
  options.ops.enabled = true;
  options.ops.port = ops_port;
  return options;
}

}  // namespace

TEST_CASE("ops: /readyz and /metrics are served only when asked") {
  Receiver receiver;
  auto client = receiver.client();
  CHECK(get(client, "/readyz").first == 405);  // the dispatcher's answer to a GET
  CHECK(get(client, "/metrics").first == 405);
  CHECK(get(client, "/healthz").first == 200);
  CHECK(receiver.server->ops_port() == receiver.port);
}

TEST_CASE("ops: readiness follows its check, metrics count delivered, duplicate and forged pushes") {
  const Scheme scheme = GENERATE(Scheme::kHttp, Scheme::kHttps);
  INFO(test_support::to_string(scheme));
  std::atomic<int> readiness{1};  // 1 ready, 0 not ready, -1 the check throws
  WebhookServerOptions options = with_ops();
  options.ops.readiness = [&readiness] {
    if (readiness.load() < 0) throw std::runtime_error("store unreachable");
    return readiness.load() == 1;
  };
  Receiver receiver(scheme, options);
  auto client = receiver.client();

  CHECK(get(client, "/readyz") == std::make_pair(200, std::string(R"({"status":"ready"})")));
  readiness = 0;
  CHECK(get(client, "/readyz") == std::make_pair(503, std::string(R"({"status":"not ready"})")));
  CHECK_FALSE(receiver.server->ready());
  readiness = -1;
  CHECK(get(client, "/readyz").first == 503);
  readiness = 1;
  CHECK(get(client, "/readyz").first == 200);
  CHECK(get(client, "/healthz").first == 200);  // liveness ignores readiness

  const auto headers = signed_headers();
  CHECK(client.Post("/status", headers, event_body("ops-1"), kJson)->status == 200);
  CHECK(client.Post("/status", signed_headers(), event_body("ops-1"), kJson)->status == 200);  // duplicate
  const Signer forger(webhook_test::kAppKey, "not-the-secret");
  CHECK(client.Post("/status", to_httplib(webhook_test::signed_headers(forger)), event_body("ops-2"), kJson)->status ==
        401);

  auto metrics = client.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->status == 200);
  CHECK(metrics->get_header_value("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = metrics->body;
  INFO(text);
  for (const char* line : {R"(privacycall_webhook_pushes_total{kind="call_event",outcome="delivered"} 1)",
                           R"(privacycall_webhook_pushes_total{kind="call_event",outcome="duplicate"} 1)",
                           R"(privacycall_webhook_rejected_total{reason="bad_digest"} 1)",
                           "privacycall_webhook_handle_seconds_count 3", "privacycall_webhook_pushes_in_flight 0",
                           "privacycall_webhook_ready 1", "privacycall_webhook_http_refused_total 0"}) {
    CHECK(text.find(std::string("\n") + line + "\n") != std::string::npos);
  }
  CHECK(text.find("privacycall_webhook_queue_depth") == std::string::npos);  // no queue source
}

TEST_CASE("ops: on a port of their own, with the queue's levels, while the webhook port serves only pushes") {
  WebhookServerOptions options = with_ops(0);
  options.ops.queue_gauges = [] { return std::optional<PushQueueStats>(PushQueueStats{12, 3, 1}); };
  Receiver receiver(Scheme::kHttps, options);
  const std::uint16_t ops_port = receiver.server->ops_port();
  REQUIRE(ops_port != 0);
  CHECK(ops_port != receiver.port);

  auto ops = ops_client(ops_port);  // plain HTTP, whatever the webhook port serves
  CHECK(get(ops, "/healthz").first == 200);
  CHECK(get(ops, "/readyz").first == 200);
  const std::string text = get(ops, "/metrics").second;
  CHECK(text.find("\nprivacycall_webhook_queue_depth 12\n") != std::string::npos);
  CHECK(text.find("\nprivacycall_webhook_queue_pending 3\n") != std::string::npos);
  CHECK(text.find("\nprivacycall_webhook_queue_dead_lettered 1\n") != std::string::npos);
  CHECK(get(ops, "/status").first == 404);
  auto posted = ops.Post("/status", signed_headers(), event_body("ops-3"), kJson);
  REQUIRE(posted);
  CHECK(posted->status == 404);

  auto client = receiver.client();
  CHECK(get(client, "/healthz").first == 405);  // moved to the ops port
  CHECK(get(client, "/readyz").first == 405);
  CHECK(client.Post("/status", signed_headers(), event_body("ops-3"), kJson)->status == 200);
  CHECK(receiver.events.load() == 1);

  receiver.server->stop();
  CHECK_FALSE(get(ops, "/healthz").first == 200);  // the ops server stops with it
}

TEST_CASE("ops: an ops port already in use fails start() and leaves the webhook port unbound") {
  Receiver first;
  WebhookServerOptions options = with_ops(first.port);
  auto verifier = std::make_shared<WebhookVerifier>();
  WebhookServer second(std::make_shared<Dispatcher>(verifier, WebhookHandlers{}), options);
  const auto started = second.start();
  REQUIRE_FALSE(started.ok());
  CHECK(started.error().category == privacycall::ErrorCategory::kTransport);
  CHECK_FALSE(second.running());
}

TEST_CASE("drain: /readyz turns 503 at once, new connections and pushes are refused, the push in flight is answered") {
  const bool own_ops_port = GENERATE(false, true);
  INFO("ops on a port of their own: " << own_ops_port);
  HeldPush held;
  WebhookServerOptions options = own_ops_port ? with_ops(0) : with_ops();
  options.keep_alive_timeout = 60s;  // what closes the connections below is the drain
  Receiver receiver(Scheme::kHttp, options, held.handlers());
  // Connections open before the drain, idle. cpp-httplib 0.11 notices the stop only between
  // requests: each serves one more request, then closes. Newer releases close idle
  // connections as soon as the server stops.
  const bool one_more_request = !httplib_at_least(0, 53);
  const auto open_connection = [&receiver] {
    auto connection = receiver.connect();
    REQUIRE(connection->send("GET /status HTTP/1.1\r\nHost: x\r\n\r\n"));
    read_until(*connection, "\"}");  // the dispatcher's 405
    return connection;
  };
  auto for_readiness = open_connection();
  auto for_push = open_connection();

  auto in_flight = held.send(receiver, "drain-1");
  held.entered.get_future().wait();
  auto draining = std::async(std::launch::async, [&] { return receiver.server->drain(20s); });
  REQUIRE(wait_until_unready(*receiver.server));

  if (own_ops_port) {
    // The ops server goes on answering: probes see the drain.
    auto ops = ops_client(receiver.server->ops_port());
    CHECK(get(ops, "/readyz") == std::make_pair(503, std::string(R"({"status":"draining"})")));
    CHECK(get(ops, "/healthz").first == 200);
    const std::string text = get(ops, "/metrics").second;
    CHECK(text.find("\nprivacycall_webhook_pushes_in_flight 1\n") != std::string::npos);
    CHECK(text.find("\nprivacycall_webhook_ready 0\n") != std::string::npos);
  } else if (one_more_request) {
    REQUIRE(for_readiness->send("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n"));
    const RawExchange answer = read_to_end(*for_readiness);
    CHECK(starts_with(answer.answer, "HTTP/1.1 503"));
    CHECK(answer.answer.find(R"({"status":"draining"})") != std::string::npos);
    CHECK(answer.closed);
  }
  for_readiness.reset();
  // The listening socket is closed: a new connection is refused.
  httplib::Client late = receiver.client();
  late.set_connection_timeout(2, 0);
  CHECK_FALSE(late.Get("/healthz"));
  // A push on a connection opened before never reaches a handler: 503 (the platform pushes
  // it again), or the connection is closed already; either way it closes.
  (void)for_push->send(raw_push(event_body("drain-2")));
  const RawExchange refused = read_to_end(*for_push);
  CHECK(refused.closed);
  if (one_more_request) {
    CHECK(starts_with(refused.answer, "HTTP/1.1 503"));
    CHECK(receiver.server->stats().draining_refused == 1);
  }

  // drain() waits for the held push, which is answered 200 once its handler returns.
  CHECK(draining.wait_for(100ms) == std::future_status::timeout);
  held.release.set_value();
  CHECK(in_flight.get() == 200);
  CHECK(draining.get());
  CHECK(receiver.server->stats().dispatcher.delivered == 1);  // drain-1 only
  receiver.server->stop();
}

TEST_CASE("drain: false when the grace runs out with a push still in flight, and stop() still waits for it") {
  HeldPush held;
  Receiver receiver(Scheme::kHttp, with_ops(), held.handlers());
  auto in_flight = held.send(receiver, "drain-3");
  held.entered.get_future().wait();
  CHECK_FALSE(receiver.server->drain(50ms));
  CHECK(receiver.server->stats().in_flight == 1);
  held.release.set_value();
  CHECK(in_flight.get() == 200);
  receiver.server->stop();
  CHECK(receiver.server->drain(0ms));  // idempotent, nothing in flight
}
