#ifndef PRIVACYCALL_RECORDING_HPP
#define PRIVACYCALL_RECORDING_HPP

/// @file
/// Call recordings: the download URL the platform hands out (a 301 with `Location`), and a
/// streaming download that never holds the recording in memory.

#include <privacycall/abi.hpp>
#include <privacycall/options.hpp>
#include <privacycall/result.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>

namespace privacycall {

PRIVACYCALL_INLINE_NAMESPACE_BEGIN

class RecordingConnection;

/// A recording as a CDR names it; the platform keeps it for 7 days after the CDR.
struct RecordingFile {
  /// Names the recording by the CDR's @p name (`recordObjectName`) and @p domain (`recordDomain`).
  RecordingFile(std::string name, std::string domain) : file_name(std::move(name)), record_domain(std::move(domain)) {}
  /// The CDR's `recordObjectName` (sent as `fileName`), 1-128 characters.
  std::string file_name;
  /// The CDR's `recordDomain`, 1-128 characters.
  std::string record_domain;
};

/// A ready download URL: the CDR's `recordFileDownloadUrl`, or one from download_url().
struct RecordingUrl {
  /// Wraps the download URL @p address.
  explicit RecordingUrl(std::string address) : url(std::move(address)) {}
  std::string url;  ///< Absolute URL of the recording on the storage host; time-limited
};

/// What to download: a file to resolve through the API first, or a URL to fetch directly.
using RecordingSource = std::variant<RecordingFile, RecordingUrl>;

/// The source a CDR describes: its `recordFileDownloadUrl` when not empty (newer CDRs, often
/// with an empty `recordDomain`), otherwise `recordObjectName` + `recordDomain`. A validation
/// Error when the CDR names no recording.
Result<RecordingSource> recording_source_from_cdr(const std::string& record_object_name,
                                                  const std::string& record_domain,
                                                  const std::string& record_file_download_url);

/// Limits and TLS of a download. The download host is not the API host; its certificate is
/// verified with ClientOptions::tls like every other request unless you opt out here.
struct RecordingDownloadOptions {
  /// Skips certificate and host-name checks for the download host only, as Huawei's FAQ
  /// suggests when the storage host's certificate triggers warnings. Off by default: turn it on
  /// only if you accept that anyone on the path can read or replace the recording.
  bool insecure_skip_tls_verification = false;
  /// The download fails (and a partial file is removed) beyond this many bytes.
  std::uint64_t max_bytes = 512ull * 1024 * 1024;
  /// Whole-download time limit.
  std::chrono::milliseconds timeout = std::chrono::minutes(10);
  /// Redirects the storage host may send (followed over https only when the URL is https).
  int max_redirects = 3;
};

/// What a finished download delivered.
struct RecordingDownloadResult {
  std::uint64_t bytes = 0;  ///< Bytes of audio written to the sink
  int http_status = 0;      ///< The storage host's HTTP status for the download
  /// The storage host's Content-Type, e.g. "audio/wav"; empty when it sent none.
  std::string content_type;
};

/// Receives the recording piece by piece as it arrives (pieces of at most a few tens of KiB);
/// return false to abort the download.
using RecordingChunkHandler = std::function<bool(const char* data, std::size_t size)>;

/// Recording operations; obtained from Client::recordings(). Cheap to copy, thread-safe.
class RecordingClient {
 public:
  /// Calls @p connection: Client makes the real one; a test may pass a
  /// privacycall::testing::MockRecordingConnection.
  explicit RecordingClient(std::shared_ptr<RecordingConnection> connection) : connection_(std::move(connection)) {}

  /// GET /rest/provision/voice/record/v1.0: the short-lived download URL of a recording (from
  /// the 301's Location; redirects are never followed). 1012007 when the recording is unknown
  /// or older than 7 days.
  Result<std::string> download_url(const std::string& file_name, const std::string& record_domain,
                                   const CallOptions& options = {}) const;

  /// Streams the recording to `on_chunk` without holding it in memory; a RecordingFile is
  /// resolved with download_url() first. Goes through the client's transport like every call
  /// (ClientOptions::transport, proxy, TLS, retry policy, log hook), without the API's
  /// signature headers; an attempt is retried only while nothing has reached `on_chunk`.
  Result<RecordingDownloadResult> download(const RecordingSource& source, const RecordingChunkHandler& on_chunk,
                                           const RecordingDownloadOptions& download_options = {},
                                           const CallOptions& options = {}) const;

  /// Streams the recording into the file at `path`, written under a temporary name beside it
  /// and renamed into place only when complete; nothing is left behind on failure.
  Result<RecordingDownloadResult> download_to_file(const RecordingSource& source, const std::string& path,
                                                   const RecordingDownloadOptions& download_options = {},
                                                   const CallOptions& options = {}) const;

 private:
  std::shared_ptr<RecordingConnection> connection_;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_RECORDING_HPP
