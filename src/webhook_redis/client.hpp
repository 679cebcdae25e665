#ifndef PRIVACYCALL_SRC_WEBHOOK_REDIS_CLIENT_HPP
#define PRIVACYCALL_SRC_WEBHOOK_REDIS_CLIENT_HPP

// The Redis stores' common client over hiredis: connections with bounded timeouts, a shared
// reconnection backoff, pipelines, and Lua scripts run by their SHA-1 (EVALSHA, falling back to
// EVAL when the server does not know the script yet, after a restart for instance).

#include <privacycall/result.hpp>
#include <privacycall/webhook/redis/connection.hpp>

#include "common/internal_export.hpp"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

struct redisContext;

namespace privacycall::webhook::redis::internal {

// A reply, copied out of hiredis's.
struct Value {
  enum class Type { kNil, kString, kInteger, kArray, kStatus, kError };
  Type type = Type::kNil;
  std::string text;  // kString, kStatus, kError
  long long integer = 0;
  std::vector<Value> elements;

  bool is_nil() const { return type == Type::kNil; }
  bool is_error() const { return type == Type::kError; }
};

using Command = std::vector<std::string>;

// What every connection of one store shares: where to connect and the reconnection backoff,
// so that a fleet of threads does not hammer a Redis that is down.
class Endpoint {
 public:
  Endpoint(RedisEndpoint where, RedisConnectionOptions options);

  const RedisEndpoint& where() const { return where_; }
  const RedisConnectionOptions& options() const { return options_; }
  std::string key(std::string_view name) const { return options_.key_prefix + std::string(name); }
  // "host:port/db prefix": stores with the same keyspace see the same keys.
  std::string keyspace() const {
    return where_.host + ":" + std::to_string(where_.port) + "/" + std::to_string(where_.database) +
           " " + options_.key_prefix;
  }

  // An Error naming this endpoint (never its password).
  Error error(ErrorCategory category, const std::string& what) const;

  // Whether a connection attempt may be made now; else the Error to fail with.
  Result<bool> may_connect();
  void connected();
  void connection_failed(const std::string& why);

 private:
  RedisEndpoint where_;
  RedisConnectionOptions options_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point next_attempt_{};
  std::chrono::milliseconds backoff_{0};
  bool down_ = false;  // reported as down; the next success is logged as a recovery
};

// One hiredis context. Not thread-safe: one user at a time (Pool, or a worker's own).
class PRIVACYCALL_INTERNAL_EXPORT Connection {
 public:
  explicit Connection(std::shared_ptr<Endpoint> endpoint);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Sends `commands` in one round trip; one Value per command (a server's error reply is a
  // kError Value). An Error when the connection fails or a reply is late: the connection is
  // dropped then, and the next call reconnects (subject to the backoff). `extra_time` is added
  // to the command timeout (a blocking read).
  Result<std::vector<Value>> run(const std::vector<Command>& commands,
                                 std::chrono::milliseconds extra_time = {});
  Result<Value> run(const Command& command, std::chrono::milliseconds extra_time = {});

  const Endpoint& endpoint() const { return *endpoint_; }

 private:
  Result<bool> ensure_connected();
  // Sends the commands and reads their replies on the open connection (dropped on failure).
  Result<std::vector<Value>> exchange(const std::vector<Command>& commands);
  void drop();
  Error io_error() const;

  std::shared_ptr<Endpoint> endpoint_;
  redisContext* context_ = nullptr;
  std::chrono::milliseconds timeout_{-1};  // the context's read and write timeout; -1: none set
};

// A Lua script, run by its SHA-1.
class Script {
 public:
  explicit Script(std::string source);
  // EVALSHA, or EVAL when the server answers NOSCRIPT. A server error is an Error (kApi).
  Result<Value> run(Connection& connection, const std::vector<std::string>& keys,
                    const std::vector<std::string>& args) const;
  // The EVALSHA of run(), to send in a pipeline with other commands; complete(), given that
  // command and its reply, runs it again as EVAL when the server did not know the script.
  Command command(const std::vector<std::string>& keys, const std::vector<std::string>& args) const;
  Result<Value> complete(Connection& connection, Command evalsha, Value reply) const;

 private:
  std::string source_;
  std::string sha1_;
};

// A server's error reply as an Error; the value itself otherwise.
Result<Value> checked(Value value, const Endpoint& endpoint);

// Connections shared by the calls of one store, at most max_connections open.
class Pool {
 public:
  explicit Pool(std::shared_ptr<Endpoint> endpoint);
  ~Pool();

  // Runs `fn(Connection&)` with a connection of its own.
  template <typename Fn>
  auto with(Fn&& fn) {
    std::unique_ptr<Connection> connection = borrow();
    struct Return {
      Pool& pool;
      std::unique_ptr<Connection>& connection;
      ~Return() { pool.give_back(std::move(connection)); }
    } give_back_on_exit{*this, connection};
    return fn(*connection);
  }

  Endpoint& endpoint() { return *endpoint_; }
  // Whether the server answers PING within the command timeout.
  bool ping();
  const std::shared_ptr<Endpoint>& shared_endpoint() const { return endpoint_; }

 private:
  std::unique_ptr<Connection> borrow();
  void give_back(std::unique_ptr<Connection> connection);

  std::shared_ptr<Endpoint> endpoint_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_ = 0;
};

// Checks the options' URL; the Endpoint for them.
PRIVACYCALL_INTERNAL_EXPORT Result<std::shared_ptr<Endpoint>> make_endpoint(const RedisConnectionOptions& options);

}  // namespace privacycall::webhook::redis::internal

#endif  // PRIVACYCALL_SRC_WEBHOOK_REDIS_CLIENT_HPP
