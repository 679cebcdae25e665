#ifndef PRIVACYCALL_RECORDING_CONNECTION_HPP
#define PRIVACYCALL_RECORDING_CONNECTION_HPP

/// @file
/// RecordingConnection: what RecordingClient and AsyncRecordingClient call.

#include <privacycall/abi.hpp>
#include <privacycall/callback.hpp>
#include <privacycall/options.hpp>
#include <privacycall/recording.hpp>
#include <privacycall/result.hpp>

#include <string>

namespace privacycall {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// Recording operations as a replaceable seam (see AxbConnection): Client makes the real one,
/// a test hands RecordingClient(connection) a privacycall::testing::MockRecordingConnection.
/// RecordingClient::download_to_file() is made from download().
class RecordingConnection {
 public:
  virtual ~RecordingConnection() = default;

  /// RecordingClient::download_url().
  virtual Result<std::string> download_url(const std::string& file_name, const std::string& record_domain,
                                           const CallOptions& options) = 0;
  /// RecordingClient::download(): streams the recording to @p on_chunk.
  virtual Result<RecordingDownloadResult> download(const RecordingSource& source, const RecordingChunkHandler& on_chunk,
                                                   const RecordingDownloadOptions& download_options,
                                                   const CallOptions& options) = 0;
  /// download_url(), delivering its Result to @p done exactly once.
  virtual void download_url_async(const std::string& file_name, const std::string& record_domain,
                                  Callback<std::string> done, const CallOptions& options) = 0;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall

#endif  // PRIVACYCALL_RECORDING_CONNECTION_HPP
