#ifndef PRIVACYCALL_WEBHOOK_REDIS_CONNECTION_HPP
#define PRIVACYCALL_WEBHOOK_REDIS_CONNECTION_HPP

/// @file
/// Where a Redis-backed store connects, and how patiently: one connection string, bounded
/// timeouts on every call, reconnection with backoff. Part of privacycall::webhook_redis.

#include <privacycall/abi.hpp>
#include <privacycall/result.hpp>
#include <privacycall/webhook/log.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace privacycall::webhook::redis {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN

/// A Redis server, as a connection string names it.
struct RedisEndpoint {
  std::string host;          ///< name or address; an IPv6 address without its brackets
  std::uint16_t port = 6379;  ///< TCP port
  int database = 0;          ///< SELECTed after connecting
  std::string user;          ///< ACL user (Redis 6+); empty: the default user
  std::string password;      ///< AUTH password; empty: no AUTH
  bool tls = false;          ///< rediss://

  /// "redis://user:***@host:port/db": the URL fit for logs, never with the password.
  std::string redacted() const;
};

/// Parses `redis://[[user]:password@]host[:port][/db]` (or `rediss://`). A kValidation Error
/// naming the part that is wrong (scheme, host, port, database, percent-escape), or saying
/// that this build's hiredis has no TLS for rediss://. The message never holds the password.
Result<RedisEndpoint> parse_redis_url(std::string_view url);

/// How a store talks to Redis.
struct RedisConnectionOptions {
  /// `redis://[[user]:password@]host[:port][/db]`; see parse_redis_url.
  std::string url = "redis://127.0.0.1:6379/0";
  /// Bound on establishing a connection (TCP connect, AUTH, SELECT).
  std::chrono::milliseconds connect_timeout{500};
  /// Bound on every command's round trip. A push waits on it before its answer, so keep it
  /// well under the platform's own timeout.
  std::chrono::milliseconds command_timeout{500};
  /// After a failed connection, the next attempt waits this long, doubling per failure up to
  /// max_reconnect_backoff; calls meanwhile fail at once (the receiver answers 503).
  std::chrono::milliseconds initial_reconnect_backoff{50};
  /// Ceiling of the reconnection backoff.
  std::chrono::milliseconds max_reconnect_backoff{std::chrono::seconds(2)};
  /// Connections kept open for concurrent calls (workers of a queue hold their own). A call
  /// that finds them all busy waits for one, so keep it at least the number of threads that
  /// call at once: for a receiver, its server's threads (WebhookServerOptions::threads, 64),
  /// each of which makes one round trip per push before answering. Opened as needed.
  std::size_t max_connections = 64;
  /// Prefix of every key the stores use, so that several deployments can share a server.
  std::string key_prefix = "privacycall:";
  /// Where connection failures and recoveries are reported.
  LogHook log;
};

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook::redis

#endif  // PRIVACYCALL_WEBHOOK_REDIS_CONNECTION_HPP
