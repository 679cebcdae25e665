// privacycall doctor: the checks behind the usual support tickets, one verdict per line.

#include <privacycall/client.hpp>
#include <privacycall/signature.hpp>

#include <netdb.h>
#include <sys/socket.h>

#include <cstring>
#include <ctime>
#include <ostream>

#include "command.hpp"

namespace privacycall::cli {
namespace {

struct Verdicts {
  std::ostream& out;
  int failed = 0;
  int total = 0;
  void pass(const std::string& check, const std::string& why) { line(true, check, why); }
  void fail(const std::string& check, const std::string& why) { line(false, check, why); }
  void line(bool ok, const std::string& check, const std::string& why) {
    ++total;
    if (!ok) ++failed;
    out << (ok ? "PASS  " : "FAIL  ") << check << ": " << why << std::endl;
  }
};

struct UrlParts {
  std::string scheme, host;
};

UrlParts split_url(const std::string& url) {
  UrlParts parts;
  const auto colon = url.find("://");
  if (colon == std::string::npos) throw UsageError("--base-url must start with https:// (or http:// for a simulator)");
  parts.scheme = url.substr(0, colon);
  std::string rest = url.substr(colon + 3);
  rest = rest.substr(0, rest.find('/'));
  if (!rest.empty() && rest.front() == '[') {
    parts.host = rest.substr(1, rest.find(']') - 1);
  } else {
    parts.host = rest.substr(0, rest.find(':'));
  }
  return parts;
}

bool is_loopback(const std::string& host) {
  return host == "127.0.0.1" || host == "::1" || host == "localhost";
}

// The first address `host` resolves to, or the resolver's complaint.
Result<std::string> resolve(const std::string& host) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int status = getaddrinfo(host.c_str(), nullptr, &hints, &found);
  if (status != 0) {
    Error error;
    error.category = ErrorCategory::kTransport;
    error.message = gai_strerror(status);
    return error;
  }
  char text[NI_MAXHOST] = "?";
  getnameinfo(found->ai_addr, found->ai_addrlen, text, sizeof text, nullptr, 0, NI_NUMERICHOST);
  freeaddrinfo(found);
  return std::string(text);
}

// An HTTP Date header (IMF-fixdate) as a time point.
std::optional<std::chrono::system_clock::time_point> parse_http_date(const std::string& text) {
  std::tm utc{};
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &utc);
  if (end == nullptr) return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&utc));
}

void check_clock(Verdicts& verdicts, const HttpResponse& response) {
  constexpr std::chrono::seconds kTolerance{60};  // Date has whole seconds, and the answer takes time
  const std::string* date = find_header(response.headers, "Date");
  const auto server = date ? parse_http_date(*date) : std::nullopt;
  if (!server) {
    verdicts.fail("clock", date ? "cannot read the server's Date header \"" + *date + "\"" : "the server sent no Date header");
    return;
  }
  const auto offset = std::chrono::duration_cast<std::chrono::seconds>(*server - std::chrono::system_clock::now());
  const std::string description = describe_clock_offset(offset, "this machine's clock");
  if (offset > kTolerance || offset < -kTolerance) {
    verdicts.fail("clock", "the server's clock is " + description + ": signatures will be refused (1010013); "
                           "synchronise this machine's clock (NTP)");
  } else {
    verdicts.pass("clock", "the server's clock is " + description);
  }
}

// The credentials, through one read-only signed query; with an X, whether the app owns it.
void check_credentials(Verdicts& verdicts, CommandContext& c, const std::optional<PhoneNumber>& x,
                       const std::string& mode) {
  ClientOptions options = c.connection;
  options.retry.max_attempts = 1;  // a diagnosis, not a delivery: one attempt says what happens
  options.log = nullptr;
  auto client = Client::create(options);
  if (!client) {
    verdicts.fail("credentials", client.error().message);
    return;
  }
  Result<ApiResponse> answer = Error{};
  if (!x) {
    const auto queried = client->axb().query(SubscriptionId{"privacycall-doctor"});
    answer = queried ? Result<ApiResponse>(static_cast<const ApiResponse&>(*queried)) : Result<ApiResponse>(queried.error());
  } else {
    const auto as_response = [](const auto& result) {
      return result ? Result<ApiResponse>(static_cast<const ApiResponse&>(*result)) : Result<ApiResponse>(result.error());
    };
    if (mode == "ax") answer = as_response(client->ax().query(AxBindingOnNumber(*x)));
    if (mode == "axb") answer = as_response(client->axb().query(AxbBindingsOnNumber(*x)));
    if (mode == "axe") answer = as_response(client->axe().count(*x));
    if (mode == "axyb") answer = as_response(client->axyb().query(AxybRelationsOnNumber(*x)));
  }
  const std::string check = x ? "credentials and " + x->masked() : "credentials";
  if (answer) {
    verdicts.pass(check, x ? "app key and secret accepted; the number belongs to this app"
                           : "app key and secret accepted");
    return;
  }
  const Error& error = answer.error();
  const std::string& code = error.result_code;
  const std::string said = " (" + code + " " + error.result_desc + ")";
  if (code == "1010010" && error.http_status == 401) {
    verdicts.fail(check, "app key/secret wrong: the platform refused the signature" + said);
  } else if (code == "1010003") {
    verdicts.fail(check, "app key unknown to the platform" + said);
  } else if (code == "1010013") {
    verdicts.fail(check, "clock: the platform finds Created too far from its time" + said);
  } else if (code == "1012001") {
    verdicts.fail(check, x->masked() + " not in this app" + said);
  } else if (code == "1020166") {
    verdicts.fail(check, "this machine's IP address is not in the app's allow-list" + said);
  } else if (code == "1020176") {
    verdicts.fail(check, "this IP address is locked for 30 minutes after repeated authentication failures" + said);
  } else if (code == "1010040" && x) {
    verdicts.fail(check, "the app is not of mode " + mode + ": give its mode with --mode" + said);
  } else if (error.http_status && (*error.http_status == 429 || *error.http_status >= 500)) {
    verdicts.fail(check, "the platform could not answer now; try again" + said);
  } else if (code.rfind("10230", 0) == 0) {
    verdicts.fail(check, "the platform refused the signature headers" + said);
  } else if (!code.empty()) {
    // Any other answer came after authentication: the credentials work.
    verdicts.pass(check, "app key and secret accepted (the query answered " + code + ")");
  } else {
    verdicts.fail(check, error.to_string());
  }
}

int doctor(CommandContext& c) {
  const auto x = c.args.take_number("x-number");
  const std::string mode = c.args.take_choice("mode").value_or("axb");
  c.args.finish();
  c.client();  // refuses a missing base URL or credentials
  Verdicts verdicts{c.out};
  const UrlParts url = split_url(c.connection.base_url);

  const auto address = resolve(url.host);
  if (!address) {
    verdicts.fail("resolve", url.host + " does not resolve: " + address.error().message);
  } else {
    verdicts.pass("resolve", url.host + " resolves to " + *address);
  }

  CurlTransportOptions transport_options;
  transport_options.connect_timeout = c.connection.connect_timeout;
  transport_options.request_timeout = std::chrono::seconds(15);
  transport_options.tls = c.connection.tls;
  transport_options.proxy = c.connection.proxy;
  HttpRequest probe;
  probe.url = c.connection.base_url;
  const auto answered = address ? make_curl_transport(transport_options)->send(probe)
                                : Result<HttpResponse>(address.error());
  const std::string connect_check = url.scheme == "https" ? "TLS" : "HTTP";
  if (!answered) {
    verdicts.fail(connect_check, "no answer from " + c.connection.base_url + ": " + answered.error().message);
  } else if (url.scheme == "https") {
    verdicts.pass(connect_check, "answers over TLS with a certificate this machine trusts (HTTP " +
                                     std::to_string(answered->status) + ")");
  } else if (is_loopback(url.host)) {
    verdicts.pass(connect_check, "answers plain HTTP on loopback (a simulator; the platform is HTTPS only)");
  } else {
    verdicts.fail(connect_check, "answers plain HTTP: the platform is HTTPS only; use https://");
  }
  if (answered) check_clock(verdicts, *answered);
  check_credentials(verdicts, c, x, mode);

  if (verdicts.failed == 0) {
    c.out << "all " << verdicts.total << " checks passed" << std::endl;
    return kExitOk;
  }
  c.out << verdicts.failed << " of " << verdicts.total << " checks failed" << std::endl;
  return kExitFailed;
}

}  // namespace

std::vector<Command> doctor_commands() {
  return {{"doctor", "",
           "check the base URL (resolves, answers TLS), the clock against the server's, and the credentials "
           "with one read-only signed query; exit 0 only when every check passes",
           {phone("x-number", "", "also check that this privacy number belongs to the app"),
            choice("mode", "", {"axb", "ax", "axe", "axyb"}, "the app's mode, whose query checks --x-number")
                .defaults_to("axb")},
           doctor}};
}

}  // namespace privacycall::cli
