// Typed answer fields: a coded field keeps a code the SDK does not know, and a number keeps the
// platform's text when it is not in global format. Both must survive a round trip unchanged.
#include <privacycall/ax.hpp>
#include <privacycall/axe.hpp>
#include <privacycall/coded.hpp>
#include <privacycall/common.hpp>
#include <privacycall/wire_number.hpp>

#include <optional>
#include <string>

#include "client/wire.hpp"
#include "support/catch.hpp"

namespace {

using privacycall::CallDirection;
using privacycall::Coded;
using privacycall::DisplayNumber;
using privacycall::PhoneNumber;
using privacycall::WireNumber;
using privacycall::internal::AnswerJson;

// Member "v" of the answer `{"v": value}`, read as the client reads a coded field.
template <typename Enum>
std::optional<Coded<Enum>> code_of(const std::string& value) {
  AnswerJson answer;
  REQUIRE_FALSE(privacycall::internal::parse_json(R"({"v":)" + value + "}", 16, "answer", answer).has_value());
  return privacycall::internal::read_code<Enum>(answer, "v");
}

}  // namespace

TEST_CASE("a known code decodes to its enum value and keeps its wire code") {
  const auto direction = Coded<CallDirection>::from_raw(2);
  CHECK(direction.value() == CallDirection::kCalleeToCaller);
  CHECK(direction == CallDirection::kCalleeToCaller);
  CHECK(direction != CallDirection::kBoth);
  CHECK(direction.known());
  CHECK(direction.raw() == 2);
  // Built from the enum, a code carries the wire code the request side sends.
  CHECK(Coded<CallDirection>(CallDirection::kCallerToCallee).raw() == 1);
  CHECK(Coded<CallDirection>(CallDirection::kCallerToCallee) == Coded<CallDirection>::from_raw(1));

  const Coded<privacycall::AxeTimeUnit> unit = Coded<privacycall::AxeTimeUnit>::from_raw("1");
  CHECK(unit == privacycall::AxeTimeUnit::kMinutes);
  CHECK(Coded<privacycall::PrivateNumType>(privacycall::PrivateNumType::kMobileVirtual).raw() == "mobile-virtual");
}

TEST_CASE("an unknown code keeps its raw value and round-trips") {
  const auto direction = Coded<CallDirection>::from_raw(7);
  CHECK(direction == CallDirection::kUnknown);
  CHECK_FALSE(direction.known());
  CHECK(direction.raw() == 7);
  CHECK(Coded<CallDirection>::from_raw(direction.raw()) == direction);
  // Two different unknown codes are different codes, though both mean kUnknown.
  CHECK(Coded<CallDirection>::from_raw(8) != direction);

  const auto unit = Coded<privacycall::AxeTimeUnit>::from_raw("2");
  CHECK(unit == privacycall::AxeTimeUnit::kUnknown);
  CHECK(unit.raw() == "2");
  CHECK(Coded<privacycall::AxeTimeUnit>::from_raw(unit.raw()) == unit);
}

TEST_CASE("text codes match ignoring case and surrounding spaces, and keep the text as sent") {
  const auto type = Coded<privacycall::PrivateNumType>::from_raw(" Mobile-Virtual ");
  CHECK(type == privacycall::PrivateNumType::kMobileVirtual);
  CHECK(type.raw() == " Mobile-Virtual ");
  CHECK(Coded<privacycall::PrivateNumType>::from_raw("mobile virtual") == privacycall::PrivateNumType::kUnknown);
}

TEST_CASE("the client reads a coded field sent as a number or as text") {
  CHECK(code_of<DisplayNumber>("1") == DisplayNumber::kRealCaller);
  CHECK(code_of<DisplayNumber>(R"("0")") == DisplayNumber::kPrivacyNumber);
  CHECK(code_of<DisplayNumber>("5")->raw() == 5);
  CHECK(code_of<DisplayNumber>("5") == DisplayNumber::kUnknown);
  CHECK_FALSE(code_of<DisplayNumber>(R"("x")"));  // not an integer: absent, the answer still reads
  CHECK(code_of<privacycall::AxeTimeUnit>("1") == privacycall::AxeTimeUnit::kMinutes);
}

TEST_CASE("a number in global format is a PhoneNumber; a malformed one keeps its text") {
  const WireNumber good("+8613800000021");
  REQUIRE(good.phone());
  CHECK(*good.phone() == PhoneNumber("+8613800000021"));
  CHECK(good == PhoneNumber("+8613800000021"));
  CHECK(good.masked() == "+86138****0021");

  const WireNumber masked("+86138****0021");  // as the platform's own examples show numbers
  CHECK_FALSE(masked.phone());
  CHECK(masked.raw() == "+86138****0021");
  CHECK(masked == "+86138****0021");
  CHECK(WireNumber(masked.raw()) == masked);

  const WireNumber national("13800000021");  // no country code: not global format
  CHECK_FALSE(national.phone());
  CHECK(national.raw() == "13800000021");

  CHECK(WireNumber().empty());
  CHECK_FALSE(WireNumber().phone());
}

TEST_CASE("kUnknown is never sent") {
  privacycall::internal::Validator validator;
  privacycall::internal::check_code(validator, "callDirection", std::optional<CallDirection>(CallDirection::kUnknown));
  REQUIRE(validator.error());
  CHECK(validator.error()->category == privacycall::ErrorCategory::kValidation);
  CHECK(validator.error()->message.find("callDirection") != std::string::npos);

  privacycall::internal::Validator accepts;
  privacycall::internal::check_code(accepts, "callDirection", std::optional<CallDirection>(CallDirection::kBoth));
  CHECK_FALSE(accepts.error());
}
