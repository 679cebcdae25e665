# Finds what the SDK's targets link against, for the build. The minimum versions are kept here
# once: privacycallConfig.cmake (for consumers of the installed package), the pkg-config files
# and the vcpkg/Conan recipes use the same numbers (tests/packaging/test_recipes.py checks it).
#
# Each floor is a release the project's own builds were run against (docs/install.md, "Tested
# dependency versions"), except OpenSSL's:
#   libcurl 7.61        7.61.1 (RHEL 8) in scripts/compat.sh; Debian 12's 7.88.1 by default
#   cpp-httplib 0.11    Debian 12's 0.11.4 by default; 0.53.1, the newest tried, in scripts/compat.sh
#   nlohmann_json 3.11  Debian 12's 3.11.2
#   GoogleTest 1.10     the first with MOCK_METHOD; Debian 12's 1.12.1 (gMock, for privacycall::mocks)
#   OpenSSL 1.1.1       NOT tested: every build here has Debian 12's OpenSSL 3.0; the 1.1.1
#                       branch of src/common/sha256.cpp is written to its documentation only
set(PRIVACYCALL_CURL_MIN_VERSION 7.61)
set(PRIVACYCALL_OPENSSL_MIN_VERSION 1.1.1)
set(PRIVACYCALL_NLOHMANN_JSON_MIN_VERSION 3.11)
set(PRIVACYCALL_HTTPLIB_MIN_VERSION 0.11)
set(PRIVACYCALL_HTTPLIB_NEWEST_TESTED_VERSION 0.53.1)
# hiredis 0.14    Debian 12's 0.14.1 (privacycall::webhook_redis only)
set(PRIVACYCALL_HIREDIS_MIN_VERSION 0.14)
set(PRIVACYCALL_GTEST_MIN_VERSION 1.10)

find_package(OpenSSL ${PRIVACYCALL_OPENSSL_MIN_VERSION} REQUIRED COMPONENTS Crypto)
find_package(nlohmann_json ${PRIVACYCALL_NLOHMANN_JSON_MIN_VERSION} REQUIRED)
find_package(Threads REQUIRED)

# With OpenSSL 3 the libraries that call OpenSSL are compiled without its deprecated API
# (target_compile_definitions(... PRIVATE ${PRIVACYCALL_OPENSSL_NO_DEPRECATED})), so that a
# deprecated call fails the build instead of warning.
set(PRIVACYCALL_OPENSSL_NO_DEPRECATED "")
if(OPENSSL_VERSION VERSION_GREATER_EQUAL 3)
  set(PRIVACYCALL_OPENSSL_NO_DEPRECATED OPENSSL_API_COMPAT=0x30000000L OPENSSL_NO_DEPRECATED)
endif()

# libcurl is the client's transport only: a receiver-only build does not look for it.
if(PRIVACYCALL_CLIENT)
  find_package(CURL ${PRIVACYCALL_CURL_MIN_VERSION} REQUIRED)
endif()

# cpp-httplib serves the testing kit's FakePlatform and the webhook server.
if(PRIVACYCALL_WEBHOOK_SERVER OR PRIVACYCALL_TESTING)
  include(privacycallFindHttplib)
  if(NOT PRIVACYCALL_HTTPLIB_FOUND)
    message(FATAL_ERROR "privacycall: cpp-httplib >= ${PRIVACYCALL_HTTPLIB_MIN_VERSION} not found "
      "(neither its CMake package nor the cpp-httplib pkg-config module, or only an older one). Install it, or configure "
      "with -DPRIVACYCALL_WEBHOOK_SERVER=OFF -DPRIVACYCALL_TESTING=OFF.")
  endif()
endif()

# hiredis serves privacycall::webhook_redis, built when found (PRIVACYCALL_REDIS=AUTO), always
# (ON: a missing hiredis fails the configuration) or never (OFF).
set(PRIVACYCALL_REDIS_ENABLED OFF)
if(NOT PRIVACYCALL_REDIS STREQUAL "OFF")
  include(privacycallFindHiredis)
  if(PRIVACYCALL_HIREDIS_FOUND)
    set(PRIVACYCALL_REDIS_ENABLED ON)
  elseif(PRIVACYCALL_REDIS STREQUAL "ON")
    message(FATAL_ERROR "privacycall: hiredis >= ${PRIVACYCALL_HIREDIS_MIN_VERSION} not found (neither its "
      "CMake package nor the pkg-config module hiredis, or only an older one; Debian: libhiredis-dev). Install it, or configure with -DPRIVACYCALL_REDIS=AUTO or OFF.")
  else()
    message(STATUS "privacycall: hiredis not found; privacycall::webhook_redis is not built")
  endif()
endif()

# gMock is needed only by the mock connections, privacycall::mocks, which are left out when it
# is missing (or when the parent project of an add_subdirectory() build has no GTest::gmock).
if(PRIVACYCALL_MOCKS AND NOT TARGET GTest::gmock)
  find_package(GTest ${PRIVACYCALL_GTEST_MIN_VERSION} QUIET)
endif()
