#include <privacycall/webhook/codes.hpp>

#include "common/text.hpp"

#include <algorithm>
#include <iterator>

namespace privacycall::webhook {
PRIVACYCALL_INLINE_NAMESPACE_BEGIN
namespace {

using Category = HangupCauseCategory;

struct HangupRow {
  int code;
  Category category;
  std::string_view text;
};

// codes.md §1, the categorised table (newest wording).
constexpr HangupRow kHangupCauses[] = {
    {0, Category::kNormal, "Call was connected and a party hung up normally"},
    {522, Category::kPlatform, "Platform voice ports insufficient"},
    {7001, Category::kControl, "Developer-level call-frequency control"},
    {7002, Category::kControl, "Application-level call-frequency control"},
    {7003, Category::kControl, "Display-number call-frequency control"},
    {7004, Category::kControl, "Callee blacklist control"},
    {7005, Category::kControl, "Caller blacklist control"},
    {7100, Category::kTenant, "Application information does not exist"},
    {7101, Category::kTenant, "Application has not applied for privacy-number resources"},
    {7102, Category::kPlatform, "Other abnormal behaviour (internal)"},
    {7105, Category::kTenant, "Service type mismatch"},
    {7106, Category::kTenant, "Application has no PrivateNumber capability"},
    {7107, Category::kControl, "Playing the security-control prompt failed"},
    {7108, Category::kTenant, "User (tenant) status frozen"},
    {7109, Category::kControl, "Tenant voice ports insufficient"},
    {7500, Category::kControl, "Call prefix restricted"},
    {7501, Category::kCaller, "Caller hung up before the callee started ringing"},
    {7502, Category::kCaller, "Caller hung up after the callee started ringing"},
    {7503, Category::kCallee, "Callee rejected the call"},
    {7504, Category::kCallee,
     "Call refused: callee rejected, has do-not-disturb/blacklist services, or the callee's "
     "system intercepted it"},
    {7505, Category::kNetwork, "Caller-side network abnormal"},
    {7506, Category::kNetwork, "Callee-side network abnormal (e.g. bound number has a wrong format)"},
    {7507, Category::kTenant, "No announcement file"},
    {7508, Category::kNetwork, "Routing failed"},
    {7516, Category::kCaller,
     "Caller hung up before the call was transferred (e.g. before entering the extension)"},
    {8006, Category::kTenant, "X-mode announcement file does not exist"},
    {8007, Category::kPlatform, "Playing the last-minute prompt failed"},
    {8008, Category::kPlatform, "Play-and-collect to the user failed"},
    {8010, Category::kTenant, "Released because the maximum call duration was exceeded"},
    {8011, Category::kPlatform, "Other abnormal behaviour (internal)"},
    {8013, Category::kBinding, "Invalid AX call: an AX binding exists but no temporary callee is set"},
    {8014, Category::kBinding,
     "Invalid AXB/X call: binding missing, number format wrong, or (X mode) an invalid Block "
     "response"},
    {8015, Category::kPlatform, "Recording the user failed"},
    {8016, Category::kBinding, "AX/AXB: call direction not allowed by the binding"},
    {8018, Category::kControl, "No service permission (includes: AX binding missing)"},
    {8019, Category::kBinding, "No callback record (AXE/AX, A dials X)"},
    {8020, Category::kPlatform, "Other abnormal behaviour (internal)"},
    {8022, Category::kBinding, "Binding missing or expired (AXE, B dials X)"},
    {8023, Category::kControl, "Fixed-line numbers may not be the caller"},
    {8024, Category::kControl, "\"Show real caller number\" mode not allowed"},
    {8025, Category::kNumber, "The dialled X number does not exist (AXE)"},
    {8030, Category::kBinding, "AXYB binding does not exist"},
    {8031, Category::kBinding, "AXYB: allocating the Y number failed during the call"},
    {8032, Category::kCaller, "AXYB: a bound original number dialled its own privacy number"},
    {8033, Category::kCaller, "The received extension number was empty"},
    {8035, Category::kCallee, "Platform connection timeout (about 90 s after the transfer)"},
    {8040, Category::kPlatform, "Other abnormal behaviour (internal)"},
    {8041, Category::kPlatform, "Recording the user failed"},
    {8042, Category::kControl, "International incoming calls restricted"},
    {8043, Category::kControl, "International outgoing calls restricted"},
    {8044, Category::kControl, "Abnormal call-duration control"},
    {8046, Category::kControl, "Abnormal connection-rate control"},
    {8047, Category::kControl, "Caller call-frequency control"},
    {8048, Category::kControl, "Callee call-frequency control"},
    {8049, Category::kControl, "Service-number call-frequency control"},
    {8050, Category::kControl, "Calling time-window restriction"},
    {8051, Category::kControl, "Sub-enterprise suspended"},
    {8055, Category::kControl, "X number unavailable; calls and SMS disabled"},
    {8056, Category::kControl, "Dial-test number control"},
    {8057, Category::kControl, "Call-direction control"},
    {8100, Category::kCallee, "Callee number does not exist"},
    {8101, Category::kCallee, "No answer after ringing; timeout decided by the carrier network"},
    {8102, Category::kCallee, "Callee busy (in a call, ringing, ...)"},
    {8103, Category::kCallee, "Callee signal abnormal; the carrier could not reach the callee"},
    {8104, Category::kCallee, "Callee powered off (off, airplane mode, no network)"},
    {8105, Category::kCallee, "Callee's line suspended"},
    {8139, Category::kPlatform, "Other abnormal behaviour (internal)"},
};

struct CodeRow {
  int code;
  std::string_view text;
};

// codes.md §2, the flat teardown-point table.
constexpr CodeRow kTeardownPoints[] = {
    {0, "Normal hang-up after connect"},
    {522, "Voice ports insufficient"},
    {7001, "Developer call-frequency control"},
    {7002, "Application call-frequency control"},
    {7003, "Display-number call-frequency control"},
    {7004, "Callee blacklist control"},
    {7005, "Caller blacklist control"},
    {7100, "Application information does not exist"},
    {7101, "Application has not applied for privacy-number resources"},
    {7102, "Internal service error"},
    {7103, "Caller number information does not exist"},
    {7104, "AX binding does not exist"},
    {7105, "Service type mismatch"},
    {7106, "Application has no PrivateNumber capability"},
    {7107, "Playing the security-control prompt failed"},
    {7108, "User status frozen"},
    {7109, "Voice ports insufficient"},
    {7500, "Call prefix restricted"},
    {7501, "Caller hung up before the callee rang"},
    {7502, "Caller hung up after the callee rang"},
    {7503, "Callee hung up"},
    {7504, "Call refused"},
    {7505, "Caller-side network abnormal"},
    {7506, "Callee-side network abnormal (e.g. bound number has a wrong format)"},
    {7507, "No announcement file"},
    {7508, "Routing failed"},
    {7516, "Caller hung up before transfer (e.g. AXE: no extension entered)"},
    {8002, "While connecting the user the far end returned a failure tone"},
    {8003, "User ringing timeout"},
    {8004, "User hung up while ringing"},
    {8005, "TTS conversion failed"},
    {8006, "Announcement file does not exist"},
    {8007, "Playing to the user failed"},
    {8008, "Play-and-collect to the user failed"},
    {8009, "Caller hung up before connect"},
    {8010, "Released: maximum call duration exceeded"},
    {8011, "Internal error"},
    {8012, "Invalid app_key"},
    {8013, "Invalid AX call (AX binding exists, no temporary callee)"},
    {8014, "Invalid AXB call"},
    {8015, "Recording the user failed"},
    {8016, "AX/AXB call direction not allowed"},
    {8018, "No service permission (includes: AX binding missing)"},
    {8019, "Callback record does not exist (AXE/AX, A dials X)"},
    {8020, "Service abnormal"},
    {8022, "Binding missing or expired (AXE, B dials X)"},
    {8023, "Fixed-line number not allowed as caller"},
    {8024, "\"Show real caller number\" mode not allowed"},
    {8025, "Dialled X number does not exist (AXE)"},
    {8033, "Received extension number was empty"},
    {8035, "Callee did not answer; ringing timed out"},
    {8040, "Internal error"},
    {8041, "Recording the user failed"},
    {8042, "International incoming restricted"},
    {8043, "International outgoing restricted"},
    {8044, "Abnormal call-duration control"},
    {8046, "Abnormal connection-rate control"},
    {8047, "Caller call-frequency control"},
    {8048, "Callee call-frequency control"},
    {8049, "Service-number call-frequency control"},
    {8050, "Calling time-window restriction"},
    {8051, "Sub-enterprise suspended"},
    {8055, "X number has no call/SMS permission; check the X number status"},
    {8056, "Dial-test number control"},
    {8057, "Call-direction control"},
    {8058, "Practitioner not real-name verified"},
    {8059, "Intercepted by the carrier"},
    {8100, "Callee number does not exist"},
    {8101, "Callee did not answer"},
    {8102, "Callee busy (in a call, ringing, ...)"},
    {8103, "Callee temporarily unreachable"},
    // Not in the PrivateNumber copy; Huawei VoiceCall (same platform family) lists these.
    {8104, "Callee powered off (inferred)"},
    {8105, "Callee hung up or suspended (inferred)"},
    {8106, "Caller number does not exist (inferred)"},
    {8107, "Caller did not answer (inferred)"},
    {8108, "Caller busy (inferred)"},
    {8109, "Caller temporarily unreachable (inferred)"},
    {8110, "Caller powered off (inferred)"},
    {8111, "Caller hung up or suspended (inferred)"},
};

struct Q850Row {
  int code;
  std::string_view huawei;
  std::string_view itu;
};

// codes.md §3.
constexpr Q850Row kQ850[] = {
    {0, "Not applicable", "Not applicable"},
    {1, "Number cannot be found", "Unallocated (unassigned) number"},
    {2, "Cannot route to network", "No route to specified transit network"},
    {3, "Cannot route to destination", "No route to destination"},
    {4, "Special message sent", "Send special information tone"},
    {5, "Trunk prefix error", "Misdialled trunk prefix"},
    {6, "Channel cannot be accessed", "Channel unacceptable"},
    {7, "Channel already established", "Call awarded and delivered in an established channel"},
    {8, "Preemption", "Preemption"},
    {9, "Preemption, reserved", "Preemption - circuit reserved for reuse"},
    {16, "Normal call clearing", "Normal call clearing"},
    {17, "User busy", "User busy"},
    {18, "No answer", "No user responding"},
    {19, "No user answer", "No answer from user (user alerted)"},
    {20, "User unreachable", "Subscriber absent"},
    {21, "Call rejected", "Call rejected"},
    {22, "Number changed", "Number changed"},
    {23, "Redirected", "Redirection to new destination"},
    {25, "Exchange routing error", "Exchange routing error"},
    {26, "No user permission", "Non-selected user clearing"},
    {27, "Destination out of order", "Destination out of order"},
    {28, "Invalid number format", "Invalid number format (address incomplete)"},
    {29, "Facility rejected", "Facility rejected"},
    {30, "Status enquiry", "Response to STATUS ENQUIRY"},
    {31, "Normal", "Normal, unspecified"},
    {34, "Route unreachable", "No circuit/channel available"},
    {38, "Network in bad state", "Network out of order"},
    {39, "Service link down", "Permanent frame mode connection out of service"},
    {40, "Link in progress", "Permanent frame mode connection operational"},
    {41, "Temporary failure", "Temporary failure"},
    {42, "Equipment congestion", "Switching equipment congestion"},
    {43, "Information discarded", "Access information discarded"},
    {44, "Channel cannot be accessed", "Requested circuit/channel not available"},
    {46, "Call blocked", "Precedence call blocked"},
    {47, "No resource available", "Resource unavailable, unspecified"},
    {49, "Quality not available", "Quality of service not available"},
    {50, "Facility not subscribed", "Requested facility not subscribed"},
    {53, "Closed user group: outgoing barred (OCB)", "Outgoing calls barred within CUG"},
    {55, "Closed user group: incoming barred (ICB)", "Incoming calls barred within CUG"},
    {57, "No permission to send", "Bearer capability not authorized"},
    {58, "Sending not available", "Bearer capability not presently available"},
    {62, "Class inconsistency",
     "Inconsistency in outgoing access information and subscriber class"},
    {63, "Service not available", "Service or option not available, unspecified"},
    {65, "Sending cannot be executed", "Bearer capability not implemented"},
    {66, "Channel cannot be executed", "Channel type not implemented"},
    {69, "Facility not available", "Requested facility not implemented"},
    {70, "Sending available (restricted)",
     "Only restricted digital information bearer capability is available"},
    {79, "Service not set", "Service or option not implemented, unspecified"},
    {81, "Invalid reference value", "Invalid call reference value"},
    {82, "Channel does not exist", "Identified channel does not exist"},
    {83, "ID does not exist", "A suspended call exists, but this call identity does not"},
    {84, "Call ID does not exist", "Call identity in use"},
    {85, "No call waiting", "No call suspended"},
    {86, "Hidden-number call", "Call having the requested call identity has been cleared"},
    {87, "Not a CUG member", "User not member of CUG"},
    {88, "Destination conflict", "Incompatible destination"},
    {90, "CUG does not exist", "Non-existent CUG"},
    {91, "Invalid network", "Invalid transit network selection"},
    {95, "Invalid message", "Invalid message, unspecified"},
    {96, "Unmanaged element", "Mandatory information element is missing"},
    {97, "Type does not exist", "Message type non-existent or not implemented"},
    {98, "Message not executed",
     "Message not compatible with call state or message type non-existent"},
    {99, "Information element does not exist",
     "Information element / parameter non-existent or not implemented"},
    {100, "Invalid information element", "Invalid information element contents"},
    {101, "Call state inconsistent", "Message not compatible with call state"},
    {102, "Timer expired", "Recovery on timer expiry"},
    {103, "Parameter does not exist", "Parameter non-existent or not implemented - passed on"},
    {110, "Message contains unrecognised parameter",
     "Message with unrecognized parameter discarded"},
    {111, "Protocol error", "Protocol error, unspecified"},
    {127, "Unspecified interworking", "Interworking, unspecified"},
};

struct ResultRow {
  std::string_view code;
  std::string_view text;
};

// codes.md §4 (incomplete in the public docs).
constexpr ResultRow kResultCodes[] = {
    {"0", "Success"},
    {"1010001", "Internal system error"},
    {"1010002", "Invalid request (a parameter is malformed; resultdesc names it)"},
    {"1010003", "Invalid app_key"},
    {"1010004", "The status of the app_key is unavailable"},
    {"1010008", "The status of the app_key is unavailable"},
    {"1010010", "Invalid digest (PasswordDigest check failed), or platform flow control"},
    {"1010013", "Time out limit: Created too far from the platform clock"},
    {"1010021", "Application unavailable"},
    {"1010029", "The subscriber status is frozen (check arrears)"},
    {"1010040", "The app_key is not allowed to invoke the API (API of another mode)"},
    {"1011001", "The account does not exist (X number not owned by this application)"},
    {"1011002", "Insufficient number of resources"},
    {"1011003", "Exceeded the upper limit of resources (AX: A already bound to 5 X numbers)"},
    {"1011004", "Binding or number not found (unbind)"},
    {"1011005", "Resources have been allocated (X already occupied or its quota used up)"},
    {"1012001", "Resource of number is not to be applied (X does not belong to this app_key)"},
    {"1012007", "The record does not exist (e.g. recording expired or wrong fileName)"},
    {"1012008", "Insufficient number of resources (no X number available)"},
    {"1012010", "The number has been bound"},
    {"1012102", "The number status is abnormal (blacklisted, arrears or real-name failure)"},
    {"1016001", "The record does not exist (binding not found for this app)"},
    {"1016002", "The record already exists (pair already bound)"},
    {"1020150", "The app_key is invalid"},
    {"1020152", "Invalid sessionId (call unknown or already ended)"},
    {"1020166", "The app client IP is not in the IP white list"},
    {"1020167", "No idle extend number (AXE)"},
    {"1020176", "Authentication failed, try again later (IP locked after repeated failures)"},
    {"1023006", "Authorization not contained in the HTTP header"},
    {"1023007", "realm not contained in Authorization"},
    {"1023008", "profile not contained in Authorization"},
    {"1023009", "The value of realm in Authorization must be SDP"},
    {"1023010", "The value of profile in Authorization must be UsernameToken"},
    {"1023011", "The value of type in Authorization must be Appkey"},
    {"1023012", "type not contained in Authorization"},
    {"1023013", "WSSE not contained in Authorization"},
    {"1023026", "X-WSSE not contained in the HTTP header"},
    {"1023027", "Username not contained in X-WSSE"},
    {"1023028", "Nonce not contained in X-WSSE"},
    {"1023029", "Created not contained in X-WSSE"},
    {"1023030", "PasswordDigest not contained in X-WSSE"},
    {"1023031", "The format of Created is invalid"},
    {"1023033", "X-AKSK not contained in the HTTP header"},
    {"1023034", "UserName not contained in X-AKSK"},
    {"1023035", "Nonce not contained in X-AKSK"},
    {"1023036", "Created not contained in X-AKSK"},
    {"1023037", "PasswordDigest not contained in X-AKSK"},
    {"1023038", "UsernameToken not contained in X-AKSK"},
};

template <typename Row, std::size_t N>
const Row* find_code(const Row (&table)[N], int code) {
  const auto it = std::find_if(std::begin(table), std::end(table),
                               [code](const Row& row) { return row.code == code; });
  return it == std::end(table) ? nullptr : &*it;
}

using privacycall::internal::trim;

}  // namespace

std::string_view to_string(HangupCauseCategory category) noexcept {
  switch (category) {
    case Category::kNormal: return "normal";
    case Category::kBinding: return "binding";
    case Category::kCaller: return "caller";
    case Category::kNumber: return "number";
    case Category::kCallee: return "callee";
    case Category::kTenant: return "tenant";
    case Category::kControl: return "control";
    case Category::kPlatform: return "platform";
    case Category::kNetwork: return "network";
    case Category::kUnknown: return "unknown";
  }
  return "unknown";
}

std::string_view describe_hangup_cause(int state_code) noexcept {
  if (const HangupRow* row = find_code(kHangupCauses, state_code)) return row->text;
  if (const CodeRow* row = find_code(kTeardownPoints, state_code)) return row->text;
  return "Unknown hang-up cause";
}

HangupCauseCategory hangup_cause_category(int state_code) noexcept {
  const HangupRow* row = find_code(kHangupCauses, state_code);
  return row == nullptr ? Category::kUnknown : row->category;
}

std::string_view describe_teardown_point(int ul_fail_reason) noexcept {
  const CodeRow* row = find_code(kTeardownPoints, ul_fail_reason);
  return row == nullptr ? std::string_view("Unknown teardown point") : row->text;
}

std::string_view describe_q850_cause(int cause) noexcept {
  const Q850Row* row = find_code(kQ850, cause);
  return row == nullptr ? std::string_view("Unknown Q.850 cause") : row->itu;
}

std::string_view q850_huawei_label(int cause) noexcept {
  const Q850Row* row = find_code(kQ850, cause);
  return row == nullptr ? std::string_view("Unknown Q.850 cause") : row->huawei;
}

std::string_view describe_result_code(std::string_view result_code) noexcept {
  const std::string_view code = trim(result_code);
  for (const ResultRow& row : kResultCodes) {
    if (row.code == code) return row.text;
  }
  return "Unknown result code";
}

std::string_view describe(HangupCause cause) noexcept { return describe_hangup_cause(cause.raw()); }

HangupCauseCategory category(HangupCause cause) noexcept { return hangup_cause_category(cause.raw()); }

std::string_view describe(TeardownPoint point) noexcept { return describe_teardown_point(point.raw()); }

std::string_view describe(Q850Cause cause) noexcept { return describe_q850_cause(cause.raw()); }

std::string_view describe(NumberStatus status) noexcept {
  switch (status) {
    case NumberStatus::kNormal: return "Normal";
    case NumberStatus::kPaused: return "Paused: binding, calls and SMS unavailable";
    case NumberStatus::kUnavailable: return "Unavailable: binding, calls and SMS unavailable";
    case NumberStatus::kBindingFrozen:
      return "Binding frozen: no new bindings; existing bindings still work";
    case NumberStatus::kUnknown: return "Unknown number status";
  }
  return "Unknown number status";
}

std::string_view describe(NumberStatusCause cause) noexcept {
  switch (cause) {
    case NumberStatusCause::kDeleted: return "Number deleted";
    case NumberStatusCause::kArrears: return "Arrears";
    case NumberStatusCause::kSuspended: return "Suspended";
    case NumberStatusCause::kCallRestricted: return "X call-restricted by the carrier";
    case NumberStatusCause::kRestrictionLifted: return "Carrier restriction lifted";
    case NumberStatusCause::kUnconditionalForwarding:
      return "X has unconditional call forwarding enabled";
    case NumberStatusCause::kNoAnswerForwarding: return "X has no-answer forwarding enabled";
    case NumberStatusCause::kBusyForwarding: return "X has busy forwarding enabled";
    case NumberStatusCause::kUnknown: return "Unknown number status cause";
  }
  return "Unknown number status cause";
}

bool calls_possible(NumberStatus status) noexcept {
  return status == NumberStatus::kNormal || status == NumberStatus::kBindingFrozen;
}

PRIVACYCALL_INLINE_NAMESPACE_END
}  // namespace privacycall::webhook
