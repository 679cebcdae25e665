#include <privacycall/async.hpp>
#include <privacycall/recording.hpp>
#include <privacycall/recording_connection.hpp>

#include <cstdio>
#include <memory>

#include "client/as_future.hpp"
#include "client/connections.hpp"
#include "client/endpoint.hpp"
#include "common/make_error.hpp"

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN
namespace {

using internal::make_error;

constexpr std::string_view kPath = "/rest/provision/voice/record/v1.0";

// The host of a URL, for messages: download URLs carry access tokens in their path and query,
// which must not reach logs or error text.
std::string host_of(const std::string& url) {
  const auto scheme_end = url.find("://");
  const auto start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
  const auto end = url.find_first_of("/?#", start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

bool is_redirect(int status) { return status == 301 || status == 302 || status == 303 || status == 307 || status == 308; }

// Where a redirect points: an absolute URL as it stands, a path resolved against `from`'s
// scheme and host; empty when it is neither.
std::string resolve_location(const std::string& from, const std::string& location) {
  if (location.rfind("https://", 0) == 0 || location.rfind("http://", 0) == 0) return location;
  if (location.empty() || location.front() != '/') return {};
  const auto scheme_end = from.find("://");
  const auto host_end = from.find_first_of("/?#", scheme_end == std::string::npos ? 0 : scheme_end + 3);
  return from.substr(0, host_end) + location;
}

// What one download has delivered so far; the sink the transport writes the recording to.
struct Stream {
  const RecordingChunkHandler* on_chunk = nullptr;
  std::uint64_t max_bytes = 0;
  std::uint64_t bytes = 0;
  bool too_large = false;
  bool stopped_by_handler = false;

  bool write(const char* data, std::size_t n) {
    if (bytes + n > max_bytes) {
      too_large = true;
      return false;
    }
    bytes += n;
    if (!(*on_chunk)(data, n)) {
      stopped_by_handler = true;
      return false;
    }
    return true;
  }
};

// Streams `url` to `on_chunk` through the client's transport (its proxy, TLS options, retry
// policy and log hook), following the storage host's redirects here because transports never
// do. Pieces arrive as the transport receives them, so memory use does not grow with the
// recording; an attempt is repeated only while nothing has reached `on_chunk`.
Result<RecordingDownloadResult> stream_url(const internal::ClientCore& core, std::string url,
                                           const RecordingChunkHandler& on_chunk,
                                           const RecordingDownloadOptions& options, const CallOptions& call_options) {
  const bool https = url.rfind("https://", 0) == 0;
  if (!https && url.rfind("http://", 0) != 0) {
    return make_error(ErrorCategory::kValidation, "recording URL must start with https:// or http://");
  }
  Stream stream{&on_chunk, options.max_bytes};
  for (int redirects = 0;; ++redirects) {
    const std::string host = host_of(url);
    const std::string where = " (download from " + host + ")";
    // Logs show the host only: the path and query of a download URL carry its access token.
    const std::string logged_as = "download from " + host;
    internal::ApiCall described_as{HttpMethod::kGet, logged_as, {}, std::nullopt, Idempotency::kIdempotent};
    HttpRequest request;
    request.url = url;
    request.timeout = options.timeout;  // the whole download's limit, per attempt
    request.insecure_skip_tls_verification = options.insecure_skip_tls_verification;
    request.body_sink = [&stream](const char* data, std::size_t n) { return stream.write(data, n); };
    Result<HttpResponse> sent =
        core.send_unsigned(std::move(request), described_as, call_options, [&stream] { return stream.bytes == 0; });
    if (stream.too_large) {
      return make_error(ErrorCategory::kTransport,
                        "recording larger than max_bytes (" + std::to_string(options.max_bytes) + ")" + where);
    }
    if (stream.stopped_by_handler) return make_error(ErrorCategory::kTransport, "download aborted by the chunk handler");
    if (!sent) {
      Error error = std::move(sent).error();
      error.message += where;
      return error;
    }
    HttpResponse& response = *sent;
    if (is_redirect(response.status) && redirects < options.max_redirects) {
      const std::string* location = find_header(response.headers, "Location");
      std::string next = location == nullptr ? std::string() : resolve_location(url, *location);
      // Never from https down to http: the recording would then cross the network in clear.
      if (!next.empty() && (!https || next.rfind("https://", 0) == 0)) {
        url = std::move(next);
        continue;
      }
    }
    if (response.status < 200 || response.status >= 300) {
      // An error page is not a recording; a redirect beyond max_redirects is not followed.
      Error error = make_error(ErrorCategory::kApi, "the storage host answered HTTP " +
                                                        std::to_string(response.status) + where);
      error.http_status = response.status;
      error.retryable = response.status >= 500;
      return error;
    }
    // A transport that does not stream hands the recording over whole.
    if (!response.body.empty() && !stream.write(response.body.data(), response.body.size())) {
      if (stream.stopped_by_handler) return make_error(ErrorCategory::kTransport, "download aborted by the chunk handler");
      return make_error(ErrorCategory::kTransport,
                        "recording larger than max_bytes (" + std::to_string(options.max_bytes) + ")" + where);
    }
    RecordingDownloadResult result;
    result.bytes = stream.bytes;
    result.http_status = response.status;
    if (const std::string* type = find_header(response.headers, "Content-Type")) result.content_type = *type;
    return result;
  }
}

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

// The download URL request; its answer is the 301's Location.
internal::Operation<std::string> make_download_url(const internal::ClientCore& core, const std::string& file_name,
                                                   const std::string& record_domain) {
  internal::Validator v;
  v.text("fileName", file_name, 1, 128).text("recordDomain", record_domain, 1, 128);
  if (v.error()) return *v.error();
  internal::Query query;
  query.add("fileName", file_name).add("recordDomain", record_domain);
  internal::Operation<std::string> operation;
  operation.call = {HttpMethod::kGet, kPath, std::move(query), std::nullopt, Idempotency::kIdempotent};
  // The answer is a redirect, not JSON. The decoder keeps the API's base URL, not the core,
  // so that a pending async call does not keep a destroyed client alive.
  operation.decode = [base_url = core.url_for("", internal::Query{})](HttpResponse&& response) -> Result<std::string> {
    if (!is_redirect(response.status)) {
      if (response.status == 200) {
        ApiResponse envelope;
        envelope.result_code = "0";
        return internal::missing_in_success(envelope, "a redirect to the recording");
      }
      return internal::error_from_response(response);
    }
    const std::string* location = find_header(response.headers, "Location");
    if (location == nullptr || location->empty()) {
      Error error =
          make_error(ErrorCategory::kDecode, "HTTP " + std::to_string(response.status) + " without a Location header");
      error.http_status = response.status;
      return error;
    }
    // A relative Location is resolved against the API host.
    if (location->front() == '/') return base_url + *location;
    return *location;
  };
  return operation;
}

}  // namespace

Result<RecordingSource> recording_source_from_cdr(const std::string& record_object_name,
                                                  const std::string& record_domain,
                                                  const std::string& record_file_download_url) {
  if (!record_file_download_url.empty()) return RecordingSource(RecordingUrl(record_file_download_url));
  if (!record_object_name.empty() && !record_domain.empty()) {
    return RecordingSource(RecordingFile(record_object_name, record_domain));
  }
  return make_error(ErrorCategory::kValidation,
                    "the CDR names no recording (no recordFileDownloadUrl, or recordObjectName/recordDomain empty)");
}

namespace {

// The real RecordingConnection: the download-URL call through the client's core, downloads
// through its transport.
class RecordingRestConnection final : public RecordingConnection {
 public:
  explicit RecordingRestConnection(std::shared_ptr<const internal::ClientCore> core) : core_(std::move(core)) {}

  Result<std::string> download_url(const std::string& file_name, const std::string& record_domain,
                                   const CallOptions& options) override {
    return core_->run(make_download_url(*core_, file_name, record_domain), options);
  }

  void download_url_async(const std::string& file_name, const std::string& record_domain, Callback<std::string> done,
                          const CallOptions& options) override {
    core_->run_async("recordings.download_url", make_download_url(*core_, file_name, record_domain), options,
                     std::move(done));
  }

  Result<RecordingDownloadResult> download(const RecordingSource& source, const RecordingChunkHandler& on_chunk,
                                           const RecordingDownloadOptions& download_options,
                                           const CallOptions& options) override {
    if (!on_chunk) return make_error(ErrorCategory::kValidation, "download needs a chunk handler");
    std::string url;
    if (const auto* direct = std::get_if<RecordingUrl>(&source)) {
      url = direct->url;
    } else {
      const auto& file = std::get<RecordingFile>(source);
      auto resolved = download_url(file.file_name, file.record_domain, options);
      if (!resolved) return std::move(resolved).error();
      url = std::move(resolved).value();
    }
    return stream_url(*core_, std::move(url), on_chunk, download_options, options);
  }

 private:
  std::shared_ptr<const internal::ClientCore> core_;
};

}  // namespace

PRIVACYCALL_INLINE_NAMESPACE_END

std::shared_ptr<RecordingConnection> internal::make_recording_connection(std::shared_ptr<const ClientCore> core) {
  return std::make_shared<RecordingRestConnection>(std::move(core));
}

PRIVACYCALL_INLINE_NAMESPACE_BEGIN

Result<std::string> RecordingClient::download_url(const std::string& file_name, const std::string& record_domain,
                                                  const CallOptions& options) const {
  return connection_->download_url(file_name, record_domain, options);
}

Future<std::string> AsyncRecordingClient::download_url(const std::string& file_name, const std::string& record_domain,
                                                       const CallOptions& options) const {
  return internal::as_future<std::string>([&](Callback<std::string> done) {
    connection_->download_url_async(file_name, record_domain, std::move(done), options);
  });
}

void AsyncRecordingClient::download_url(const std::string& file_name, const std::string& record_domain,
                                        Callback<std::string> done, const CallOptions& options) const {
  connection_->download_url_async(file_name, record_domain, std::move(done), options);
}

Result<RecordingDownloadResult> RecordingClient::download(const RecordingSource& source,
                                                          const RecordingChunkHandler& on_chunk,
                                                          const RecordingDownloadOptions& download_options,
                                                          const CallOptions& options) const {
  return connection_->download(source, on_chunk, download_options, options);
}

Result<RecordingDownloadResult> RecordingClient::download_to_file(const RecordingSource& source,
                                                                  const std::string& path,
                                                                  const RecordingDownloadOptions& download_options,
                                                                  const CallOptions& options) const {
  if (path.empty()) return make_error(ErrorCategory::kValidation, "download_to_file needs a path");
  // Written beside the target and renamed when complete, so a reader never sees half a file.
  const std::string partial = path + ".part";
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(partial.c_str(), "wb"));
  if (!file) return make_error(ErrorCategory::kValidation, "cannot open " + partial + " for writing");
  bool write_failed = false;
  auto result = download(
      source,
      [&](const char* data, std::size_t size) {
        write_failed = std::fwrite(data, 1, size, file.get()) != size;
        return !write_failed;
      },
      download_options, options);
  const bool closed = std::fclose(file.release()) == 0;
  if (!result || write_failed || !closed) {
    std::remove(partial.c_str());
    if (!result && !write_failed) return result;
    return make_error(ErrorCategory::kTransport, "writing " + partial + " failed");
  }
  if (std::rename(partial.c_str(), path.c_str()) != 0) {
    std::remove(partial.c_str());
    return make_error(ErrorCategory::kTransport, "cannot rename " + partial + " to " + path);
  }
  return result;
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall
