#!/usr/bin/env bash
# Rewrites abi/libprivacycall_*.symbols, the lists of what each shared library exports, after an
# intended change of the binary interface (docs/abi.md). Builds the libraries shared, in Release
# with GCC as scripts/test.sh's shared stage does (in build-shared, which that stage reuses),
# then runs the abi:symbols tests in update mode. Review `git diff abi/` before committing: each
# line is a name that applications' binaries link against.
set -euo pipefail
cd "$(dirname "$0")/.."
# The same configuration as scripts/test.sh's stage 2, so that either reuses the other's build.
cmake -S . -B build-shared -G Ninja -DCMAKE_BUILD_TYPE=Release -DPRIVACYCALL_WARNINGS_AS_ERRORS=ON \
  -DBUILD_SHARED_LIBS=ON -DPRIVACYCALL_BUILD_CLI=OFF -DPRIVACYCALL_BUILD_EXAMPLES=OFF >/dev/null
cmake --build build-shared -j"$(nproc)" --target privacycall_common privacycall_client \
  privacycall_webhook privacycall_webhook_server privacycall_webhook_redis privacycall_testing
PRIVACYCALL_UPDATE_ABI=1 ctest --test-dir build-shared -R '^abi:symbols:' --no-tests=error --output-on-failure
git status --short abi/
