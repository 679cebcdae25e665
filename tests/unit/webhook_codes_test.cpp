#include <privacycall/webhook/codes.hpp>

#include "support/catch.hpp"

using namespace privacycall::webhook;

TEST_CASE("hang-up causes: categorised table first, teardown list as fallback, unknown is said") {
  CHECK(describe_hangup_cause(0) == "Call was connected and a party hung up normally");
  CHECK(hangup_cause_category(0) == HangupCauseCategory::kNormal);
  CHECK(describe_hangup_cause(8014).find("Invalid AXB/X call") == 0);
  CHECK(hangup_cause_category(8014) == HangupCauseCategory::kBinding);
  CHECK(describe_hangup_cause(8102) == "Callee busy (in a call, ringing, ...)");
  CHECK(hangup_cause_category(8102) == HangupCauseCategory::kCallee);
  CHECK(hangup_cause_category(7001) == HangupCauseCategory::kControl);
  CHECK(hangup_cause_category(522) == HangupCauseCategory::kPlatform);
  CHECK(hangup_cause_category(7508) == HangupCauseCategory::kNetwork);
  CHECK(hangup_cause_category(8025) == HangupCauseCategory::kNumber);
  CHECK(hangup_cause_category(7516) == HangupCauseCategory::kCaller);
  CHECK(hangup_cause_category(7108) == HangupCauseCategory::kTenant);
  // §1 and §2 word 7503 differently; stateCode uses §1.
  CHECK(describe_hangup_cause(7503) == "Callee rejected the call");
  // 8003 is only in the flat list.
  CHECK(describe_hangup_cause(8003) == "User ringing timeout");
  CHECK(hangup_cause_category(8003) == HangupCauseCategory::kUnknown);
  for (int code : {-1, 1, 8017, 9999, 2147483647}) {
    CHECK(describe_hangup_cause(code) == "Unknown hang-up cause");
  }
  CHECK(to_string(HangupCauseCategory::kCallee) == "callee");
}

TEST_CASE("teardown points, including the inferred 8104-8111") {
  CHECK(describe_teardown_point(0) == "Normal hang-up after connect");
  CHECK(describe_teardown_point(7503) == "Callee hung up");
  CHECK(describe_teardown_point(8059) == "Intercepted by the carrier");
  CHECK(describe_teardown_point(8104).find("(inferred)") != std::string_view::npos);
  CHECK(describe_teardown_point(8111).find("(inferred)") != std::string_view::npos);
  CHECK(describe_teardown_point(8112) == "Unknown teardown point");
  CHECK(describe_teardown_point(-5) == "Unknown teardown point");
}

TEST_CASE("Q.850 causes: ITU meaning and Huawei label") {
  CHECK(describe_q850_cause(16) == "Normal call clearing");
  CHECK(describe_q850_cause(18) == "No user responding");
  CHECK(q850_huawei_label(18) == "No answer");
  CHECK(describe_q850_cause(127) == "Interworking, unspecified");
  CHECK(describe_q850_cause(10) == "Unknown Q.850 cause");
  CHECK(q850_huawei_label(200) == "Unknown Q.850 cause");
}

TEST_CASE("API result codes") {
  CHECK(describe_result_code("0") == "Success");
  CHECK(describe_result_code("1012010") == "The number has been bound");
  CHECK(describe_result_code(" 1010013 ").find("Time out limit") == 0);
  CHECK(describe_result_code("1023033") == "X-AKSK not contained in the HTTP header");
  CHECK(describe_result_code("") == "Unknown result code");
  CHECK(describe_result_code("99999999") == "Unknown result code");
}

TEST_CASE("X-number status and cause") {
  CHECK(privacycall::Coded<NumberStatus>::from_raw("5").value() == NumberStatus::kNormal);
  CHECK(privacycall::Coded<NumberStatus>::from_raw(" 9").value() == NumberStatus::kPaused);
  CHECK(privacycall::Coded<NumberStatus>::from_raw("10").value() == NumberStatus::kUnavailable);
  CHECK(privacycall::Coded<NumberStatus>::from_raw("11").value() == NumberStatus::kBindingFrozen);
  CHECK(privacycall::Coded<NumberStatus>::from_raw("4").value() == NumberStatus::kUnknown);
  CHECK(privacycall::Coded<NumberStatus>::from_raw("").value() == NumberStatus::kUnknown);
  CHECK(privacycall::Coded<NumberStatusCause>::from_raw("2").value() == NumberStatusCause::kArrears);
  CHECK(privacycall::Coded<NumberStatusCause>::from_raw("9").value() == NumberStatusCause::kBusyForwarding);
  CHECK(privacycall::Coded<NumberStatusCause>::from_raw("4").value() == NumberStatusCause::kUnknown);
  CHECK(describe(NumberStatus::kPaused) == "Paused: binding, calls and SMS unavailable");
  CHECK(describe(NumberStatusCause::kSuspended) == "Suspended");
  CHECK(describe(NumberStatus::kUnknown) == "Unknown number status");
  CHECK(calls_possible(NumberStatus::kBindingFrozen));
  CHECK_FALSE(calls_possible(NumberStatus::kUnavailable));
  CHECK_FALSE(calls_possible(NumberStatus::kUnknown));
}
