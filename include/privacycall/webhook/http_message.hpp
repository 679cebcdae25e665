#ifndef PRIVACYCALL_WEBHOOK_HTTP_MESSAGE_HPP
#define PRIVACYCALL_WEBHOOK_HTTP_MESSAGE_HPP

/// @file
/// Framework-neutral HTTP request and reply, so the dispatcher can sit behind any server.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace privacycall::webhook {

/// HTTP header fields in arrival order, looked up case-insensitively (the platform's examples
/// send `x-aksk` in lower case).
class HeaderMap {
 public:
  using Field = std::pair<std::string, std::string>;

  HeaderMap() = default;
  HeaderMap(std::initializer_list<Field> fields) : fields_(fields) {}

  /// Appends a field (repeated names are kept).
  void add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
  }
  /// Replaces every field called `name` by one with `value`.
  void set(std::string_view name, std::string value);
  /// The first value of `name` (any case), nullopt when absent.
  std::optional<std::string_view> get(std::string_view name) const noexcept;
  /// True when a field called `name` is present.
  bool contains(std::string_view name) const noexcept { return get(name).has_value(); }

  const std::vector<Field>& fields() const noexcept { return fields_; }
  bool empty() const noexcept { return fields_.empty(); }

 private:
  std::vector<Field> fields_;
};

/// A received push, as any HTTP server can supply it.
struct WebhookRequest {
  std::string method;  ///< e.g. "POST"
  std::string path;    ///< request path without the query, e.g. "/status"
  HeaderMap headers;
  std::string body;
};

/// What to send back.
struct WebhookReply {
  int status = 200;
  HeaderMap headers;
  std::string body;
};

}  // namespace privacycall::webhook

#endif  // PRIVACYCALL_WEBHOOK_HTTP_MESSAGE_HPP
