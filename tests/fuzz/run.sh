#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan, coverage over the whole SDK), replays
# every checked-in corpus file as a regression test, then fuzzes each target for a bounded
# time from a scratch copy of its corpus. A crash fails the run and leaves the input in
# build-fuzz/crashes/ to be added to tests/fuzz/corpus/ once fixed. Four targets: `run.sh 20`
# (what scripts/test.sh runs) spends 80 s fuzzing; add a target only within that budget.
#   bash tests/fuzz/run.sh [SECONDS_PER_TARGET]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-20}
bash scripts/install-deps.sh fuzz
CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPRIVACYCALL_BUILD_FUZZERS=ON -DPRIVACYCALL_SANITIZE=address,undefined \
  -DPRIVACYCALL_BUILD_TESTS=OFF -DPRIVACYCALL_BUILD_EXAMPLES=OFF -DPRIVACYCALL_BUILD_CLI=OFF \
  -DPRIVACYCALL_TESTING=OFF -DPRIVACYCALL_INSTALL=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc)"
mkdir -p build-fuzz/crashes
for corpus in tests/fuzz/corpus/*/; do
  target=$(basename "$corpus")
  scratch="build-fuzz/corpus-$target"
  rm -rf "$scratch" && mkdir -p "$scratch" && cp "$corpus"* "$scratch"/
  echo "fuzz: $target: replaying $(ls "$corpus" | wc -l) regression inputs, then ${seconds}s of fuzzing"
  "./build-fuzz/tests/fuzz/$target" -runs=0 "$corpus" 2>&1 | tail -1
  "./build-fuzz/tests/fuzz/$target" -max_total_time="$seconds" -print_final_stats=0 \
    -artifact_prefix="build-fuzz/crashes/$target-" "$scratch" 2>&1 | grep -E "DONE|Done [0-9]+ runs|ERROR|SUMMARY" || true
  if ls build-fuzz/crashes/"$target"-* >/dev/null 2>&1; then
    echo "fuzz: $target found a failing input: $(ls build-fuzz/crashes/"$target"-*)" >&2
    exit 1
  fi
done
echo "fuzz: all targets clean"
