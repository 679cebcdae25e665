#include <privacycall/async.hpp>
#include <privacycall/recording.hpp>

#include <privacycall/version.hpp>

#include <curl/curl.h>

#include <cstdio>
#include <memory>
#include <mutex>

#include "client/curl_compat.hpp"
#include "client/endpoint.hpp"
#include "common/make_error.hpp"

namespace privacycall {
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

struct EasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};

// State shared with libcurl's write callback during one download.
struct Stream {
  const RecordingChunkHandler* on_chunk = nullptr;
  std::uint64_t max_bytes = 0;
  std::uint64_t bytes = 0;
  bool too_large = false;
  bool stopped_by_handler = false;
};

std::size_t on_data(char* data, std::size_t size, std::size_t count, void* user) {
  auto* stream = static_cast<Stream*>(user);
  const std::size_t n = size * count;
  if (stream->bytes + n > stream->max_bytes) {
    stream->too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  stream->bytes += n;
  if (!(*stream->on_chunk)(data, n)) {
    stream->stopped_by_handler = true;
    return 0;
  }
  return n;
}

// Streams `url` to `on_chunk` with libcurl; pieces arrive as libcurl receives them (at most
// CURL_MAX_WRITE_SIZE, 16 KiB by default), so memory use does not grow with the recording.
Result<RecordingDownloadResult> stream_url(const ClientOptions& client, const std::string& url,
                                           const RecordingChunkHandler& on_chunk,
                                           const RecordingDownloadOptions& options) {
  static std::once_flag curl_initialised;
  std::call_once(curl_initialised, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  const bool https = url.rfind("https://", 0) == 0;
  if (!https && url.rfind("http://", 0) != 0) {
    return make_error(ErrorCategory::kValidation, "recording URL must start with https:// or http://");
  }
  std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
  if (!easy) return make_error(ErrorCategory::kTransport, "curl_easy_init failed");
  CURL* h = easy.get();
  Stream stream{&on_chunk, options.max_bytes};
  char error_buffer[CURL_ERROR_SIZE] = {0};
  const std::string user_agent = std::string("privacycall/") + kVersion +
                                 (client.user_agent.empty() ? "" : " " + client.user_agent);
  const bool verify = !options.insecure_skip_tls_verification;

  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_data);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &stream);
  curl_easy_setopt(h, CURLOPT_FAILONERROR, 1L);  // an error page is not a recording
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(client.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout.count()));
  curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_bytes));
  internal::allow_only_http_and_https(h);
  // A storage host may redirect, but never from https down to http.
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, options.max_redirects > 0 ? 1L : 0L);
  curl_easy_setopt(h, CURLOPT_MAXREDIRS, static_cast<long>(options.max_redirects));
  internal::allow_redirects_to(h, https);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, verify && client.tls.verify_peer ? 1L : 0L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, verify && client.tls.verify_host ? 2L : 0L);
  if (!client.tls.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, client.tls.ca_file.c_str());
  if (!client.tls.ca_path.empty()) curl_easy_setopt(h, CURLOPT_CAPATH, client.tls.ca_path.c_str());
  if (!client.proxy.empty()) curl_easy_setopt(h, CURLOPT_PROXY, client.proxy.c_str());
  curl_easy_setopt(h, CURLOPT_USERAGENT, user_agent.c_str());

  const CURLcode code = curl_easy_perform(h);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  const std::string where = " (download from " + host_of(url) + ")";
  if (code != CURLE_OK) {
    if (stream.too_large || code == CURLE_FILESIZE_EXCEEDED) {
      return make_error(ErrorCategory::kTransport,
                        "recording larger than max_bytes (" + std::to_string(options.max_bytes) + ")" + where);
    }
    if (stream.stopped_by_handler) return make_error(ErrorCategory::kTransport, "download aborted by the chunk handler");
    if (code == CURLE_HTTP_RETURNED_ERROR) {
      Error error = make_error(ErrorCategory::kApi, "the storage host answered HTTP " + std::to_string(status) + where);
      error.http_status = static_cast<int>(status);
      error.retryable = status >= 500;
      return error;
    }
    Error error = make_error(code == CURLE_OPERATION_TIMEDOUT ? ErrorCategory::kTimeout : ErrorCategory::kTransport,
                             std::string(curl_easy_strerror(code)) + where);
    error.retryable = code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST;
    return error;
  }
  if (status < 200 || status >= 300) {
    // A redirect beyond max_redirects, or one that was not followed.
    Error error = make_error(ErrorCategory::kApi, "the storage host answered HTTP " + std::to_string(status) + where);
    error.http_status = static_cast<int>(status);
    return error;
  }
  RecordingDownloadResult result;
  result.bytes = stream.bytes;
  result.http_status = static_cast<int>(status);
  char* content_type = nullptr;
  if (curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &content_type) == CURLE_OK && content_type != nullptr) {
    result.content_type = content_type;
  }
  return result;
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

Result<std::string> RecordingClient::download_url(const std::string& file_name, const std::string& record_domain,
                                                  const CallOptions& options) const {
  return core_->run(make_download_url(*core_, file_name, record_domain), options);
}

Future<std::string> AsyncRecordingClient::download_url(const std::string& file_name, const std::string& record_domain,
                                                       const CallOptions& options) const {
  return core_->run_async(make_download_url(*core_, file_name, record_domain), options);
}

void AsyncRecordingClient::download_url(const std::string& file_name, const std::string& record_domain,
                                        Callback<std::string> done, const CallOptions& options) const {
  core_->run_async(make_download_url(*core_, file_name, record_domain), options, std::move(done));
}

Result<RecordingDownloadResult> RecordingClient::download(const RecordingSource& source,
                                                          const RecordingChunkHandler& on_chunk,
                                                          const RecordingDownloadOptions& download_options,
                                                          const CallOptions& options) const {
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
  return stream_url(core_->options(), url, on_chunk, download_options);
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

}  // namespace privacycall
