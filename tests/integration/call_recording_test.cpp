// Stop call and recordings: the 301 + Location download URL, and streaming downloads that never
// hold a recording in memory.

#include <privacycall/client.hpp>
#include <privacycall/testing/fake_platform.hpp>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "support/catch.hpp"
#include "support/recorded.hpp"
#include "support/scripted_transport.hpp"

using nlohmann::json;
using privacycall::Client;
using privacycall::ErrorCategory;
using privacycall::RecordingDownloadOptions;
using privacycall::RecordingFile;
using privacycall::RecordingUrl;
using privacycall::StopCallRequest;
using privacycall::testing::FakePlatform;
using test_support::body_of;
using test_support::last_request;

namespace {

// Bytes that differ by position, so a misplaced or dropped chunk changes the content.
std::string recording_bytes(std::size_t size) {
  std::string bytes(size, '\0');
  unsigned state = 12345;
  for (auto& c : bytes) {
    state = state * 1103515245u + 12345u;
    c = static_cast<char>(state >> 16);
  }
  return bytes;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool exists(const std::string& path) { return std::ifstream(path).good(); }

std::string temp_path(const std::string& name) {
  return std::string(PRIVACYCALL_TEST_BINARY_DIR) + "/" + name;
}

}  // namespace

TEST_CASE("Stop call sends sessionid and call_stop - unknown or ended sessions answer 1020152") {
  FakePlatform platform;
  Client client(platform.client_options());
  auto unknown = client.calls().stop_call(StopCallRequest("no-such-session"));
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().category == ErrorCategory::kApi);
  CHECK(unknown.error().result_code == "1020152");

  platform.add_active_session("session-1");
  CHECK(platform.is_session_active("session-1"));
  REQUIRE(client.calls().stop_call(StopCallRequest("session-1")).ok());
  const auto sent = last_request(platform);
  CHECK(sent.method == "POST");
  CHECK(sent.path == "/rest/httpsessions/callStop/v2.0");
  CHECK(sent.query.empty());
  CHECK(body_of(sent) == json{{"sessionid", "session-1"}, {"signal", "call_stop"}});
  CHECK_FALSE(platform.is_session_active("session-1"));
  CHECK(client.calls().stop_call(StopCallRequest("session-1")).error().result_code == "1020152");

  platform.clear_requests();
  CHECK(client.calls().stop_call(StopCallRequest("")).error().category == ErrorCategory::kValidation);
  CHECK(platform.requests().empty());
}

TEST_CASE("The download URL comes from the 301's Location - unknown and expired recordings answer 1012007") {
  FakePlatform platform;
  Client client(platform.client_options());
  auto unknown = client.recordings().download_url("missing.wav", "rec.example");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().result_code == "1012007");

  platform.add_recording("rec+1@x.wav", "ostor.example", "RIFF");
  platform.clear_requests();
  const auto url = client.recordings().download_url("rec+1@x.wav", "ostor.example").value();
  CHECK(url.rfind(platform.base_url() + "/sim/", 0) == 0);
  const auto requests = platform.requests();
  REQUIRE(requests.size() == 1);  // the redirect was not followed
  CHECK(requests[0].method == "GET");
  CHECK(requests[0].path == "/rest/provision/voice/record/v1.0");
  CHECK(requests[0].query == "fileName=rec%2B1%40x.wav&recordDomain=ostor.example");

  platform.advance_time(std::chrono::hours(24 * 7) + std::chrono::seconds(1));
  CHECK(client.recordings().download_url("rec+1@x.wav", "ostor.example").error().result_code == "1012007");
  CHECK(client.recordings().download_url("", "ostor.example").error().category == ErrorCategory::kValidation);
}

TEST_CASE("A multi-megabyte recording streams to a callback in bounded pieces") {
  FakePlatform platform;
  Client client(platform.client_options());
  const std::string audio = recording_bytes(6 * 1024 * 1024 + 123);
  platform.add_recording("call-1.wav", "ostor.example", audio);

  std::size_t chunks = 0;
  std::size_t largest = 0;
  std::size_t offset = 0;
  bool matches = true;
  const auto result = client.recordings()
                          .download(RecordingFile("call-1.wav", "ostor.example"),
                                    [&](const char* data, std::size_t size) {
                                      ++chunks;
                                      largest = std::max(largest, size);
                                      matches = matches && audio.compare(offset, size, data, size) == 0;
                                      offset += size;
                                      return true;
                                    })
                          .value();
  CHECK(result.bytes == audio.size());
  CHECK(result.http_status == 200);
  CHECK(result.content_type == "audio/wav");
  CHECK(offset == audio.size());
  CHECK(matches);
  CHECK(chunks > 50);
  CHECK(largest <= 64 * 1024);  // never the whole recording at once
}

TEST_CASE("download_to_file writes the whole recording and leaves nothing behind on failure") {
  FakePlatform platform;
  Client client(platform.client_options());
  const std::string audio = recording_bytes(3 * 1024 * 1024);
  platform.add_recording("call-2.wav", "ostor.example", audio);
  const std::string path = temp_path("call_recording_test_call-2.wav");
  std::remove(path.c_str());

  const auto written = client.recordings().download_to_file(RecordingFile("call-2.wav", "ostor.example"), path).value();
  CHECK(written.bytes == audio.size());
  CHECK(read_file(path) == audio);
  CHECK_FALSE(exists(path + ".part"));
  std::remove(path.c_str());

  RecordingDownloadOptions small;
  small.max_bytes = 1024 * 1024;
  auto too_large = client.recordings().download_to_file(RecordingFile("call-2.wav", "ostor.example"), path, small);
  REQUIRE_FALSE(too_large.ok());
  CHECK(too_large.error().message.find("max_bytes") != std::string::npos);
  CHECK_FALSE(exists(path));
  CHECK_FALSE(exists(path + ".part"));

  auto unknown = client.recordings().download_to_file(RecordingFile("nope.wav", "ostor.example"), path);
  CHECK(unknown.error().result_code == "1012007");
  CHECK_FALSE(exists(path + ".part"));
}

TEST_CASE("A CDR's recordFileDownloadUrl is downloaded directly - a handler can abort") {
  FakePlatform platform;
  Client client(platform.client_options());
  const std::string audio = recording_bytes(200 * 1024);
  platform.add_recording("call-3.wav", "ostor.example", audio);
  const auto url = client.recordings().download_url("call-3.wav", "ostor.example").value();

  const auto direct = privacycall::recording_source_from_cdr("", "", url).value();
  REQUIRE(std::holds_alternative<RecordingUrl>(direct));
  const auto by_file = privacycall::recording_source_from_cdr("call-3.wav", "ostor.example", "").value();
  REQUIRE(std::holds_alternative<RecordingFile>(by_file));
  CHECK(privacycall::recording_source_from_cdr("", "", "").error().category == ErrorCategory::kValidation);

  platform.clear_requests();
  std::string received;
  const auto result = client.recordings().download(direct, [&](const char* data, std::size_t size) {
    received.append(data, size);
    return true;
  });
  REQUIRE(result.ok());
  CHECK(received == audio);
  const auto requests = platform.requests();
  REQUIRE(requests.size() == 1);  // no API call: straight to the storage host
  CHECK(requests[0].path == "/sim/recordings/download");
  CHECK(requests[0].headers.end() == std::find_if(requests[0].headers.begin(), requests[0].headers.end(),
                                                  [](const auto& h) { return h.first == "X-AKSK"; }));

  auto aborted = client.recordings().download(direct, [](const char*, std::size_t) { return false; });
  REQUIRE_FALSE(aborted.ok());
  CHECK(aborted.error().message.find("aborted") != std::string::npos);

  auto missing = client.recordings().download(RecordingUrl(platform.base_url() + "/sim/recordings/download?token=x"),
                                              [](const char*, std::size_t) { return true; });
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().http_status == 404);
  CHECK(missing.error().message.find("token") == std::string::npos);  // the URL's secret part stays out
}

TEST_CASE("A download goes through the client's transport, with its retries and log hook") {
  using privacycall_test::ScriptedAnswer;
  const privacycall::HttpHeaders to_storage = {{"Location", "https://storage.test/rec/call-9.wav?token=secret"}};
  const privacycall::HttpHeaders moved = {{"Location", "/moved/call-9.wav?token=secret"}};
  auto transport = std::make_shared<privacycall_test::ScriptedTransport>(std::vector<ScriptedAnswer>{
      {301, "", to_storage},                               // the API's download URL
      {503, "busy", {}},                                   // the storage host, once
      {302, "", moved},                                    // a redirect of its own, followed here
      {200, "RIFF....WAVE", {{"Content-Type", "audio/wav"}}},
  });
  auto options = privacycall_test::scripted(transport);
  options.retry.initial_backoff = std::chrono::milliseconds(1);
  options.retry.max_backoff = std::chrono::milliseconds(1);
  std::vector<privacycall::LogRecord> records;
  options.log = [&](const privacycall::LogRecord& record) { records.push_back(record); };
  const Client client(options);

  std::string received;
  const auto result = client.recordings().download(RecordingFile("call-9.wav", "ostor.example"),
                                                   [&](const char* data, std::size_t size) {
                                                     received.append(data, size);
                                                     return true;
                                                   });
  REQUIRE(result.ok());
  CHECK(received == "RIFF....WAVE");
  CHECK(result->bytes == received.size());
  CHECK(result->http_status == 200);
  CHECK(result->content_type == "audio/wav");
  REQUIRE(transport->urls.size() == 4);
  CHECK(transport->urls[1] == "https://storage.test/rec/call-9.wav?token=secret");
  CHECK(transport->urls[2] == transport->urls[1]);  // the 503 was retried
  CHECK(transport->urls[3] == "https://storage.test/moved/call-9.wav?token=secret");
  for (std::size_t i = 1; i < 4; ++i) {
    const auto& request = transport->requests[i];
    CHECK(privacycall::find_header(request.headers, "Authorization") == nullptr);  // not for the storage host
    CHECK(privacycall::find_header(request.headers, "User-Agent") != nullptr);
    CHECK(request.body_sink);  // offered; this transport hands the body over whole instead
  }
  REQUIRE(records.size() == 4);
  CHECK(records[1].http_status == 503);
  CHECK(records[1].path == "download from storage.test");
  for (const auto& record : records) CHECK(record.message.find("secret") == std::string::npos);

  // A download that fails after its first bytes reached the handler is not repeated.
  auto failing = std::make_shared<privacycall_test::ScriptedTransport>(std::vector<ScriptedAnswer>{
      {200, "partial", {}}});
  const Client once(privacycall_test::scripted(failing));
  const auto aborted = once.recordings().download(RecordingUrl("https://storage.test/r.wav"),
                                                  [](const char*, std::size_t) { return false; });
  REQUIRE_FALSE(aborted.ok());
  CHECK(aborted.error().message.find("aborted") != std::string::npos);
  CHECK(failing->urls.size() == 1);
}
