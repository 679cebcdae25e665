#ifndef PRIVACYCALL_SRC_WEBHOOK_REDIS_SCRIPTS_HPP
#define PRIVACYCALL_SRC_WEBHOOK_REDIS_SCRIPTS_HPP

// The Lua scripts of the Redis stores, and the key names they work on. Each runs atomically on
// the server, so a store's decision (is this nonce new? whose claim is this?) cannot be split
// by another replica's call.

#include "webhook_redis/client.hpp"

#include <privacycall/webhook/nonce_store.hpp>

#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>

namespace privacycall::webhook::redis::internal {

// KEYS[1] nonce key; ARGV[1] body digest ('' = unknown body), ARGV[2] TTL in ms.
// 0: new (remembered), 1: seen with the same body, 2: seen with another body or none.
inline constexpr const char* kRememberNonceScript = R"(
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
if ARGV[1] ~= '' and redis.call('GET', KEYS[1]) == ARGV[1] then return 1 end
return 2
)";

// The same, then XADD of the push when the nonce is new: one round trip for the 200 path.
// KEYS[1] nonce key, KEYS[2] stream; ARGV[1..2] as above, ARGV[3] body, ARGV[4] push key.
// {0, id} | {1} | {2}.
inline constexpr const char* kRememberAndEnqueueScript = R"(
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {0, redis.call('XADD', KEYS[2], '*', 'body', ARGV[3], 'key', ARGV[4])}
end
if ARGV[1] ~= '' and redis.call('GET', KEYS[1]) == ARGV[1] then return {1} end
return {2}
)";

// KEYS[1] dedup key; ARGV[1] "p:<owner>", ARGV[2] lease in ms.
// {0}: claimed now, {1, answer}: handled before, {2}: claimed by someone else.
inline constexpr const char* kClaimScript = R"(
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {0} end
local held = redis.call('GET', KEYS[1])
if string.sub(held, 1, 2) == 'c:' then return {1, string.sub(held, 3)} end
return {2}
)";

// KEYS[1] dedup key; ARGV[1] "p:<owner>". Deletes the key only while it holds that claim.
inline constexpr const char* kReleaseScript = R"(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)";

// Acknowledges delivered entries and writes the dedupe commits their deliveries deferred to
// this moment, in one round trip: an entry leaves the queue together with the record that its
// notification was handled. KEYS[1] stream, KEYS[2] failure counts (hash), KEYS[3..] dedupe keys
// to commit; ARGV[1] group, ARGV[2] n, ARGV[3..2+n] entry ids, then per dedupe key its value and
// TTL in ms. The number of entries acknowledged. The commits come first: an entry is never gone
// while its commit is not written. PSETEX rather than SET so that INFO commandstats tells the
// commits from the SET NX of the claims (bench/bench_fleet.py counts round trips from it).
inline constexpr const char* kAckScript = R"(
local n = tonumber(ARGV[2])
for i = 3, #KEYS do
  local at = 3 + n + 2 * (i - 3)
  redis.call('PSETEX', KEYS[i], ARGV[at + 1], ARGV[at])
end
if n == 0 then return 0 end
local ids = {unpack(ARGV, 3, 2 + n)}
local acked = redis.call('XACK', KEYS[1], ARGV[1], unpack(ids))
redis.call('XDEL', KEYS[1], unpack(ids))
redis.call('HDEL', KEYS[2], unpack(ids))
return acked
)";

// KEYS[1] stream, KEYS[2] failure counts, KEYS[3] dead letters; ARGV[1] group, ARGV[2] id,
// ARGV[3] error, ARGV[4] max failures. {failures, 1 when dead-lettered else 0}; {0, 0} when
// the entry is gone (acknowledged meanwhile by another consumer).
inline constexpr const char* kFailScript = R"(
local entry = redis.call('XRANGE', KEYS[1], ARGV[2], ARGV[2])
if #entry == 0 then
  redis.call('HDEL', KEYS[2], ARGV[2])
  return {0, 0}
end
local failures = redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
if failures < tonumber(ARGV[4]) then return {failures, 0} end
local fields = entry[1][2]
local body, key = '', ''
for i = 1, #fields, 2 do
  if fields[i] == 'body' then body = fields[i + 1] elseif fields[i] == 'key' then key = fields[i + 1] end
end
redis.call('XADD', KEYS[3], '*', 'id', ARGV[2], 'body', body, 'key', key, 'error', ARGV[3],
           'failures', failures)
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
redis.call('HDEL', KEYS[2], ARGV[2])
return {failures, 1}
)";

// KEYS[1] dead letters, KEYS[2] stream; ARGV[1] dead letter id. The new id, or false.
inline constexpr const char* kReplayScript = R"(
local entry = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
if #entry == 0 then return false end
local fields = entry[1][2]
local body, key = '', ''
for i = 1, #fields, 2 do
  if fields[i] == 'body' then body = fields[i + 1] elseif fields[i] == 'key' then key = fields[i + 1] end
end
local id = redis.call('XADD', KEYS[2], '*', 'body', body, 'key', key)
redis.call('XDEL', KEYS[1], ARGV[1])
return id
)";

inline std::string nonce_key(const Endpoint& endpoint, std::string_view key) {
  return endpoint.key("nonce:") + std::string(key);
}

// Milliseconds until `expires`, at least 1 (PX refuses 0).
inline long long ttl_ms(std::chrono::system_clock::time_point expires,
                        std::chrono::system_clock::time_point now) {
  return std::max<long long>(
      1, std::chrono::duration_cast<std::chrono::milliseconds>(expires - now).count());
}

// The answer of the nonce scripts: 0, 1 or 2.
inline NonceSighting sighting(const Value& value) {
  if (value.integer == 0) return NonceSighting::kNew;
  return value.integer == 1 ? NonceSighting::kSameBody : NonceSighting::kOtherBody;
}

}  // namespace privacycall::webhook::redis::internal

#endif  // PRIVACYCALL_SRC_WEBHOOK_REDIS_SCRIPTS_HPP
