#!/usr/bin/env bash
# Every test. Installs dependencies, then:
#   1. Release build, warnings as errors, the whole ctest suite (unit, integration over
#      loopback, black-box, examples, the API reference);
#   2. shared libraries: the C++ suites against them, and each library's exported symbols
#      against its list in abi/ (docs/abi.md);
#   3. compatibility: the client suites against libcurl 7.61.1, the webhook server, simulator
#      and CLI suites against cpp-httplib 0.53.1 (scripts/compat.sh);
#   4. the same suite as 1 under AddressSanitizer + UndefinedBehaviorSanitizer;
#   5. the C++ suites (unit, integration, webhook server) under ThreadSanitizer;
#   6. the libFuzzer targets: checked-in regressions, then a bounded fuzzing run each.
# `bash scripts/test.sh --quick` runs stage 1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
[[ "${1:-}" == "--quick" ]] && quick=1
if ((quick)); then bash scripts/install-deps.sh docs; else bash scripts/install-deps.sh docs fuzz; fi
jobs=$(nproc)

stage() { echo; echo "=== $*"; }

stage "1/6 release build and full suite"
# The benchmarks are built (not run) so that they keep compiling against the API.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DPRIVACYCALL_WARNINGS_AS_ERRORS=ON \
  -DPRIVACYCALL_BUILD_BENCH=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"
((quick)) && exit 0

stage "2/6 shared libraries: C++ suites and exported symbols"
# What a shared build adds to stage 1: every library links with only what the others export, the
# suites pass through the libraries' exported interface, and the interface is the one in abi/.
# Without the CLI and the examples, whose code stage 1 already ran.
cmake -S . -B build-shared -G Ninja -DCMAKE_BUILD_TYPE=Release -DPRIVACYCALL_WARNINGS_AS_ERRORS=ON \
  -DBUILD_SHARED_LIBS=ON -DPRIVACYCALL_BUILD_CLI=OFF -DPRIVACYCALL_BUILD_EXAMPLES=OFF >/dev/null
cmake --build build-shared -j"$jobs"
ctest --test-dir build-shared --output-on-failure -j"$jobs" --no-tests=error \
  -R '^(abi:|unit_tests:|webhook_unit_tests:|integration_tests:|webhook_server_tests:|redis_store_tests:|mock_example_tests:)'

stage "3/6 compatibility: oldest libcurl, newest cpp-httplib"
bash scripts/compat.sh

stage "4/6 address and undefined-behaviour sanitizers, full suite"
# Line tables only (-g1): enough for the sanitizers' stack traces, far cheaper to compile than -g.
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 \
  -DPRIVACYCALL_SANITIZE=address,undefined >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"

stage "5/6 thread sanitizer, C++ suites"
# The concurrency lives in the libraries, which the C++ suites drive in-process; the CLI, its
# black-box tests and the examples add build time on two cores and no threads of their own.
cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DPRIVACYCALL_SANITIZE=thread \
  -DPRIVACYCALL_BUILD_EXAMPLES=OFF -DPRIVACYCALL_BUILD_CLI=OFF >/dev/null
cmake --build build-tsan -j"$jobs"
TSAN_OPTIONS="halt_on_error=1 suppressions=$PWD/tests/tsan.supp" \
  ctest --test-dir build-tsan --output-on-failure -j"$jobs"

stage "6/6 fuzzing"
bash tests/fuzz/run.sh 20
