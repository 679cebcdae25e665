#!/usr/bin/env bash
# Every test: installs dependencies, builds everything in Release with warnings as errors, and
# runs the whole suite through ctest (unit, integration over loopback, black-box, examples).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
jobs=$(nproc)
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DPRIVACYCALL_WARNINGS_AS_ERRORS=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"
