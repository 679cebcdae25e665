#ifndef PRIVACYCALL_WEBHOOK_HTTP_MESSAGE_HPP
#define PRIVACYCALL_WEBHOOK_HTTP_MESSAGE_HPP

/// @file
/// Framework-neutral HTTP request and reply, so the dispatcher can sit behind any server.

#include <privacycall/abi.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// HTTP header fields in arrival order, looked up case-insensitively (the platform's examples
/// send `x-aksk` in lower case).
class HeaderMap {
 public:
  /// One field: name as received (any case) and value.
  using Field = std::pair<std::string, std::string>;

  HeaderMap() = default;
  /// Holds @p fields in the given order.
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

  /// Every field, in arrival order.
  const std::vector<Field>& fields() const noexcept { return fields_; }
  /// True when there are no fields.
  bool empty() const noexcept { return fields_.empty(); }

 private:
  std::vector<Field> fields_;
};

/// A received push, as any HTTP server can supply it.
struct WebhookRequest {
  std::string method;  ///< e.g. "POST"
  std::string path;    ///< request path without the query, e.g. "/status"
  HeaderMap headers;   ///< request headers, including Authorization and X-AKSK
  std::string body;    ///< raw body: the push's JSON
};

/// What to send back.
struct WebhookReply {
  int status = 200;   ///< HTTP status code
  HeaderMap headers;  ///< response headers, e.g. Content-Type
  std::string body;   ///< response body; a Block answer's JSON, or empty
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook

#endif  // PRIVACYCALL_WEBHOOK_HTTP_MESSAGE_HPP
