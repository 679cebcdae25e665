// One include for Catch2 3 (when found) or Debian's Catch2 2.
#ifndef PRIVACYCALL_TESTS_CATCH_HPP
#define PRIVACYCALL_TESTS_CATCH_HPP
#if PRIVACYCALL_CATCH2_MAJOR >= 3
#include <catch2/catch_all.hpp>
#else
#include <catch2/catch.hpp>
#endif
#endif
