// Recordings: a CDR names a recording (recordObjectName + recordDomain, or a direct
// recordFileDownloadUrl). The SDK turns that into a download and streams it to a file or a
// callback without holding it in memory.
//
// Usage: example_recording_download [OUTPUT_PATH]
// Runs against the in-process FakePlatform, which stands in for a recorded call's storage.

#include <privacycall/client.hpp>
#include <privacycall/testing/fake_platform.hpp>

#include <filesystem>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  const std::string output =
      argc > 1 ? argv[1] : (std::filesystem::temp_directory_path() / "privacycall-example-recording.wav").string();
  privacycall::testing::FakePlatform platform;
  const privacycall::Client client(platform.client_options());

  // What a recorded call leaves behind: 2 MiB of audio, announced by a CDR.
  platform.add_recording("1200_366_0_20240101120000.wav", "ostor.example.com", std::string(2 * 1024 * 1024, '\x7f'));
  const std::string record_object_name = "1200_366_0_20240101120000.wav";
  const std::string record_domain = "ostor.example.com";
  const std::string record_file_download_url;  // empty in this CDR

  try {
    // 1. Pick the source the CDR describes.
    const auto source =
        privacycall::recording_source_from_cdr(record_object_name, record_domain, record_file_download_url).value();

    // 2. The short-lived download URL (the platform's 301 Location). Not printed: whoever holds
    //    it can fetch the recording.
    const std::string url = client.recordings().download_url(record_object_name, record_domain).value();
    std::cout << "download URL obtained (" << url.size() << " characters)\n";

    // 3. Stream it to a file: written as OUTPUT.part, renamed when complete.
    privacycall::RecordingDownloadOptions options;
    options.max_bytes = 64 * 1024 * 1024;
    const auto written = client.recordings().download_to_file(source, output, options).value();
    std::cout << "wrote " << written.bytes << " bytes (" << written.content_type << ") to " << output << "\n";

    // 4. Or hand it to a callback piece by piece (e.g. to upload it elsewhere).
    std::size_t pieces = 0;
    const auto streamed = client.recordings()
                              .download(privacycall::RecordingUrl(url),
                                        [&](const char*, std::size_t) {
                                          ++pieces;
                                          return true;
                                        })
                              .value();
    std::cout << "streamed " << streamed.bytes << " bytes in " << pieces << " pieces\n";
    std::filesystem::remove(output);
  } catch (const privacycall::Exception& e) {
    std::cerr << "failed: " << e.error().to_string() << "\n";
    return 1;
  }
  return 0;
}
