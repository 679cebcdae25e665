#ifndef PRIVACYCALL_TESTING_FAKE_PLATFORM_HPP
#define PRIVACYCALL_TESTING_FAKE_PLATFORM_HPP

/// @file
/// FakePlatform: an in-memory PrivateNumber platform on loopback, for testing code that uses
/// the SDK (or any client) without credentials or network access.

#include <privacycall/abi.hpp>
#include <privacycall/options.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace privacycall::testing {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// One privacy number the simulated app owns, with the city code it belongs to.
struct FakeNumber {
  std::string number;     ///< global format, e.g. "+8617000000001"
  std::string area_code;  ///< e.g. "0755"
};

/// A failure the simulator can inject into its answers, to test retries and resilience.
enum class Fault {
  /// No fault: requests are answered normally.
  kNone,
  /// HTTP 503 with resultcode 1010001; the request is not processed.
  kServerError,
  /// HTTP 429 with resultcode 1010010 (platform flow control); the request is not processed.
  kFlowControl,
  /// The connection is cut after the request was read but before it was processed: the
  /// client gets no complete answer and nothing changed on the platform.
  kDropBeforeProcessing,
  /// The request is processed (a bind creates its binding), then the connection is cut before
  /// the answer's body: the client cannot know whether it worked.
  kDropAfterProcessing,
  /// The request is processed and the answer's body is cut in half.
  kTruncatedBody,
  /// The request is processed and the answer is sent a few bytes at a time.
  kSlowBody,
};

/// Random faults applied to API requests (not to the simulator's own admin endpoints), for
/// soak tests and `privacycall sim` flags. Deterministic for a given seed and request order.
struct FaultOptions {
  /// Added before every API answer.
  std::chrono::milliseconds latency{0};
  double server_error_rate = 0;            ///< probability of Fault::kServerError per request
  double flow_control_rate = 0;            ///< probability of Fault::kFlowControl
  double drop_before_processing_rate = 0;  ///< probability of Fault::kDropBeforeProcessing
  double drop_after_processing_rate = 0;   ///< probability of Fault::kDropAfterProcessing
  double truncated_body_rate = 0;          ///< probability of Fault::kTruncatedBody
  double slow_body_rate = 0;               ///< probability of Fault::kSlowBody
  /// Pause between the pieces of a slow body.
  std::chrono::milliseconds slow_body_pause{20};
  unsigned long long seed = 1;  ///< seeds the draws, so a run can be repeated
};

/// The binding modes a PrivateNumber app can be of.
enum class FakeMode {
  kAxb,   ///< AXB: A and B bound to X.
  kAx,    ///< AX: X exposes A.
  kAxe,   ///< AXE: X with an extension per A.
  kAxyb,  ///< AXYB: A's X and B's Y bound together.
};

/// Settings of a FakePlatform.
struct FakePlatformOptions {
  std::string app_key = "fake-app-key";        ///< the simulated app's APP_Key
  std::string app_secret = "fake-app-secret";  ///< its APP_Secret: signs pushes, verifies requests
  /// The app's privacy numbers. Empty: default_numbers().
  std::vector<FakeNumber> numbers;
  /// Loopback address to listen on ("127.0.0.1" or "::1") and port (0 picks a free one).
  std::string host = "127.0.0.1";
  int port = 0;  ///< 0 picks a free port; FakePlatform::port() tells which
  /// |Created - now| allowed before a request is refused with 1010013.
  std::chrono::seconds auth_window = std::chrono::minutes(5);
  /// How far the simulated platform's clock is ahead of the real one (negative: behind). Its
  /// `Date` header and its check of `Created` use it: a way to test clock-skew diagnostics.
  std::chrono::seconds clock_skew{0};
  /// Also accept requests signed with the legacy WSSE scheme (`Authorization: WSSE`, X-WSSE),
  /// as third-party clients and Huawei's own demos send them. Off: they are refused, with a
  /// resultdesc saying so.
  bool accept_wsse = false;
  /// The scheme the simulator signs its pushes with (the platform has pushed with both).
  SignatureScheme push_scheme = SignatureScheme::kAksk;
  /// Re-push with the first attempt's Authorization and token header instead of signing each
  /// attempt anew (the docs do not say which the platform does; a receiver should cope with
  /// both).
  bool repush_with_original_header = false;
  /// Simulated seconds per real second, for binding expiry and re-push schedules.
  double time_scale = 1.0;
  /// Most A/B pairs one X may carry in AXB mode (the platform's limit is 5000).
  int max_axb_pairs_per_number = 5000;
  /// Most AXE extensions (bindings) one X may carry; beyond it binds fail with 1020167. The
  /// platform's limit depends on the app's extension length (4 digits: 9999).
  int max_axe_extensions_per_number = 9999;
  /// Empty: the simulated app may use every mode's API. Set: the app is of this mode only, and
  /// other modes' APIs answer 1010040 "The app_key is not allowed to invoke the API." as the
  /// real platform does (stop call and recordings belong to every mode).
  std::optional<FakeMode> strict_mode;
  /// Worker threads serving requests.
  int threads = 8;
  /// Random faults; none by default.
  FaultOptions faults;
  /// Where the simulated app's notifications go (the console's call-status, CDR and SMS
  /// URLs). Empty: that kind is not pushed. Call events and X-number status go to
  /// status_url; X-mode calls ask status_url for their Block answer.
  std::string status_url;  ///< call events and X-number status
  std::string fee_url;     ///< CDR batches
  std::string sms_url;     ///< SMS Notify and Block pushes
};

/// A call to simulate: `caller` dials the privacy number `called` (and, in AXE, types
/// `extension`).
struct FakeCall {
  std::string caller;                    ///< the real number dialling, global format
  std::string called;                    ///< the privacy number dialled
  std::optional<std::string> extension;  ///< AXE: the digits typed after the prompt
  /// How long the parties talk once connected (simulated time).
  std::chrono::seconds talk_time{30};
};

/// An SMS to simulate: `calling` texts the privacy number `virtual_number`.
struct FakeSms {
  std::string calling;         ///< the real sender, global format
  std::string virtual_number;  ///< the privacy number texted
  std::string content;         ///< the text (pushed as smsContent)
  /// Ask sms_url for a Block answer first (AX without the number suffix, X mode).
  bool block = false;
};

/// What the FakePlatform did with a simulated SMS.
struct FakeSmsResult {
  std::string sms_identifier;  ///< the `smsIdentifier` of its pushes
  /// Whether the SMS was forwarded (and its Notify pushed). Always true without `block`; with
  /// it, true only when the Block answer was `vNumberRoute` and its `message.calling`, if
  /// any, equals the sender. DiscardMessage, no answer or an unusable one drop it.
  bool delivered = false;
  /// Where the Block answer forwarded it (`message.called`); empty when it was not delivered
  /// or was forwarded along the binding (no `message.called`).
  std::optional<std::string> delivered_to;
};

/// The numbers a FakePlatform owns when none are configured: five in Shenzhen (0755), five
/// in Beijing (010).
std::vector<FakeNumber> default_numbers();

/// A request as the FakePlatform received it, for tests that check the wire form.
struct RecordedRequest {
  std::string method;  ///< "GET", "POST", ...
  std::string path;    ///< without the query string
  /// The raw query string as sent (still percent-encoded), without '?'.
  std::string query;
  std::string body;     ///< the raw body, empty for GET and DELETE
  HttpHeaders headers;  ///< as received, names as the client sent them
};

/// An in-memory PrivateNumber platform serving the REST API over real HTTP on loopback.
/// It checks signatures and parameters and answers with the documented result codes.
/// Thread-safe. Starts listening in the constructor and stops in the destructor.
class FakePlatform {
 public:
  /// Throws std::runtime_error when it cannot listen.
  explicit FakePlatform(FakePlatformOptions options = {});
  ~FakePlatform();
  FakePlatform(const FakePlatform&) = delete;
  FakePlatform& operator=(const FakePlatform&) = delete;

  /// "http://127.0.0.1:PORT".
  std::string base_url() const;
  /// The port it listens on.
  int port() const;
  /// Its options, with the default number pool filled in.
  const FakePlatformOptions& options() const;

  /// ClientOptions pointing at this platform with its app key and secret.
  ClientOptions client_options() const;

  /// Moves simulated time forward (expiries are evaluated against simulated time).
  void advance_time(std::chrono::seconds amount);
  /// The simulated current time.
  std::chrono::system_clock::time_point now() const;

  /// Simulates a call: resolves it through the bindings (or, with no binding on the number,
  /// as X mode by asking status_url for a Block answer), then pushes signed
  /// callin → [collectInfo →] callout → alerting → answer → disconnect events to status_url and
  /// the CDR to fee_url, re-pushing failures on the documented schedule. A recorded call's
  /// recording becomes downloadable through the recording API. Returns the sessionId; the
  /// pushes are delivered in the background (see wait_for_pushes()).
  Result<std::string> simulate_call(const FakeCall& call);
  /// Simulates an SMS: with `block`, first asks sms_url for a Block answer and obeys it
  /// (forwards to `message.called`, or drops the SMS); then, when forwarded, a Notify push to
  /// sms_url (with `called` when the answer named one). Says what happened.
  Result<FakeSmsResult> simulate_sms(const FakeSms& sms);
  /// Pushes an X-number status change (numStatus) to status_url.
  void simulate_number_status(const std::string& number, const std::string& status,
                              const std::optional<std::string>& cause = std::nullopt);
  /// Waits until every push was answered 200 or exhausted its re-pushes; false on timeout.
  bool wait_for_pushes(std::chrono::milliseconds timeout) const;
  /// Push attempts made so far (first pushes and re-pushes).
  std::size_t push_attempts() const;

  /// Makes the next `count` API requests fail with `fault`, before any random fault applies.
  void inject(Fault fault, int count = 1);

  /// Stores a recording as the platform would after a recorded call: the download-URL API
  /// (fileName = `file_name`, recordDomain = `record_domain`) then answers 301 with a URL on
  /// this simulator that serves `bytes`, for 7 simulated days. Replaces an earlier recording
  /// of the same name.
  void add_recording(const std::string& file_name, const std::string& record_domain, std::string bytes);

  /// Marks a call session as in progress, so that stop call accepts its sessionId once.
  void add_active_session(const std::string& session_id);
  /// Whether a session is in progress (not yet stopped).
  bool is_session_active(const std::string& session_id) const;

  /// Every request received so far, in order (including refused ones).
  std::vector<RecordedRequest> requests() const;
  /// Forgets the requests recorded so far.
  void clear_requests();

  /// Stops serving; called by the destructor. Idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::testing

#endif  // PRIVACYCALL_TESTING_FAKE_PLATFORM_HPP
