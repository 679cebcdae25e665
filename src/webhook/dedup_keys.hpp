#ifndef PRIVACYCALL_SRC_WEBHOOK_DEDUP_KEYS_HPP
#define PRIVACYCALL_SRC_WEBHOOK_DEDUP_KEYS_HPP

// The dedupe keys of notifications: what the Dispatcher claims in its DedupStore before a
// handler sees an item, so that a re-push reaches the handlers once. The Redis queue workers
// read them too, to claim the keys of a whole batch of queued pushes in one round trip before
// delivering it.

#include <privacycall/webhook/notifications.hpp>
#include <privacycall/webhook/push_queue.hpp>

#include "common/internal_export.hpp"

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace privacycall::webhook::internal {

// "<kind>|<part>|<part>...", built in one allocation: every push builds one per item.
std::string join_key(char kind, std::initializer_list<std::string_view> parts);

// The key of a call event; empty without a session id (not deduplicated).
std::string event_key(const CallEvent& e);
// The key of one CDR; empty without a session id and an icid.
std::string fee_key(const FeeRecord& r);
// The key of an SMS notification; empty without an SMS identifier.
std::string sms_key(const SmsNotification& s);

// The keys that delivering a Notify notification claims (Dispatcher::deliver, whose kinds it
// follows): each item's own, or `push_key` for the kinds without an id. In claim order, each
// once, empty ones left out. Whether a handler is registered for the kind is not asked: a
// kind without one claims nothing.
std::vector<std::string> notify_keys(const Notification& notification, const std::string& push_key);

// notify_keys() of a queued push, its body parsed with the default limits; none when it does
// not parse.
PRIVACYCALL_INTERNAL_EXPORT std::vector<std::string> queued_push_keys(const QueuedPush& push);

}  // namespace privacycall::webhook::internal

#endif  // PRIVACYCALL_SRC_WEBHOOK_DEDUP_KEYS_HPP
