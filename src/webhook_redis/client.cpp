#include "webhook_redis/client.hpp"

#include "webhook/log_internal.hpp"

#include <hiredis/hiredis.h>
#include <openssl/evp.h>

#include <sys/time.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <utility>

namespace privacycall::webhook::redis::internal {
namespace {

timeval to_timeval(std::chrono::milliseconds duration) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(duration.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((duration.count() % 1000) * 1000);
  return tv;
}

// Bounds the reads and writes of `context` by `timeout`, remembered in `current`. Setting it
// costs two setsockopt calls, and most calls use the same timeout as the one before.
void set_timeout(redisContext* context, std::chrono::milliseconds& current, std::chrono::milliseconds timeout) {
  if (timeout == current) return;
  if (redisSetTimeout(context, to_timeval(timeout)) == REDIS_OK) current = timeout;
}

Value copy(const redisReply* reply) {
  Value value;
  switch (reply->type) {
    case REDIS_REPLY_STRING:
      value.type = Value::Type::kString;
      value.text.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_STATUS:
      value.type = Value::Type::kStatus;
      value.text.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_ERROR:
      value.type = Value::Type::kError;
      value.text.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_INTEGER:
      value.type = Value::Type::kInteger;
      value.integer = reply->integer;
      break;
    case REDIS_REPLY_ARRAY:
      value.type = Value::Type::kArray;
      value.elements.reserve(reply->elements);
      for (std::size_t i = 0; i < reply->elements; ++i) value.elements.push_back(copy(reply->element[i]));
      break;
    default:
      value.type = Value::Type::kNil;
  }
  return value;
}

std::string sha1_hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha1(), nullptr) != 1) {
    throw std::runtime_error("cannot compute the SHA-1 of a Redis script");
  }
  constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xF];
  }
  return hex;
}

}  // namespace

Endpoint::Endpoint(RedisEndpoint where, RedisConnectionOptions options)
    : where_(std::move(where)), options_(std::move(options)) {}

bool Pool::ping() {
  return with([](Connection& connection) {
    Result<Value> pong = connection.run(Command{"PING"});
    return pong.ok() && !pong->is_error();
  });
}

Error Endpoint::error(ErrorCategory category, const std::string& what) const {
  Error error;
  error.category = category;
  error.message = "redis " + where_.redacted() + ": " + what;
  error.retryable = true;
  return error;
}

Result<bool> Endpoint::may_connect() {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (now >= next_attempt_) return true;
  const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_attempt_ - now);
  return error(ErrorCategory::kTransport,
               "unavailable; the next connection attempt is in " + std::to_string(wait.count()) + " ms");
}

void Endpoint::connected() {
  bool recovered = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    backoff_ = std::chrono::milliseconds(0);
    next_attempt_ = {};
    recovered = std::exchange(down_, false);
  }
  if (recovered) {
    webhook::internal::emit(options_.log, LogLevel::kInfo, "redis " + where_.redacted() + ": connected again");
  }
}

void Endpoint::connection_failed(const std::string& why) {
  bool first = false;
  std::chrono::milliseconds wait{};
  {
    std::lock_guard<std::mutex> lock(mutex_);
    backoff_ = backoff_.count() == 0 ? options_.initial_reconnect_backoff
                                     : std::min(backoff_ * 2, options_.max_reconnect_backoff);
    wait = backoff_;
    next_attempt_ = std::chrono::steady_clock::now() + backoff_;
    first = !std::exchange(down_, true);
  }
  if (first) {
    webhook::internal::emit(options_.log, LogLevel::kError,
                            "redis " + where_.redacted() + ": " + why + "; retrying in " +
                                std::to_string(wait.count()) + " ms, answering 503 meanwhile");
  }
}

Connection::Connection(std::shared_ptr<Endpoint> endpoint) : endpoint_(std::move(endpoint)) {}

Connection::~Connection() { drop(); }

void Connection::drop() {
  if (context_ != nullptr) redisFree(context_);
  context_ = nullptr;
  timeout_ = std::chrono::milliseconds(-1);
}

Error Connection::io_error() const {
  const bool timed_out = context_ != nullptr && context_->err == REDIS_ERR_IO &&
                         (errno == EAGAIN || errno == EWOULDBLOCK);
  const std::string what = context_ == nullptr ? std::string("no connection") : std::string(context_->errstr);
  return endpoint_->error(timed_out ? ErrorCategory::kTimeout : ErrorCategory::kTransport,
                          timed_out ? "no answer within the command timeout (" + what + ")" : what);
}

Result<bool> Connection::ensure_connected() {
  if (context_ != nullptr) return true;
  Result<bool> allowed = endpoint_->may_connect();
  if (!allowed) return allowed;
  const RedisEndpoint& where = endpoint_->where();
  const RedisConnectionOptions& options = endpoint_->options();
  context_ = redisConnectWithTimeout(where.host.c_str(), where.port, to_timeval(options.connect_timeout));
  if (context_ == nullptr || context_->err != 0) {
    Error error = context_ == nullptr ? endpoint_->error(ErrorCategory::kTransport, "cannot allocate a connection")
                                      : endpoint_->error(ErrorCategory::kTransport,
                                                         std::string("cannot connect: ") + context_->errstr);
    drop();
    endpoint_->connection_failed(error.message);
    return error;
  }
  set_timeout(context_, timeout_, options.connect_timeout);
  std::vector<Command> setup;
  if (!where.user.empty()) {
    setup.push_back({"AUTH", where.user, where.password});
  } else if (!where.password.empty()) {
    setup.push_back({"AUTH", where.password});
  }
  if (where.database != 0) setup.push_back({"SELECT", std::to_string(where.database)});
  if (!setup.empty()) {
    Result<std::vector<Value>> replies = exchange(setup);
    if (!replies) {
      endpoint_->connection_failed(replies.error().message);
      return std::move(replies).error();
    }
    for (std::size_t k = 0; k < setup.size(); ++k) {
      if (!(*replies)[k].is_error()) continue;
      // The text of an AUTH error never holds the password.
      Error error = endpoint_->error(ErrorCategory::kAuth, setup[k][0] + " refused: " + (*replies)[k].text);
      drop();
      endpoint_->connection_failed(error.message);
      return error;
    }
  }
  endpoint_->connected();
  return true;
}

Result<std::vector<Value>> Connection::run(const std::vector<Command>& commands,
                                           std::chrono::milliseconds extra_time) {
  Result<bool> ready = ensure_connected();
  if (!ready) return std::move(ready).error();
  set_timeout(context_, timeout_, endpoint_->options().command_timeout + extra_time);
  return exchange(commands);
}

Result<std::vector<Value>> Connection::exchange(const std::vector<Command>& commands) {
  for (const Command& command : commands) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    argv.reserve(command.size());
    lengths.reserve(command.size());
    for (const std::string& arg : command) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    if (redisAppendCommandArgv(context_, static_cast<int>(argv.size()), argv.data(), lengths.data()) != REDIS_OK) {
      Error error = io_error();
      drop();
      return error;
    }
  }
  std::vector<Value> values;
  values.reserve(commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) {
      Error error = io_error();
      drop();  // a late reply would answer the next command: the connection cannot be reused
      return error;
    }
    values.push_back(copy(static_cast<redisReply*>(raw)));
    freeReplyObject(raw);
  }
  return values;
}

Result<Value> Connection::run(const Command& command, std::chrono::milliseconds extra_time) {
  Result<std::vector<Value>> values = run(std::vector<Command>{command}, extra_time);
  if (!values) return std::move(values).error();
  return std::move(values->front());
}

Result<Value> checked(Value value, const Endpoint& endpoint) {
  if (!value.is_error()) return value;
  return endpoint.error(ErrorCategory::kApi, "refused: " + value.text);
}

Script::Script(std::string source) : source_(std::move(source)), sha1_(sha1_hex(source_)) {}

Command Script::command(const std::vector<std::string>& keys, const std::vector<std::string>& args) const {
  Command command{"EVALSHA", sha1_, std::to_string(keys.size())};
  command.insert(command.end(), keys.begin(), keys.end());
  command.insert(command.end(), args.begin(), args.end());
  return command;
}

Result<Value> Script::complete(Connection& connection, Command evalsha, Value reply) const {
  if (reply.is_error() && reply.text.rfind("NOSCRIPT", 0) == 0) {
    evalsha[0] = "EVAL";
    evalsha[1] = source_;
    Result<Value> value = connection.run(evalsha);
    if (!value) return value;
    reply = std::move(value).value();
  }
  return checked(std::move(reply), connection.endpoint());
}

Result<Value> Script::run(Connection& connection, const std::vector<std::string>& keys,
                          const std::vector<std::string>& args) const {
  Command evalsha = command(keys, args);
  Result<Value> reply = connection.run(evalsha);
  if (!reply) return reply;
  return complete(connection, std::move(evalsha), std::move(reply).value());
}

Pool::Pool(std::shared_ptr<Endpoint> endpoint) : endpoint_(std::move(endpoint)) {}

Pool::~Pool() = default;

std::unique_ptr<Connection> Pool::borrow() {
  std::unique_lock<std::mutex> lock(mutex_);
  const std::size_t limit = std::max<std::size_t>(1, endpoint_->options().max_connections);
  returned_.wait(lock, [&] { return !idle_.empty() || open_ < limit; });
  if (!idle_.empty()) {
    std::unique_ptr<Connection> connection = std::move(idle_.back());
    idle_.pop_back();
    return connection;
  }
  ++open_;
  return std::make_unique<Connection>(endpoint_);
}

void Pool::give_back(std::unique_ptr<Connection> connection) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    idle_.push_back(std::move(connection));
  }
  returned_.notify_one();
}

Result<std::shared_ptr<Endpoint>> make_endpoint(const RedisConnectionOptions& options) {
  Result<RedisEndpoint> where = parse_redis_url(options.url);
  if (!where) return std::move(where).error();
  return std::make_shared<Endpoint>(std::move(where).value(), options);
}

}  // namespace privacycall::webhook::redis::internal
