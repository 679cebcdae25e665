// Wire-form assertions on what a FakePlatform received.
#ifndef PRIVACYCALL_TESTS_RECORDED_HPP
#define PRIVACYCALL_TESTS_RECORDED_HPP

#include <privacycall/testing/fake_platform.hpp>

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace test_support {

/// The last request the platform received; throws when there was none.
inline privacycall::testing::RecordedRequest last_request(const privacycall::testing::FakePlatform& platform) {
  const auto all = platform.requests();
  if (all.empty()) throw std::runtime_error("the platform received no request");
  return all.back();
}

/// The request's JSON body (null when it had none).
inline nlohmann::json body_of(const privacycall::testing::RecordedRequest& request) {
  if (request.body.empty()) return nullptr;
  return nlohmann::json::parse(request.body);
}

}  // namespace test_support

#endif
