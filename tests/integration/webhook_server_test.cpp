// The webhook server over real HTTP(S) on loopback, driven by cpp-httplib's client.

#include <privacycall/webhook/server.hpp>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <random>
#include <thread>

#include "support/catch.hpp"
#include "support/webhook_test_support.hpp"

using namespace privacycall::webhook;
using privacycall::PhoneNumber;
using privacycall::Signer;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const Signer& platform() {
  static const Signer signer(webhook_test::kAppKey, webhook_test::kAppSecret);
  return signer;
}

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

// A receiver on 127.0.0.1:0 with counting handlers.
struct Receiver {
  std::atomic<int> events{0};
  std::atomic<int> handler_calls{0};
  std::shared_ptr<Dispatcher> dispatcher;
  std::unique_ptr<WebhookServer> server;
  std::uint16_t port = 0;

  explicit Receiver(WebhookServerOptions options = {}, WebhookHandlers handlers = {}) {
    auto verifier = std::make_shared<WebhookVerifier>();
    verifier->add_app(webhook_test::kAppKey, webhook_test::kAppSecret);
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
    server = std::make_unique<WebhookServer>(dispatcher, options);
    auto started = server->start();
    INFO((started ? std::string() : started.error().to_string()));
    REQUIRE(started.ok());
    port = *started;
  }

  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port);
    c.set_keep_alive(true);
    // Without it Nagle holds the body back for the server's delayed ACK: 40 ms a request.
    c.set_tcp_nodelay(true);
    c.set_read_timeout(10, 0);
    return c;
  }
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

// A raw TCP connection to 127.0.0.1:port with a receive timeout.
int raw_connect(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  return fd;
}

// Reads until the peer closes; true when it did (false on timeout or error).
bool read_until_closed(int fd) {
  char buffer[4096];
  while (true) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n == 0) return true;
    if (n < 0) return errno == ECONNRESET;
  }
}

struct RawExchange {
  std::string answer;  // every byte the server sent
  bool closed = false;  // the server closed the connection (rather than 10 s passing)
};

// Sends `request` on a new raw connection and reads until the server closes it or 10 s pass.
RawExchange raw_exchange(std::uint16_t port, const std::string& request) {
  const int fd = raw_connect(port);
  REQUIRE(::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size()));
  RawExchange result;
  char buffer[4096];
  while (true) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) {
      result.closed = n == 0 || errno == ECONNRESET;
      break;
    }
    result.answer.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return result;
}

std::string send_and_read(std::uint16_t port, const std::string& request) { return raw_exchange(port, request).answer; }

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

// A keep-alive that outlasts every test: what closes a connection in the tests that use it is
// the server deciding to, not an idle timeout.
WebhookServerOptions long_keep_alive() {
  WebhookServerOptions options;
  options.keep_alive_timeout = 60s;
  return options;
}

// Reads from `fd` until `marker` has arrived; everything read. Fails the test if the server
// closes first or 10 s pass.
std::string read_until(int fd, const std::string& marker) {
  std::string received;
  char buffer[4096];
  while (received.find(marker) == std::string::npos) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    REQUIRE(n > 0);
    received.append(buffer, static_cast<std::size_t>(n));
  }
  return received;
}

// A call-event handler that holds the worker running it until `release` is set, and the push
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

  // The push's HTTP status, -1 when it got no answer.
  std::future<int> send(std::uint16_t port, const std::string& session) const {
    return std::async(std::launch::async, [port, session] {
      httplib::Client client("127.0.0.1", port);
      client.set_read_timeout(20, 0);
      auto result = client.Post("/status", signed_headers(), event_body(session), kJson);
      return result ? result->status : -1;
    });
  }
};

// True while the server keeps `fd` open and has sent nothing more on it.
bool still_open(int fd) {
  char byte;
  const ssize_t n = ::recv(fd, &byte, 1, MSG_DONTWAIT | MSG_PEEK);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
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

}  // namespace

TEST_CASE("server: binds port 0 on 127.0.0.1, serves pushes and healthz") {
  Receiver receiver;
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

TEST_CASE("server: 405, 401, 400 and 413 over HTTP, none reaching a handler") {
  Receiver receiver;
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

  auto too_large = client.Post("/status", signed_headers(), std::string(128 * 1024, 'x'), kJson);
  REQUIRE(too_large);
  CHECK(too_large->status == 413);

  CHECK(receiver.handler_calls.load() == 0);
  const WebhookServerStats stats = receiver.server->stats();
  CHECK(stats.dispatcher.rejected.method_not_allowed == 2);
  CHECK(stats.dispatcher.rejected.unauthenticated == 1);
  CHECK(stats.dispatcher.rejected.bad_auth_headers == 1);
  CHECK(stats.dispatcher.rejected.malformed_body == 1);
  CHECK(stats.http_errors >= 1);  // the 413 came from the HTTP layer
}

TEST_CASE("server: thousands of malformed and random requests, then it still answers") {
  Receiver receiver;
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

  // Junk below HTTP: garbage request lines on raw sockets, all open at once (the server
  // closes each after its read or keep-alive timeout).
  std::vector<int> sockets;
  for (int i = 0; i < 20; ++i) {
    const int fd = raw_connect(receiver.port);
    std::string junk(static_cast<std::size_t>(random_int(1, 2000)), '\0');
    for (char& c : junk) c = static_cast<char>(random_int(0, 255));
    junk += "\r\n\r\n";
    CHECK(::send(fd, junk.data(), junk.size(), MSG_NOSIGNAL) > 0);
    sockets.push_back(fd);
  }
  for (const int fd : sockets) {
    CHECK(read_until_closed(fd));
    ::close(fd);
  }

  auto healthy = receiver.client().Get("/healthz");
  REQUIRE(healthy);
  CHECK(healthy->status == 200);
  auto valid_push = receiver.client().Post("/status", signed_headers(), event_body("after-fuzz"), kJson);
  REQUIRE(valid_push);
  CHECK(valid_push->status == 200);
  CHECK(receiver.handler_calls.load() == 1);
}

TEST_CASE("server: a POST without Content-Length or chunked encoding is refused (411) without waiting for the client to close") {
  Receiver receiver;
  // cpp-httplib alone would read such a body until the client closes, without limit.
  const std::string answer = send_and_read(receiver.port, "POST /status HTTP/1.1\r\nHost: x\r\n" + signed_header_lines() +
                                                         "\r\n" + event_body("no-length"));
  CHECK(answer.rfind("HTTP/1.1 411", 0) == 0);
  CHECK(receiver.handler_calls.load() == 0);
}

TEST_CASE("server: a chunked body past max_body_bytes is refused (413) once it passes the limit") {
  Receiver receiver;  // max_body_bytes 64 KiB
  const int fd = raw_connect(receiver.port);
  const std::string head = "POST /status HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n" + signed_header_lines() + "\r\n";
  REQUIRE(::send(fd, head.data(), head.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(head.size()));
  // 1 MiB in 16 KiB chunks, never terminated. cpp-httplib alone would buffer all of it and
  // wait for the rest until its read timeout, then answer 400.
  std::thread sender([fd] {
    const std::string chunk = "4000\r\n" + std::string(0x4000, ' ') + "\r\n";
    for (int i = 0; i < 64; ++i) {
      if (::send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL) <= 0) return;
    }
  });
  std::string answer;
  char buffer[4096];
  while (answer.find("\r\n") == std::string::npos) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    answer.append(buffer, static_cast<std::size_t>(n));
  }
  ::shutdown(fd, SHUT_RDWR);
  sender.join();
  ::close(fd);
  CHECK(answer.rfind("HTTP/1.1 413", 0) == 0);
  CHECK(receiver.handler_calls.load() == 0);
  auto after = receiver.client().Post("/status", signed_headers(), event_body("after-chunked"), kJson);
  REQUIRE(after);
  CHECK(after->status == 200);
}

TEST_CASE("server: a chunked push within the limit is delivered") {
  Receiver receiver;
  const std::string body = event_body("chunked");
  char size[16];
  std::snprintf(size, sizeof size, "%zx", body.size());
  const std::string answer = send_and_read(
      receiver.port, "POST /status HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n" +
                         signed_header_lines() + "\r\n" + size + "\r\n" + body + "\r\n0\r\n\r\n");
  CHECK(answer.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(receiver.events.load() == 1);
}

TEST_CASE("server: a compressed body is limited by its inflated size") {
  Receiver receiver;  // max_body_bytes 64 KiB
  std::ifstream in(std::string(PRIVACYCALL_TEST_DATA_DIR) + "/zeros-1MiB.gz", std::ios::binary);
  const std::string gzipped((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE(gzipped.size() < 4096);
  const std::string answer =
      send_and_read(receiver.port, "POST /status HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Encoding: gzip\r\n"
                              "Content-Length: " + std::to_string(gzipped.size()) + "\r\n" + signed_header_lines() +
                              "\r\n" + gzipped);
  CHECK(answer.rfind("HTTP/1.1 413", 0) == 0);
  CHECK(receiver.handler_calls.load() == 0);
}

TEST_CASE("server: a chunked PUT is refused (405) without its body being read") {
  Receiver receiver;
  const std::string answer = send_and_read(receiver.port, "PUT /status HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                                                     "4\r\nabcd\r\n");  // and never the last chunk
  CHECK(answer.rfind("HTTP/1.1 405", 0) == 0);
  CHECK(receiver.server->stats().dispatcher.rejected.method_not_allowed == 1);
}

TEST_CASE("server: a refused body is never read as further requests: its connection closes after the answer") {
  Receiver receiver(long_keep_alive());
  SECTION("411: a POST without a length, its body following") {
    const RawExchange result = raw_exchange(receiver.port, "POST /status HTTP/1.1\r\nHost: x\r\n" + signed_header_lines() +
                                                           "\r\n" + event_body("no-length") + "\r\n\r\n");
    CHECK(result.answer.rfind("HTTP/1.1 411", 0) == 0);
    CHECK(count_of(result.answer, "HTTP/1.1 ") == 1);
    CHECK(result.answer.find("Connection: close\r\n") != std::string::npos);  // not offered for reuse
    CHECK(result.answer.find("Keep-Alive:") == std::string::npos);
    CHECK(result.closed);
  }
  SECTION("413: a declared length over max_body_bytes, the body never sent") {
    const RawExchange result = raw_exchange(receiver.port, "POST /status HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n" +
                                                           signed_header_lines() + "\r\n");
    CHECK(result.answer.rfind("HTTP/1.1 413", 0) == 0);
    CHECK(result.answer.find("Connection: close\r\n") != std::string::npos);
    CHECK(result.answer.find("Keep-Alive:") == std::string::npos);
    CHECK(result.closed);
  }
  SECTION("413 after Expect: 100-continue, without inviting the body") {
    const RawExchange result =
        raw_exchange(receiver.port, "POST /status HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 100000000000\r\n" +
                                    signed_header_lines() + "\r\n");
    CHECK(result.answer.rfind("HTTP/1.1 413", 0) == 0);
    CHECK(result.answer.find("100 Continue") == std::string::npos);
    CHECK(result.closed);
  }
  CHECK(receiver.handler_calls.load() == 0);
  CHECK(receiver.server->stats().http_errors == 1);
}

TEST_CASE("server: a client still sending a refused body reads the answer and a clean close, never a reset") {
  // As an HTTP client pushing a large body does: it sends everything before it reads. Closing
  // with its bytes unread would reset the connection, and the client would see a send error
  // instead of the 413.
  Receiver receiver(long_keep_alive());
  const int fd = raw_connect(receiver.port);
  timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  const std::string body(4 << 20, 'x');
  const std::string request = "POST /status HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) +
                              "\r\n" + signed_header_lines() + "\r\n" + body;
  std::size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  CHECK(sent == request.size());
  std::string answer;
  char buffer[4096];
  ssize_t n = 0;
  while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) answer.append(buffer, static_cast<std::size_t>(n));
  CHECK(n == 0);  // a FIN after the answer, not ECONNRESET
  CHECK(answer.rfind("HTTP/1.1 413", 0) == 0);
  ::close(fd);
  CHECK(receiver.handler_calls.load() == 0);
}

TEST_CASE("server: bodies the server does not read are never taken for requests") {
  Receiver receiver(long_keep_alive());
  SECTION("a GET's Content-Length body is skipped") {
    const std::string smuggled = "PUT /status HTTP/1.1\r\nHost: x\r\n\r\n";
    const RawExchange result = raw_exchange(
        receiver.port, "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(smuggled.size()) +
                           "\r\n\r\n" + smuggled + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(count_of(result.answer, "HTTP/1.1 200") == 2);
    CHECK(count_of(result.answer, "HTTP/1.1 ") == 2);
    CHECK(receiver.server->stats().health_checks == 2);
    CHECK(receiver.server->stats().dispatcher.rejected.method_not_allowed == 0);
  }
  SECTION("a chunked PUT is answered 405 and its connection closed, its chunks unread") {
    const std::string inner = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    char size[16];
    std::snprintf(size, sizeof size, "%zx", inner.size());
    const RawExchange result = raw_exchange(
        receiver.port, "PUT /status HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + std::string(size) +
                           "\r\n" + inner + "\r\n0\r\n\r\n");
    CHECK(result.answer.rfind("HTTP/1.1 405", 0) == 0);
    CHECK(count_of(result.answer, "HTTP/1.1 ") == 1);
    CHECK(result.closed);
    CHECK(receiver.server->stats().health_checks == 0);
  }
  SECTION("a PUT without a length has no body: answered at once, the next request follows") {
    const int fd = raw_connect(receiver.port);
    const std::string put = "PUT /status HTTP/1.1\r\nHost: x\r\n\r\n";
    REQUIRE(::send(fd, put.data(), put.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(put.size()));
    // cpp-httplib alone reads a PUT body without a length until the client closes.
    CHECK(read_until(fd, "\r\n\r\n").rfind("HTTP/1.1 405", 0) == 0);
    const std::string get = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    REQUIRE(::send(fd, get.data(), get.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(get.size()));
    CHECK(read_until(fd, R"({"status":"ok"})").find("HTTP/1.1 200") != std::string::npos);
    ::close(fd);
  }
}

TEST_CASE("server: a head whose lines cpp-httplib splits differently is answered at once and never waited on") {
  WebhookServerOptions options = long_keep_alive();
  options.threads = 1;
  options.read_timeout = 60s;
  Receiver receiver(options);
  // A bare LF: the event loop sees one line "X: a\nContent-Length: 100" and no body; cpp-httplib
  // sees Content-Length: 100. Within the request's framing it gets no more bytes.
  const RawExchange result = raw_exchange(
      receiver.port, "POST /status HTTP/1.1\r\nHost: x\r\nX: a\nContent-Length: 100\r\n" + signed_header_lines() + "\r\n");
  CHECK(result.answer.rfind("HTTP/1.1 400", 0) == 0);
  CHECK(result.closed);
  CHECK(receiver.handler_calls.load() == 0);
}

TEST_CASE("server: a request head over 64 KiB gets 431 and its connection closes") {
  Receiver receiver(long_keep_alive());
  std::string head = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  while (head.size() < 70 * 1024) head += "X-Padding: " + std::string(1000, 'a') + "\r\n";
  const RawExchange result = raw_exchange(receiver.port, head);  // never ends with an empty line
  CHECK(result.answer.rfind("HTTP/1.1 431", 0) == 0);
  CHECK(result.closed);
  CHECK(receiver.server->stats().http_errors == 1);
  CHECK(receiver.server->stats().health_checks == 0);
}

TEST_CASE("server: pipelined requests on one connection are answered in order") {
  Receiver receiver;
  const auto push = [](const std::string& session, const std::string& extra_header) {
    const std::string body = event_body(session);
    return "POST /status HTTP/1.1\r\nHost: x\r\n" + extra_header + "Content-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n" + signed_header_lines() + "\r\n" + body;
  };
  const RawExchange result = raw_exchange(
      receiver.port, push("pipelined-1", "") + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" +
                         push("pipelined-2", "Connection: close\r\n"));
  CHECK(count_of(result.answer, "HTTP/1.1 200") == 3);
  const std::size_t health = result.answer.find(R"({"status":"ok"})");
  REQUIRE(health != std::string::npos);
  CHECK(result.answer.find("HTTP/1.1 200") < health);          // the first push's answer came first
  CHECK(result.answer.find("HTTP/1.1 200", health) != std::string::npos);  // the second push's after
  CHECK(result.closed);
  CHECK(receiver.events.load() == 2);
}

TEST_CASE("server: pushes cut at random points and pipelined on several connections are each delivered once") {
  WebhookServerOptions options;
  options.threads = 2;
  options.read_timeout = 10s;  // each push must arrive whole within it, even under sanitizers
  Receiver receiver(options);
  constexpr int kConnections = 4;
  constexpr int kPushesEach = 50;
  std::vector<std::thread> clients;
  std::atomic<int> answered_200{0};
  std::atomic<int> closed{0};
  std::vector<int> sockets;  // connected here: Catch's assertions are not for other threads
  for (int c = 0; c < kConnections; ++c) sockets.push_back(raw_connect(receiver.port));
  for (int c = 0; c < kConnections; ++c) {
    clients.emplace_back([&, c, fd = sockets[static_cast<std::size_t>(c)]] {
      std::string stream;
      for (int i = 0; i < kPushesEach; ++i) {
        const std::string body = event_body("cut-" + std::to_string(c) + "-" + std::to_string(i));
        stream += "POST /status HTTP/1.1\r\nHost: x\r\n";
        if (i + 1 == kPushesEach) stream += "Connection: close\r\n";
        stream += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
                  signed_header_lines() + "\r\n" + body;
      }
      int yes = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);  // each piece its own segment
      std::mt19937 rng(static_cast<unsigned>(c + 1));
      std::string answers;
      std::thread reader([&] {
        char buffer[4096];
        for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) {
          answers.append(buffer, static_cast<std::size_t>(n));
        }
      });
      for (std::size_t at = 0; at < stream.size();) {
        const std::size_t piece =
            std::min<std::size_t>(std::uniform_int_distribution<std::size_t>(1, 300)(rng), stream.size() - at);
        if (::send(fd, stream.data() + at, piece, MSG_NOSIGNAL) != static_cast<ssize_t>(piece)) break;
        at += piece;
      }
      reader.join();  // ends when the server closes after the last push (Connection: close)
      answered_200 += static_cast<int>(count_of(answers, "HTTP/1.1 200"));
      if (count_of(answers, "HTTP/1.1 ") == kPushesEach) closed.fetch_add(1);
      ::close(fd);
    });
  }
  for (auto& client : clients) client.join();
  CHECK(answered_200.load() == kConnections * kPushesEach);
  CHECK(closed.load() == kConnections);
  CHECK(receiver.events.load() == kConnections * kPushesEach);
  CHECK(receiver.server->stats().dispatcher.duplicates == 0);
}

TEST_CASE("server: two workers serve 300 open keep-alive connections, each in turn") {
  WebhookServerOptions options = long_keep_alive();  // the rounds may be slow under sanitizers
  options.threads = 2;
  Receiver receiver(options);
  std::vector<int> sockets;
  for (int i = 0; i < 300; ++i) sockets.push_back(raw_connect(receiver.port));
  const std::string get = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  for (int round = 0; round < 2; ++round) {
    // Every connection stays open between rounds; a thread per connection would need 300.
    for (const int fd : sockets) {
      REQUIRE(::send(fd, get.data(), get.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(get.size()));
    }
    for (const int fd : sockets) CHECK(read_until(fd, R"({"status":"ok"})").rfind("HTTP/1.1 200", 0) == 0);
  }
  CHECK(receiver.server->stats().health_checks == 600);
  for (const int fd : sockets) ::close(fd);
}

TEST_CASE("server: with one worker, clients that send slowly or nothing hold no thread") {
  WebhookServerOptions options;
  options.threads = 1;
  options.read_timeout = 30s;  // the slow clients below stay well inside it
  options.keep_alive_timeout = 30s;
  Receiver receiver(options);
  const std::string body = event_body("trickled");
  const std::string request = "POST /status HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\n" + signed_header_lines() + "\r\n" + body;
  const std::size_t head_size = request.size() - body.size();

  const int silent = raw_connect(receiver.port);          // connects, sends nothing
  const int half_head = raw_connect(receiver.port);       // half of the head
  const int half_body = raw_connect(receiver.port);       // the head and part of the body
  REQUIRE(::send(half_head, request.data(), head_size / 2, MSG_NOSIGNAL) > 0);
  REQUIRE(::send(half_body, request.data(), head_size + 10, MSG_NOSIGNAL) > 0);

  // cpp-httplib's own model would give the only worker to the first of them until its timeout.
  auto health = receiver.client().Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(still_open(silent));
  CHECK(still_open(half_head));
  CHECK(still_open(half_body));

  // The rest of the body, in pieces: the request is served once it is whole.
  for (std::size_t at = head_size + 10; at < request.size(); at += 7) {
    const std::size_t piece = std::min<std::size_t>(7, request.size() - at);
    REQUIRE(::send(half_body, request.data() + at, piece, MSG_NOSIGNAL) == static_cast<ssize_t>(piece));
  }
  CHECK(read_until(half_body, "\r\n\r\n").rfind("HTTP/1.1 200", 0) == 0);
  CHECK(receiver.events.load() == 1);
  for (const int fd : {silent, half_head, half_body}) ::close(fd);
}

TEST_CASE("server: a client expecting 100-continue gets it before it sends the body") {
  Receiver receiver;
  const std::string body = event_body("expect-continue");
  const int fd = raw_connect(receiver.port);
  const std::string head = "POST /status HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Type: application/json\r\n"
                           "Content-Length: " + std::to_string(body.size()) + "\r\n" + signed_header_lines() + "\r\n";
  REQUIRE(::send(fd, head.data(), head.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(head.size()));
  CHECK(read_until(fd, "\r\n\r\n").rfind("HTTP/1.1 100 Continue\r\n", 0) == 0);
  REQUIRE(::send(fd, body.data(), body.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(body.size()));
  CHECK(read_until(fd, "\r\n\r\n").rfind("HTTP/1.1 200", 0) == 0);
  CHECK(receiver.events.load() == 1);
  ::close(fd);
}

TEST_CASE("server: a complete request waiting for a busy worker outlives its keep-alive deadline") {
  HeldPush held;
  WebhookServerOptions options;
  options.threads = 1;
  options.keep_alive_timeout = 1s;
  Receiver receiver(options, held.handlers());
  auto busy = held.send(receiver.port, "busy");
  held.entered.get_future().wait();  // the only worker is taken

  const int waiting = raw_connect(receiver.port);
  const std::string get = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  REQUIRE(::send(waiting, get.data(), get.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(get.size()));
  // The connection's idle deadline (1 s) passes while its request waits; the time is the test.
  std::this_thread::sleep_for(2s);
  held.release.set_value();
  CHECK(busy.get() == 200);
  CHECK(read_until(waiting, R"({"status":"ok"})").rfind("HTTP/1.1 200", 0) == 0);
  ::close(waiting);
}

TEST_CASE("server: a body trickling in is cut off at read_timeout from the request's start") {
  WebhookServerOptions options;
  options.threads = 1;
  options.read_timeout = 1s;
  Receiver receiver(options);
  const int fd = raw_connect(receiver.port);
  const std::string head = "POST /status HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n" + signed_header_lines() + "\r\n";
  REQUIRE(::send(fd, head.data(), head.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(head.size()));
  const auto started = std::chrono::steady_clock::now();
  std::atomic<bool> done{false};
  std::thread trickle([&] {
    // A one-byte chunk every 200 ms for up to 8 s: each read of the body succeeds well inside
    // the read timeout; only the request's own deadline can end it.
    for (int i = 0; i < 40 && !done.load(); ++i) {
      if (::send(fd, "1\r\n{\r\n", 6, MSG_NOSIGNAL) != 6) return;
      std::this_thread::sleep_for(200ms);
    }
  });
  CHECK(read_until(fd, "\r\n\r\n").rfind("HTTP/1.1 400", 0) == 0);
  CHECK(read_until_closed(fd));
  CHECK(std::chrono::steady_clock::now() - started < 6s);
  done.store(true);
  trickle.join();
  ::close(fd);
  CHECK(receiver.handler_calls.load() == 0);
}

TEST_CASE("server: stop() ends a request whose body the client stopped sending") {
  WebhookServerOptions options = long_keep_alive();
  options.read_timeout = 60s;
  Receiver receiver(options);
  const int fd = raw_connect(receiver.port);
  const std::string head = "POST /status HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 100\r\n" +
                           signed_header_lines() + "\r\n";
  REQUIRE(::send(fd, head.data(), head.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(head.size()));
  read_until(fd, "100 Continue\r\n\r\n");  // a worker now waits for the body, which never comes
  auto stopping = std::async(std::launch::async, [&] { receiver.server->stop(); });
  CHECK(stopping.wait_for(20s) == std::future_status::ready);  // not the 60 s read timeout
  CHECK(read_until_closed(fd));
  ::close(fd);
  CHECK(receiver.handler_calls.load() == 0);
}

TEST_CASE("server: max_buffered_bytes counts unread bytes and idle connections hold none") {
  WebhookServerOptions options = long_keep_alive();
  options.threads = 1;
  options.read_timeout = 30s;
  options.max_buffered_bytes = 2000;
  Receiver receiver(options);
  std::vector<int> idle;
  const std::string get = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  for (int i = 0; i < 20; ++i) {
    idle.push_back(raw_connect(receiver.port));
    REQUIRE(::send(idle.back(), get.data(), get.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(get.size()));
    read_until(idle.back(), R"({"status":"ok"})");
  }
  // A partial push well under the budget is buffered by the event loop, so the only worker
  // stays free; counted by buffer size, the idle connections above would have spent the budget
  // and handed this body to the worker until its 30 s deadline.
  const std::string body = event_body("budget");
  const std::string request = "POST /status HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\n" + signed_header_lines() + "\r\n" + body;
  REQUIRE(request.size() < 2000);
  const int partial = raw_connect(receiver.port);
  REQUIRE(::send(partial, request.data(), request.size() - 10, MSG_NOSIGNAL) > 0);
  const RawExchange health = raw_exchange(receiver.port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(health.answer.rfind("HTTP/1.1 200", 0) == 0);
  REQUIRE(::send(partial, request.data() + request.size() - 10, 10, MSG_NOSIGNAL) == 10);
  CHECK(read_until(partial, "\r\n\r\n").rfind("HTTP/1.1 200", 0) == 0);
  CHECK(receiver.events.load() == 1);
  ::close(partial);
  for (const int fd : idle) ::close(fd);
}

TEST_CASE("server: past max_buffered_bytes a worker reads the rest of a body itself") {
  WebhookServerOptions options;
  options.threads = 1;
  options.read_timeout = 1s;
  options.max_buffered_bytes = 0;
  Receiver receiver(options);
  const std::string body = event_body("streamed");
  const std::string request = "POST /status HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\n" + signed_header_lines() + "\r\n" + body;
  const std::size_t head_size = request.size() - body.size();
  SECTION("a body that comes whole is delivered") {
    const int fd = raw_connect(receiver.port);
    REQUIRE(::send(fd, request.data(), head_size + 5, MSG_NOSIGNAL) > 0);
    REQUIRE(::send(fd, request.data() + head_size + 5, request.size() - head_size - 5, MSG_NOSIGNAL) > 0);
    CHECK(read_until(fd, "\r\n\r\n").rfind("HTTP/1.1 200", 0) == 0);
    CHECK(receiver.events.load() == 1);
    ::close(fd);
  }
  SECTION("a body that stops coming is answered 400 by the worker that read it") {
    // Buffered by the event loop instead, it would be closed at its deadline without an answer.
    const int fd = raw_connect(receiver.port);
    REQUIRE(::send(fd, request.data(), head_size + 5, MSG_NOSIGNAL) > 0);
    CHECK(read_until(fd, "\r\n\r\n").rfind("HTTP/1.1 400", 0) == 0);
    ::close(fd);
    CHECK(receiver.handler_calls.load() == 0);
  }
}

TEST_CASE("server: stop() closes idle keep-alive connections at once") {
  Receiver receiver(long_keep_alive());
  const int fd = raw_connect(receiver.port);
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  REQUIRE(::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size()));
  read_until(fd, R"({"status":"ok"})");
  REQUIRE(still_open(fd));  // kept alive, idle

  auto stopping = std::async(std::launch::async, [&] { receiver.server->stop(); });
  // The keep-alive timeout is 60 s; before the server owned its connections stop() waited it out.
  CHECK(stopping.wait_for(20s) == std::future_status::ready);
  CHECK(read_until_closed(fd));
  ::close(fd);
}

TEST_CASE("server: a slow client is dropped after the read timeout without blocking others") {
  Receiver receiver;
  const int slow = raw_connect(receiver.port);
  const std::string partial = "POST /status HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{";
  REQUIRE(::send(slow, partial.data(), partial.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(partial.size()));
  // Served meanwhile by another thread.
  auto health = receiver.client().Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  const auto started = std::chrono::steady_clock::now();
  CHECK(read_until_closed(slow));
  CHECK(std::chrono::steady_clock::now() - started < 9s);
  ::close(slow);
  CHECK(receiver.handler_calls.load() == 0);
}

TEST_CASE("server: stop() lets an in-flight request finish, then refuses connections") {
  HeldPush held;
  Receiver receiver(WebhookServerOptions{}, held.handlers());
  const std::uint16_t port = receiver.port;
  auto in_flight = held.send(port, "graceful");
  held.entered.get_future().wait();

  auto stopping = std::async(std::launch::async, [&] { receiver.server->stop(); });
  // stop() must wait for the handler; give it a moment to (wrongly) return early.
  CHECK(stopping.wait_for(200ms) == std::future_status::timeout);
  held.release.set_value();
  CHECK(in_flight.get() == 200);
  stopping.get();
  CHECK_FALSE(receiver.server->running());

  httplib::Client after("127.0.0.1", port);
  after.set_connection_timeout(2, 0);
  CHECK_FALSE(after.Get("/healthz"));
  receiver.server->stop();  // idempotent
}

TEST_CASE("server: HTTPS with a certificate and key") {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("pc-tls-" + webhook_test::unique_nonce());
  std::filesystem::create_directories(dir);
  const std::string cert_path = (dir / "cert.pem").string();
  const std::string key_path = (dir / "key.pem").string();
  {
    EVP_PKEY* key = EVP_EC_gen("P-256");
    REQUIRE(key != nullptr);
    X509* cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    REQUIRE(X509_sign(cert, key, EVP_sha256()) > 0);
    FILE* cert_file = std::fopen(cert_path.c_str(), "w");
    FILE* key_file = std::fopen(key_path.c_str(), "w");
    REQUIRE(cert_file != nullptr);
    REQUIRE(key_file != nullptr);
    PEM_write_X509(cert_file, cert);
    PEM_write_PrivateKey(key_file, key, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(cert_file);
    std::fclose(key_file);
    X509_free(cert);
    EVP_PKEY_free(key);
  }

  WebhookServerOptions options;
  options.tls = TlsFiles{cert_path, key_path};
  Receiver receiver(options);
  httplib::SSLClient client("127.0.0.1", receiver.port);
  client.enable_server_certificate_verification(false);
  auto health = client.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  auto pushed = client.Post("/notify", signed_headers(), event_body("tls-1"), kJson);
  REQUIRE(pushed);
  CHECK(pushed->status == 200);
  CHECK(receiver.events.load() == 1);
  // A PUT's body is read and dropped, never taken for the next request on the connection.
  client.set_keep_alive(true);
  auto put = client.Put("/notify", "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", "text/plain");
  REQUIRE(put);
  CHECK(put->status == 405);
  auto after_put = client.Post("/notify", signed_headers(), event_body("tls-2"), kJson);
  REQUIRE(after_put);
  CHECK(after_put->status == 200);
  CHECK(after_put->body.empty());
  CHECK(receiver.events.load() == 2);
  CHECK(receiver.server->stats().health_checks == 1);
  // Plain HTTP on the TLS port gets no HTTP answer.
  httplib::Client plain("127.0.0.1", receiver.port);
  plain.set_read_timeout(2, 0);
  auto refused = plain.Get("/healthz");
  CHECK((!refused || refused->status != 200));

  WebhookServerOptions broken;
  broken.tls = TlsFiles{(dir / "missing.pem").string(), key_path};
  auto verifier = std::make_shared<WebhookVerifier>();
  WebhookServer bad(std::make_shared<Dispatcher>(verifier, WebhookHandlers{}), broken);
  const auto failed = bad.start();
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().category == privacycall::ErrorCategory::kTransport);
  std::filesystem::remove_all(dir);
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
  Receiver receiver(options);
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
