#include <privacycall/webhook/dispatcher.hpp>

#include "common/bounded_pool.hpp"
#include "common/internal_export.hpp"
#include "webhook/log_internal.hpp"
#include "webhook/spool_push_queue.hpp"

#include <privacycall/webhook/store_unavailable.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <future>
#include <initializer_list>
#include <optional>
#include <mutex>
#include <stdexcept>
#include <string_view>
#include <unordered_set>
#include <utility>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN
namespace {

constexpr std::string_view kJsonType = "application/json;charset=UTF-8";
// Used when even the configured fallback cannot be serialised (an invalid fallback).
constexpr std::string_view kLastResortCloseAnswer = R"({"operation":"close","closeInfo":{}})";
constexpr std::string_view kLastResortDiscardAnswer =
    R"({"actions":[{"operation":"DiscardMessage"}]})";

WebhookReply json_reply(int status, std::string body) {
  WebhookReply reply;
  reply.status = status;
  reply.headers.add("Content-Type", std::string(kJsonType));
  reply.body = std::move(body);
  return reply;
}

// {"resultcode":..,"resultdesc":..}: the platform's own error envelope, so tools that read
// the platform's errors read ours.
WebhookReply error_reply(int status, std::string_view code, std::string_view desc) {
  std::string body = R"({"resultcode":")";
  body += code;
  body += R"(","resultdesc":")";
  for (char c : desc) {
    if (c == '"' || c == '\\') body += '\\';
    body += c;
  }
  body += R"("})";
  return json_reply(status, std::move(body));
}

// A request path fit for a log line. The client chose it, and cpp-httplib URL-decodes it, so
// "%0A" would start a forged line: control characters (and the backslash, to keep the
// escapes unambiguous) are written as \xNN, and the length is capped.
std::string loggable_path(std::string_view path) {
  constexpr std::size_t kMaxLoggedPath = 256;
  constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char c : path.substr(0, kMaxLoggedPath)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F || c == '\\') {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    } else {
      out += c;
    }
  }
  if (path.size() > kMaxLoggedPath) out += "... (" + std::to_string(path.size()) + " bytes)";
  return out;
}

// "<kind>|<part>|<part>...", built in one allocation: every push builds one per item.
std::string join_key(char kind, std::initializer_list<std::string_view> parts) {
  std::size_t size = 1;
  for (std::string_view part : parts) size += 1 + part.size();
  std::string key;
  key.reserve(size);
  key += kind;
  for (std::string_view part : parts) {
    key += '|';
    key += part;
  }
  return key;
}

std::string_view or_empty(const std::optional<std::string>& text) {
  return text ? std::string_view(*text) : std::string_view();
}

std::string event_key(const CallEvent& e) {
  if (!e.session_id || e.session_id->empty()) return {};
  return join_key('e', {*e.session_id, e.event_type.raw(),
                        e.timestamp ? std::string_view(e.timestamp->raw) : std::string_view()});
}

std::string fee_key(const FeeRecord& r) {
  const bool has_session = r.session_id && !r.session_id->empty();
  const bool has_icid = r.icid && !r.icid->empty();
  if (!has_session && !has_icid) return {};
  // Both when present: either identifies the CDR, together they can never merge two CDRs.
  return join_key('f', {or_empty(r.session_id), or_empty(r.icid)});
}

std::string sms_key(const SmsNotification& s) {
  if (!s.sms_identifier || s.sms_identifier->empty()) return {};
  // The mode as sent, so keys stay those of stores written before it was decoded.
  const std::string_view mode = s.notification_mode ? std::string_view(s.notification_mode->raw()) : std::string_view();
  return join_key('s', {*s.sms_identifier, mode});
}

PushKind kind_of(const Notification& notification) {
  if (const auto* event = std::get_if<CallEvent>(&notification)) {
    return event->is_block_callin() ? PushKind::kXModeCallin : PushKind::kCallEvent;
  }
  if (std::holds_alternative<FeeNotification>(notification)) return PushKind::kFee;
  if (std::holds_alternative<NumberStatusNotification>(notification)) return PushKind::kNumberStatus;
  if (const auto* sms = std::get_if<SmsNotification>(&notification)) {
    return sms->is_block() ? PushKind::kSmsBlock : PushKind::kSms;
  }
  return PushKind::kUnknown;
}

// Thrown by delivery when every new item is being handled by another request right now.
struct InProgressElsewhere : std::runtime_error {
  InProgressElsewhere() : std::runtime_error("the same notification is being handled already") {}
};

Error queue_in_use_error() {
  Error error;
  error.category = ErrorCategory::kValidation;
  error.message = "a queue (or the spool) is already in use";
  return error;
}

}  // namespace

struct PRIVACYCALL_HIDDEN Dispatcher::Impl {
  std::shared_ptr<WebhookVerifier> verifier;
  WebhookHandlers handlers;
  DispatcherOptions options;
  std::shared_ptr<DedupStore> dedup;
  // Where Notify pushes wait for delivery when set (enable_spool, use_queue).
  std::shared_ptr<PushQueue> queue;

  struct Counters {
    std::atomic<std::uint64_t> received{0}, delivered{0}, duplicates{0}, handler_failures{0},
        block_fallbacks{0}, spooled{0}, unhandled{0};
    std::atomic<std::uint64_t> method_not_allowed{0}, not_found{0}, too_large{0},
        bad_auth_headers{0}, unauthenticated{0}, replayed{0}, malformed_body{0}, busy{0},
        store_unavailable{0};
    std::array<std::array<std::atomic<std::uint64_t>, kPushOutcomeCount>, kPushKindCount> pushes{};
  } counters;
  LatencyHistogram handle_latency;

  // Runs Block handlers, so that one can be left behind at its deadline: a late handler keeps
  // running after its fallback answer was sent. Made with the options, in the constructor.
  std::unique_ptr<privacycall::internal::BoundedPool> block_pool;
  std::atomic<std::uint64_t> block_handlers_abandoned{0};

  // What deliver_notify() did: kDelivered, kDuplicate or kUnhandled.
  using Outcome = PushOutcome;

  // Counts one push under its kind and the outcome set last: kFailed unless set, so a push
  // left by an exception (a handler's, a store's) counts as failed.
  class Tally {
   public:
    Tally(Impl& impl, PushKind kind) : impl_(impl), kind_(kind) {}
    ~Tally() {
      impl_.counters.pushes[static_cast<std::size_t>(kind_)][static_cast<std::size_t>(outcome)].fetch_add(1);
    }
    Tally(const Tally&) = delete;
    Tally& operator=(const Tally&) = delete;

    PushOutcome outcome = PushOutcome::kFailed;

   private:
    Impl& impl_;
    PushKind kind_;
  };

  void log(LogLevel level, const std::string& message) const {
    internal::emit(options.log, level, message);
  }

  // Logs why a push was refused, naming its path: escaped, as the client chose it.
  void log_refusal(const WebhookRequest& request, const std::string& why) const {
    log(LogLevel::kWarning, "refused a push to " + loggable_path(request.path) + ": " + why);
  }

  // The dedup keys one push holds: claimed, and neither committed nor released yet. Whatever
  // throws before the commit (a handler, thread creation, bad_alloc, the DedupStore itself)
  // releases them on the way out: a key left claimed would answer every re-push of its
  // notification with 503 until a restart.
  class Claims {
   public:
    explicit Claims(Impl& impl) : impl_(impl) {}
    ~Claims() { release(); }
    Claims(const Claims&) = delete;
    Claims& operator=(const Claims&) = delete;

    // Claims `key`, which must outlive this object (it is held by address, not copied); a
    // kNew claim is held from here on.
    DedupClaim claim(const std::string& key) {
      held_.push_back(&key);  // before the claim: nothing may throw between a claim and its hold
      DedupClaim claim;
      try {
        claim = impl_.dedup->claim(key);
      } catch (...) {
        held_.pop_back();  // not ours: releasing it could free another request's claim
        throw;
      }
      if (claim.state != DedupClaim::State::kNew) held_.pop_back();
      return claim;
    }

    // Commits every held key. One whose commit throws stays held, and is released.
    void commit(std::string_view answer = {}) {
      for (; !held_.empty(); held_.pop_back()) impl_.dedup->commit(*held_.back(), answer);
    }

    // Gives every held key back. Runs while unwinding, so never throws.
    void release() noexcept {
      for (; !held_.empty(); held_.pop_back()) {
        try {
          impl_.dedup->release(*held_.back());
        } catch (...) {
          impl_.log(LogLevel::kError, "could not release a dedup key; its re-pushes are "
                                      "answered 503 until the DedupStore forgets it");
        }
      }
    }

   private:
    Impl& impl_;
    std::vector<const std::string*> held_;
  };

  ~Impl() {
    // The queue's workers call back into this dispatcher, and the queue may outlive it.
    if (queue) queue->stop();
    close_block_pool();
  }

  // Waits up to the grace period for running Block handlers, then abandons the rest.
  void close_block_pool() {
    if (!block_pool) return;  // the constructor threw before making it
    const std::size_t abandoned = block_pool->close(options.block_handler_grace);
    if (abandoned == 0) return;
    block_handlers_abandoned.fetch_add(abandoned);
    log(LogLevel::kError, "abandoned " + std::to_string(abandoned) + " Block handler(s) still running " +
                              std::to_string(options.block_handler_grace.count()) +
                              " ms after the dispatcher closed; their threads end when they return");
  }

  // Runs `fn` on the Block pool and waits up to the Block deadline, counted from now: time
  // spent queued behind busy handlers counts. nullopt (with `failure` set) when it threw, was
  // late, or could not start in time.
  template <typename T>
  std::optional<T> run_with_deadline(std::function<T()> fn, std::string& failure) {
    auto task = std::make_shared<std::packaged_task<T()>>(std::move(fn));
    std::future<T> result = task->get_future();
    // Taken by the pool thread that starts the handler, or by this thread at the deadline, so
    // that a handler not started in time is never started: its push was answered already.
    auto taken = std::make_shared<std::atomic<bool>>(false);
    std::function<void()> job = [task, taken] {
      if (!taken->exchange(true)) (*task)();
    };
    if (!block_pool->try_submit(job)) {
      failure = "was not called: the dispatcher is closed, or all " + std::to_string(options.max_block_threads) +
                " Block handler threads are busy and as many pushes wait already (max_block_threads)";
      return std::nullopt;
    }
    if (result.wait_for(options.block_deadline) != std::future_status::ready) {
      const std::string deadline = std::to_string(options.block_deadline.count()) + " ms Block deadline";
      failure = taken->exchange(true)
                    ? "missed the " + deadline
                    : "was not started within the " + deadline + ": every Block handler thread was busy";
      return std::nullopt;
    }
    try {
      return result.get();
    } catch (const std::exception& e) {
      failure = std::string("threw: ") + e.what();
    } catch (...) {
      failure = "threw a non-standard exception";
    }
    return std::nullopt;
  }

  // Claims `key` (kept by `claims`, so it must outlive them); true when its item is to be
  // delivered: new, or keyless. Sets `busy` when another request holds the key.
  bool claim_one(const std::string& key, Claims& claims, bool& busy) {
    if (key.empty()) return true;  // nothing to deduplicate on: always deliver
    const DedupClaim claim = claims.claim(key);
    if (claim.state == DedupClaim::State::kInProgress) busy = true;
    return claim.state == DedupClaim::State::kNew;
  }

  // Claims each key; returns indexes of items to deliver (new or keyless). Sets `busy` when
  // some item is claimed by another request.
  std::vector<std::size_t> claim_all(const std::vector<std::string>& keys, Claims& claims,
                                     bool& busy) {
    std::vector<std::size_t> fresh;
    std::unordered_set<std::string> in_this_push;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      // Repeated inside one push? (A one-item push, the common case, cannot repeat itself.)
      if (keys.size() > 1 && !keys[i].empty() && !in_this_push.insert(keys[i]).second) continue;
      if (claim_one(keys[i], claims, busy)) fresh.push_back(i);
    }
    return fresh;
  }

  // Calls `handler` with the fresh items; commits their keys on success. On failure `claims`
  // releases them.
  template <typename Fn>
  Outcome deliver_claimed(Claims& claims, bool busy, bool has_fresh, Fn&& call) {
    if (!has_fresh) {
      if (busy) throw InProgressElsewhere();
      counters.duplicates.fetch_add(1);
      return Outcome::kDuplicate;
    }
    try {
      call();
    } catch (...) {
      counters.handler_failures.fetch_add(1);
      throw;
    }
    claims.commit();
    counters.delivered.fetch_add(1);
    return Outcome::kDelivered;
  }

  // Calls `handler` for a notification that is never deduplicated.
  template <typename Fn>
  Outcome deliver_unkeyed(Fn&& call) {
    Claims none(*this);
    return deliver_claimed(none, false, true, std::forward<Fn>(call));
  }

  // Delivers a Notify notification. Throws what the handler threw (or InProgressElsewhere).
  // `push_key` names the push itself (its app and nonce) when known: kinds without an id of
  // their own are deduplicated on it, so a re-push with the original header is not
  // delivered twice while a new push of the same content still is.
  Outcome deliver_notify(const Notification& notification, const std::string& push_key = {}) {
    if (const auto* event = std::get_if<CallEvent>(&notification)) {
      if (!handlers.on_call_event) return unhandled();
      const std::string key = event_key(*event);
      Claims claims(*this);
      bool busy = false;
      const bool fresh = claim_one(key, claims, busy);
      return deliver_claimed(claims, busy, fresh, [&] { handlers.on_call_event(*event); });
    }
    if (const auto* fee = std::get_if<FeeNotification>(&notification)) {
      if (!handlers.on_fee) return unhandled();
      std::vector<std::string> keys;
      for (const FeeRecord& r : fee->records) keys.push_back(fee_key(r));
      Claims claims(*this);
      bool busy = false;
      const auto fresh = claim_all(keys, claims, busy);
      if (fresh.size() == fee->records.size()) {
        return deliver_claimed(claims, busy, !fee->records.empty(),
                               [&] { handlers.on_fee(*fee); });
      }
      FeeNotification subset;
      for (std::size_t i : fresh) subset.records.push_back(fee->records[i]);
      return deliver_claimed(claims, busy, !fresh.empty(), [&] { handlers.on_fee(subset); });
    }
    if (const auto* status = std::get_if<NumberStatusNotification>(&notification)) {
      if (!handlers.on_number_status) return unhandled();
      // Deduplicated only on the push itself: a status push carries no id and no time, so
      // the same (number, status, cause) legitimately comes again (normal, paused, normal),
      // and dropping it would leave the application with a stale state. A re-push with the
      // original header carries the same nonce, and is recognised by it.
      return deliver_once(push_key, [&] { handlers.on_number_status(*status); });
    }
    if (const auto* sms = std::get_if<SmsNotification>(&notification)) {
      if (!handlers.on_sms) return unhandled();
      const std::string key = sms_key(*sms);
      Claims claims(*this);
      bool busy = false;
      const bool fresh = claim_one(key, claims, busy);
      return deliver_claimed(claims, busy, fresh, [&] { handlers.on_sms(*sms); });
    }
    const auto& unknown = std::get<UnknownNotification>(notification);
    if (!handlers.on_unknown) return unhandled();
    return deliver_once(push_key, [&] { handlers.on_unknown(unknown); });
  }

  // Delivers a notification with no id of its own, deduplicated on the push's key if any.
  template <typename Fn>
  Outcome deliver_once(const std::string& push_key, Fn&& call) {
    if (push_key.empty()) return deliver_unkeyed(std::forward<Fn>(call));
    Claims claims(*this);
    bool busy = false;
    const bool fresh = claim_one(push_key, claims, busy);
    return deliver_claimed(claims, busy, fresh, std::forward<Fn>(call));
  }

  Outcome unhandled() {
    counters.unhandled.fetch_add(1);
    return Outcome::kUnhandled;
  }

  // The serialised answer of a Block handler, or nullopt with `failure` set when it threw, was
  // late, answered something invalid or could not be run at all (no thread, no memory): the
  // caller answers the fallback then, as a Block push needs an answer whatever happened.
  template <typename Answer, typename Push, typename Serialize>
  std::optional<std::string> run_block_handler(const std::function<Answer(const Push&)>& handler,
                                               const Push& push, Serialize& serialize_answer,
                                               std::string& failure) {
    try {
      std::function<Answer()> call = [handler, push] { return handler(push); };
      std::optional<Answer> answer = run_with_deadline(std::move(call), failure);
      if (!answer) return std::nullopt;
      Result<std::string> body = serialize_answer(*answer);
      if (body) return std::move(body).value();
      failure = "returned an invalid answer: " + body.error().message;
    } catch (const std::exception& e) {
      failure = std::string("could not be run: ") + e.what();
    }
    return std::nullopt;
  }

  // Answers a Block push: a cached answer for a re-push, else the handler's answer within
  // the deadline, else `fallback`. `what` names the push kind in logs.
  template <typename Answer, typename Push, typename Serialize>
  WebhookReply answer_block(const std::string& key, const std::string& what,
                            const std::function<Answer(const Push&)>& handler, const Push& push,
                            Serialize serialize_answer, const Answer& fallback,
                            std::string_view last_resort, Tally& tally) {
    Claims claims(*this);
    if (!key.empty()) {
      const DedupClaim claim = claims.claim(key);
      if (claim.state == DedupClaim::State::kSeen) {
        tally.outcome = PushOutcome::kDuplicate;
        counters.duplicates.fetch_add(1);
        log(LogLevel::kInfo, "duplicate " + what + " answered with the stored answer");
        return json_reply(200, claim.answer);
      }
      if (claim.state == DedupClaim::State::kInProgress) {
        tally.outcome = PushOutcome::kUnavailable;
        counters.busy.fetch_add(1);
        return error_reply(503, "", "the same " + what + " is being answered already");
      }
    }
    std::string failure = "has no handler registered";
    if (handler) {
      if (std::optional<std::string> body =
              run_block_handler(handler, push, serialize_answer, failure)) {
        claims.commit(*body);
        tally.outcome = PushOutcome::kDelivered;
        counters.delivered.fetch_add(1);
        return json_reply(200, std::move(*body));
      }
      tally.outcome = PushOutcome::kFallback;
      counters.handler_failures.fetch_add(1);
      log(LogLevel::kError, what + " handler " + failure + "; answering the fallback");
    } else {
      tally.outcome = PushOutcome::kUnhandled;
      counters.unhandled.fetch_add(1);
      log(LogLevel::kWarning, what + " " + failure + "; answering the fallback");
    }
    claims.release();
    counters.block_fallbacks.fetch_add(1);
    Result<std::string> body = serialize_answer(fallback);
    return json_reply(200, body ? std::move(body).value() : std::string(last_resort));
  }

  WebhookReply answer_x_mode(const CallEvent& event, Tally& tally) {
    return answer_block<XModeAnswer>(
        event_key(event), "X-mode Block callin", handlers.on_x_mode_callin, event,
        [this](const XModeAnswer& a) { return serialize(a, options.x_mode_answer_form); },
        options.x_mode_fallback, kLastResortCloseAnswer, tally);
  }

  WebhookReply answer_sms_block(const SmsNotification& sms, Tally& tally) {
    return answer_block<SmsBlockAnswer>(
        sms_key(sms), "SMS Block push", handlers.on_sms_block, sms,
        [](const SmsBlockAnswer& a) { return serialize(a); }, options.sms_block_fallback,
        kLastResortDiscardAnswer, tally);
  }

  static bool is_block(const Notification& notification) {
    if (const auto* event = std::get_if<CallEvent>(&notification)) return event->is_block_callin();
    if (const auto* sms = std::get_if<SmsNotification>(&notification)) return sms->is_block();
    return false;
  }

  // Counts, logs and answers a push whose signature check failed. The log and the body say
  // why, except that an unknown app key and a wrong digest get the same body: telling them
  // apart would let anyone probe which app keys this receiver serves. (A stale or replayed
  // push passed the digest check, so its sender knows the secret already.)
  WebhookReply refuse_unverified(const WebhookRequest& request, const Verification& verification) {
    if (verification.nonce_store_unavailable) {
      counters.store_unavailable.fetch_add(1);
      log(LogLevel::kError, "answering 503 to a push (the platform will push it again): " +
                                verification.detail);
      return error_reply(503, "", "temporarily unable to check the push");
    }
    if (verification.failure == VerifyFailure::kReplayed) {
      counters.replayed.fetch_add(1);
    } else if (verification.http_status == 400) {
      counters.bad_auth_headers.fetch_add(1);
    } else {
      counters.unauthenticated.fetch_add(1);
    }
    const std::string reason(to_string(verification.failure));
    log_refusal(request, "signature check failed (" + reason + "): " + verification.detail);
    if (verification.failure == VerifyFailure::kUnknownApp ||
        verification.failure == VerifyFailure::kBadDigest) {
      return error_reply(401, "", "authentication failed: the signature does not verify under "
                                  "any app secret configured here");
    }
    return error_reply(verification.http_status, verification.result_code,
                       reason + ": " + verification.detail);
  }

  WebhookReply handle(const WebhookRequest& request) {
    counters.received.fetch_add(1);
    if (request.method != "POST") {
      counters.method_not_allowed.fetch_add(1);
      WebhookReply reply = error_reply(405, "", "only POST is accepted");
      reply.headers.add("Allow", "POST");
      return reply;
    }
    if (!options.paths.empty() &&
        std::find(options.paths.begin(), options.paths.end(), request.path) ==
            options.paths.end()) {
      counters.not_found.fetch_add(1);
      return error_reply(404, "", "no receiver at this path");
    }
    if (request.body.size() > options.max_body_bytes) {
      counters.too_large.fetch_add(1);
      return error_reply(413, "", "body too large");
    }
    // Parsed at most once: before verification only when the re-push grace needs to know
    // whether this is a Notify push, else after it.
    std::optional<Result<Notification>> parsed_once;
    const auto parsed_body = [&]() -> const Result<Notification>& {
      if (!parsed_once) parsed_once.emplace(parse_notification(request.body, options.parse_limits));
      return *parsed_once;
    };
    const auto is_notify = [&] {
      const Result<Notification>& parsed = parsed_body();
      return parsed.ok() && !is_block(*parsed);
    };
    // With a queue, a Notify push's nonce is remembered as the push is queued, in one step
    // (one round trip to a fleet's Redis): check() first, then the queue settles the nonce.
    PendingNonce pending;
    Verification verification = queue ? verifier->check(request.headers, request.body, is_notify, pending)
                                      : verifier->verify(request.headers, request.body, is_notify);
    bool queued = false;
    if (!pending.key.empty()) {
      std::optional<Result<NonceSighting>> seen;
      if (is_notify()) {
        seen = queue->remember_and_enqueue(verifier->nonce_store(), pending.use(), pending.now,
                                           {request.body, join_key('n', {verification.app_key, verification.nonce})});
      }
      if (seen) {
        queued = seen->ok();
      } else {  // a Block push, or a queue that does not keep nonces: two steps
        seen = verifier->nonce_store().remember(pending.use(), pending.now);
      }
      verification = verifier->settle(std::move(verification), pending, *seen);
    }
    if (!verification.ok) return refuse_unverified(request, verification);
    if (verification.repush) {
      log(LogLevel::kInfo, "re-push with the original header (nonce seen before with the same "
                           "body) to " + loggable_path(request.path) +
                               "; answered like a duplicate");
    }
    const Result<Notification>& parsed = parsed_body();
    if (!parsed) {
      counters.malformed_body.fetch_add(1);
      log_refusal(request, parsed.error().message);
      return error_reply(400, "", parsed.error().message);
    }
    const Notification& notification = *parsed;
    Tally tally(*this, kind_of(notification));
    if (is_block(notification)) {
      try {
        if (const auto* event = std::get_if<CallEvent>(&notification)) return answer_x_mode(*event, tally);
        return answer_sms_block(std::get<SmsNotification>(notification), tally);
      } catch (const StoreUnavailable&) {
        // The dedupe store could not say whether this was answered before: 503, never a 200
        // that could repeat an answer or skip the handler's.
        tally.outcome = PushOutcome::kUnavailable;
        throw;  // answered 503 by Dispatcher::handle
      }
    }
    const std::string push_key =
        verification.nonce.empty() ? std::string()
                                   : join_key('n', {verification.app_key, verification.nonce});
    if (queued) {
      tally.outcome = PushOutcome::kQueued;
      counters.spooled.fetch_add(1);
      return WebhookReply{};
    }
    if (queue) {
      Result<std::string> stored = queue->enqueue({request.body, push_key});
      if (!stored) {
        tally.outcome = PushOutcome::kUnavailable;
        counters.busy.fetch_add(1);
        log(LogLevel::kError, "could not queue a push (the platform will push it again): " +
                                  stored.error().message);
        return error_reply(503, "", "temporarily unable to store the push");
      }
      tally.outcome = PushOutcome::kQueued;
      counters.spooled.fetch_add(1);
      return WebhookReply{};
    }
    try {
      const Outcome outcome = deliver_notify(notification, push_key);
      tally.outcome = outcome;
      if (outcome == Outcome::kDuplicate) {
        log(LogLevel::kInfo, "duplicate push to " + loggable_path(request.path) +
                                 " acknowledged without delivering it again");
      }
      return WebhookReply{};
    } catch (const InProgressElsewhere&) {
      tally.outcome = PushOutcome::kUnavailable;
      counters.busy.fetch_add(1);
      return error_reply(503, "", "the same notification is being handled already");
    } catch (const StoreUnavailable&) {
      tally.outcome = PushOutcome::kUnavailable;
      throw;  // answered 503 by Dispatcher::handle
    } catch (const std::exception& e) {
      log(LogLevel::kError, std::string("handler threw (answering 500 so the platform pushes "
                                        "again): ") + e.what());
    } catch (...) {
      log(LogLevel::kError, "handler threw a non-standard exception (answering 500)");
    }
    return error_reply(500, "", "handler failed; push again");
  }
};

Dispatcher::Dispatcher(std::shared_ptr<WebhookVerifier> verifier, WebhookHandlers handlers,
                       DispatcherOptions options)
    : impl_(std::make_unique<Impl>()) {
  if (!verifier) {
    throw std::invalid_argument(
        "privacycall::webhook::Dispatcher needs a WebhookVerifier (for development, set "
        "VerifierOptions::insecure_accept_unsigned_requests_for_local_development_only)");
  }
  impl_->verifier = std::move(verifier);
  impl_->handlers = std::move(handlers);
  impl_->options = std::move(options);
  // As many pushes may wait for a thread as there are threads: beyond that, waiting would
  // only end in the fallback answer at the deadline anyway.
  impl_->block_pool = std::make_unique<privacycall::internal::BoundedPool>(impl_->options.max_block_threads,
                                                               impl_->options.max_block_threads);
  impl_->dedup = impl_->options.dedup_store ? impl_->options.dedup_store
                                            : std::make_shared<MemoryDedupStore>();
}

Dispatcher::~Dispatcher() { close(); }

WebhookReply Dispatcher::handle(const WebhookRequest& request) {
  // Observes the time taken however this returns.
  struct Timed {
    LatencyHistogram& histogram;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    ~Timed() { histogram.observe(std::chrono::steady_clock::now() - started); }
  } timed{impl_->handle_latency};
  try {
    return impl_->handle(request);
  } catch (const StoreUnavailable& e) {
    // Never a 200: nothing was stored or delivered, and the platform pushes again later.
    impl_->counters.store_unavailable.fetch_add(1);
    impl_->log(LogLevel::kError, std::string("answering 503 to a push (the platform will push "
                                             "it again): ") + e.what());
    return error_reply(503, "", "temporarily unable to store the push");
  } catch (const std::exception& e) {
    // Out of memory or a throwing DedupStore: never let it escape into the HTTP server.
    impl_->log(LogLevel::kError, std::string("internal error while handling a push: ") + e.what());
  } catch (...) {
    impl_->log(LogLevel::kError, "internal error while handling a push");
  }
  return error_reply(500, "", "internal error");
}

Result<std::size_t> Dispatcher::enable_spool(SpoolOptions options) {
  if (impl_->queue) return queue_in_use_error();
  if (!options.log) options.log = impl_->options.log;
  Result<std::unique_ptr<internal::SpoolPushQueue>> spool =
      internal::SpoolPushQueue::open(std::move(options));
  if (!spool) return std::move(spool).error();
  const std::size_t recovered = (*spool)->recovered();
  Result<std::uint64_t> used = use_queue(std::move(spool).value());
  if (!used) return std::move(used).error();
  return recovered;
}

Result<std::uint64_t> Dispatcher::use_queue(std::shared_ptr<PushQueue> queue) {
  if (impl_->queue) return queue_in_use_error();
  if (!queue) {
    Error error;
    error.category = ErrorCategory::kValidation;
    error.message = "use_queue needs a queue (got null)";
    return error;
  }
  impl_->queue = std::move(queue);
  impl_->queue->start([this](const QueuedPush& push) { deliver(push); });
  return impl_->queue->stats().depth;
}

std::shared_ptr<PushQueue> Dispatcher::queue() const { return impl_->queue; }

bool Dispatcher::wait_until_spool_drained(std::chrono::milliseconds timeout) {
  return !impl_->queue || impl_->queue->wait_until_drained(timeout);
}

void Dispatcher::stop() {
  if (impl_->queue) impl_->queue->stop();
}

void Dispatcher::close() {
  stop();
  impl_->close_block_pool();
}

void Dispatcher::deliver(std::string_view body) { deliver(QueuedPush{std::string(body), {}}); }

void Dispatcher::deliver(const QueuedPush& push) {
  Result<Notification> parsed = parse_notification(push.body, impl_->options.parse_limits);
  if (!parsed) {
    impl_->log(LogLevel::kError, "dropping a stored push that no longer parses: " +
                                     parsed.error().message);
    return;
  }
  Impl::Tally tally(*impl_, kind_of(*parsed));
  try {
    tally.outcome = impl_->deliver_notify(*parsed, push.push_key);
  } catch (const StoreUnavailable&) {
    tally.outcome = PushOutcome::kUnavailable;
    throw;
  }
}

DispatcherStats Dispatcher::stats() const {
  const Impl::Counters& c = impl_->counters;
  DispatcherStats s;
  s.received = c.received.load();
  s.delivered = c.delivered.load();
  s.duplicates = c.duplicates.load();
  s.handler_failures = c.handler_failures.load();
  s.block_fallbacks = c.block_fallbacks.load();
  s.spooled = c.spooled.load();
  s.unhandled = c.unhandled.load();
  s.block_handlers_running = impl_->block_pool->running();
  s.block_handlers_abandoned = impl_->block_handlers_abandoned.load();
  s.rejected.method_not_allowed = c.method_not_allowed.load();
  s.rejected.not_found = c.not_found.load();
  s.rejected.too_large = c.too_large.load();
  s.rejected.bad_auth_headers = c.bad_auth_headers.load();
  s.rejected.unauthenticated = c.unauthenticated.load();
  s.rejected.replayed = c.replayed.load();
  s.rejected.malformed_body = c.malformed_body.load();
  s.rejected.busy = c.busy.load();
  s.rejected.store_unavailable = c.store_unavailable.load();
  s.rejected.signature = impl_->verifier->stats().refused;
  for (std::size_t kind = 0; kind < kPushKindCount; ++kind) {
    for (std::size_t outcome = 0; outcome < kPushOutcomeCount; ++outcome) {
      s.pushes.counts[kind][outcome] = c.pushes[kind][outcome].load();
    }
  }
  s.handle_latency = impl_->handle_latency.snapshot();
  return s;
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook
