// gMock inside Catch2 tests: a violated expectation (an unexpected call, a call too many, an
// expectation unmet when its mock is destroyed) fails the running Catch2 test case instead of
// being printed and forgotten. Include it in one file of a test executable; it installs itself.
// The executable is compiled with GTEST_DONT_DEFINE_FAIL/SUCCEED so that Catch2 keeps its
// FAIL and SUCCEED macros.
#ifndef PRIVACYCALL_TESTS_GMOCK_CATCH_HPP
#define PRIVACYCALL_TESTS_GMOCK_CATCH_HPP

#include <gmock/gmock.h>

#include "support/catch.hpp"

namespace privacycall_tests {

// Every gMock failure reaches GoogleTest's listeners, test or no test; this one forwards it.
class GMockFailuresToCatch : public ::testing::EmptyTestEventListener {
 public:
  void OnTestPartResult(const ::testing::TestPartResult& result) override {
    if (!result.failed()) return;
    FAIL_CHECK((result.file_name() ? result.file_name() : "?") << ":" << result.line_number() << ": "
                                                             << result.message());
  }
};

inline const bool kGMockFailuresToCatchInstalled = [] {
  ::testing::UnitTest::GetInstance()->listeners().Append(new GMockFailuresToCatch);
  return true;
}();

}  // namespace privacycall_tests

#endif  // PRIVACYCALL_TESTS_GMOCK_CATCH_HPP
