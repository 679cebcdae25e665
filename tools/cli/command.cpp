#include "command.hpp"

#include <iostream>

namespace privacycall::cli {

Client CommandContext::client() const {
  if (connection.base_url.empty()) throw UsageError("no base URL: give --base-url or set PRIVACYCALL_BASE_URL");
  if (connection.app_key.empty()) throw UsageError("no app key: give --app-key or set PRIVACYCALL_APP_KEY");
  if (connection.app_secret.empty()) {
    throw UsageError("no app secret: set PRIVACYCALL_APP_SECRET (or give --app-secret)");
  }
  auto client = Client::create(connection);
  if (!client) throw UsageError(client.error().message);
  return std::move(client).value();
}

int report(CommandContext& context, const Result<ApiResponse>& result) {
  if (result.ok()) {
    context.out << result->raw_json << std::endl;
    return kExitOk;
  }
  const Error& error = result.error();
  // One line, never the secret: Error carries neither credentials nor full numbers.
  context.err << "privacycall: error: " << error.to_string() << std::endl;
  return error.category == ErrorCategory::kValidation ? kExitUsage : kExitFailed;
}

}  // namespace privacycall::cli
