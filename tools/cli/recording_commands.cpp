// privacycall recording url|download

#include <iostream>

#include "command.hpp"

namespace privacycall::cli {
namespace {

int url(CommandContext& c) {
  const auto file_name = c.args.require("file-name");
  const auto domain = c.args.require("record-domain");
  c.args.finish();
  const auto found = c.client().recordings().download_url(file_name, domain);
  if (!found) return report(c, Result<ApiResponse>(found.error()));
  c.out << *found << std::endl;
  return kExitOk;
}

// From --file-name + --record-domain (resolved through the API) or a CDR's --url, streamed
// into --output.
int download(CommandContext& c) {
  auto file_name = c.args.take("file-name");
  auto domain = c.args.take("record-domain");
  auto direct = c.args.take("url");
  const auto output = c.args.require("output");
  RecordingDownloadOptions options;
  options.insecure_skip_tls_verification = c.args.take_switch("insecure-skip-tls-verification");
  if (auto max = c.args.take_int("max-bytes")) options.max_bytes = static_cast<std::uint64_t>(*max);
  c.args.finish();
  one_of("file-name", file_name.has_value(), "url", direct.has_value());
  if (file_name && !domain) throw UsageError("--file-name needs --record-domain");
  if (direct && domain) throw UsageError("--record-domain goes with --file-name, not --url");
  const RecordingSource source = direct ? RecordingSource(RecordingUrl(*direct))
                                        : RecordingSource(RecordingFile(*file_name, *domain));
  const auto written = c.client().recordings().download_to_file(source, output, options);
  if (!written) return report(c, Result<ApiResponse>(written.error()));
  c.out << written->bytes << " bytes written to " << output << std::endl;
  return kExitOk;
}

}  // namespace

std::vector<Command> recording_commands() {
  const Flag file = text("file-name", "fileName", "the CDR's recordObjectName");
  const Flag domain = text("record-domain", "recordDomain", "the CDR's recordDomain");
  return {
      {"recording", "url", "print a recording's download URL", {Flag(file).required_flag(), Flag(domain).required_flag()}, url},
      {"recording", "download", "stream a recording into --output",
       {file, domain, text("url", "", "a CDR's recordFileDownloadUrl, instead of --file-name"),
        text("output", "", "file to write").required_flag(),
        on_off("insecure-skip-tls-verification", "do not check the storage host's certificate (not for API calls)"),
        integer("max-bytes", "", 1, INT64_MAX, "refuse recordings larger than this")},
       download},
  };
}

}  // namespace privacycall::cli
