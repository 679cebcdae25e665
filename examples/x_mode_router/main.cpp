// X mode: the platform keeps no binding. When someone dials the privacy number X it pushes a
// Block `callin` to the app's call-status URL and waits for the answer: connect to a number the
// app chooses, or close. This receiver is that router: a small routing table picks the callee
// by the caller (a customer reaches their own courier); a caller not in the table hears a tone
// and is released.
//
// The in-process FakePlatform dials three calls to X and follows the typed answers
// (block_answers.hpp); the call events and CDRs it then pushes prove where each call went. The
// program exits 1 unless every call went where the table said.

#include <privacycall/phone_number.hpp>
#include <privacycall/testing/fake_platform.hpp>
#include <privacycall/webhook/block_answers.hpp>
#include <privacycall/webhook/dispatcher.hpp>
#include <privacycall/webhook/server.hpp>
#include <privacycall/webhook/verifier.hpp>

#include <condition_variable>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace {

namespace webhook = privacycall::webhook;
using privacycall::PhoneNumber;

std::string masked(const std::optional<privacycall::WireNumber>& number) { return number ? number->masked() : "-"; }

// What the receiver learnt about one call (one sessionId).
struct CallSeen {
  std::string routed_to;                   // the callee our answer chose; empty: we closed it
  std::vector<webhook::CallEvent> events;  // the Notify events that followed
  std::optional<webhook::FeeRecord> cdr;
};

}  // namespace

int main() try {
  using namespace std::chrono_literals;

  // The routing table: caller -> the courier who delivers their order.
  const std::map<std::string, PhoneNumber> couriers = {
      {"+8613800000041", PhoneNumber("+8613900000001")},
      {"+8613800000042", PhoneNumber("+8613900000002")},
  };

  std::mutex mutex;
  std::condition_variable arrived;
  std::map<std::string, CallSeen> calls;  // by sessionId

  webhook::WebhookHandlers handlers;
  // The Block callin: decide where the call goes. Runs under the dispatcher's Block deadline;
  // if it threw or was late the caller would get DispatcherOptions::x_mode_fallback (close).
  handlers.on_x_mode_callin = [&](const webhook::CallEvent& e) {
    std::lock_guard<std::mutex> lock(mutex);
    CallSeen& call = calls[e.session_id.value_or("")];
    const auto courier = couriers.find(e.caller ? e.caller->raw() : std::string());
    if (courier == couriers.end()) {
      std::cout << "    callin from " << masked(e.caller) << ": not in the table, close\n";
      webhook::XModeClose release;
      release.close_hint_tone = "no_order_found.wav";
      return webhook::XModeAnswer::close(release);
    }
    std::cout << "    callin from " << masked(e.caller) << ": connect to " << courier->second.masked() << "\n";
    call.routed_to = courier->second.str();
    webhook::XModeConnect route(courier->second);
    route.max_duration = 10min;
    route.user_data = "order-of-" + courier->first.substr(courier->first.size() - 2);
    return webhook::XModeAnswer::connect(route);
  };
  handlers.on_call_event = [&](const webhook::CallEvent& e) {
    std::lock_guard<std::mutex> lock(mutex);
    calls[e.session_id.value_or("")].events.push_back(e);
    arrived.notify_all();
  };
  handlers.on_fee = [&](const webhook::FeeNotification& fee) {
    std::lock_guard<std::mutex> lock(mutex);
    for (const auto& record : fee.records) calls[record.session_id.value_or("")].cdr = record;
    arrived.notify_all();
  };

  privacycall::testing::FakePlatformOptions sim;
  auto verifier = std::make_shared<webhook::WebhookVerifier>();
  verifier->add_app(sim.app_key, sim.app_secret);
  webhook::WebhookServer server(std::make_shared<webhook::Dispatcher>(verifier, handlers));
  const std::string url = "http://127.0.0.1:" + std::to_string(server.start().value());
  sim.status_url = url + "/status";  // X mode asks this URL where each call goes
  sim.fee_url = url + "/fee";
  privacycall::testing::FakePlatform platform(sim);
  std::cout << "==> router listening on " << url << "\n";

  // No binding exists on this X, so the simulator treats every call to it as X mode.
  const PhoneNumber x("+8617000000001");
  const std::vector<std::string> callers = {"+8613800000041", "+8613800000042", "+8613800000043"};
  std::vector<std::string> sessions;
  for (const auto& caller : callers) {
    std::cout << "==> " << PhoneNumber::mask_phone_number(caller) << " dials " << x.masked() << "\n";
    sessions.push_back(platform.simulate_call({caller, x.str(), std::nullopt, 20s}).value());
  }

  {
    std::unique_lock<std::mutex> lock(mutex);
    const bool all_cdrs = arrived.wait_for(lock, 20s, [&] {
      for (const auto& session : sessions) {
        if (!calls[session].cdr) return false;
      }
      return true;
    });
    if (!all_cdrs) {
      std::cerr << "not every call's CDR arrived\n";
      return 1;
    }
  }
  if (!platform.wait_for_pushes(20s)) {
    std::cerr << "the simulator still had pushes pending\n";
    return 1;
  }

  // What the platform reported proves where each call went.
  std::lock_guard<std::mutex> lock(mutex);
  bool ok = true;
  for (std::size_t i = 0; i < sessions.size(); ++i) {
    const CallSeen& call = calls[sessions[i]];
    const auto courier = couriers.find(callers[i]);
    const std::string expected = courier == couriers.end() ? std::string() : courier->second.str();
    std::optional<privacycall::WireNumber> called_out;
    bool answered = false;
    for (const auto& e : call.events) {
      if (e.event_type == webhook::CallEventType::kCallOut) called_out = e.called;
      if (e.event_type == webhook::CallEventType::kAnswer) answered = true;
    }
    const webhook::FeeRecord& cdr = *call.cdr;
    std::cout << "    " << masked(cdr.caller_num) << ": " << call.events.size() << " events, callout to "
              << masked(called_out) << ", CDR fwdDstNum " << masked(cdr.fwd_dst_num) << ", userData "
              << cdr.user_data.value_or("-") << "\n";
    ok = ok && call.routed_to == expected;  // our handler answered this call
    if (!expected.empty()) {
      const auto is_expected = [&](const std::optional<privacycall::WireNumber>& n) { return n && n->raw() == expected; };
      ok = ok && is_expected(called_out) && answered && is_expected(cdr.fwd_dst_num) &&
           cdr.user_data == "order-of-" + callers[i].substr(callers[i].size() - 2);
    } else {
      ok = ok && !called_out && !answered && !cdr.fwd_answer_time;
    }
  }
  std::cout << (ok ? "==> every call went where the routing table said\n" : "==> FAILED\n");
  return ok ? 0 : 1;
} catch (const privacycall::Exception& e) {
  std::cerr << "x_mode_router example failed: " << e.error().to_string() << "\n";
  return 1;
}
