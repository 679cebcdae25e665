#!/usr/bin/env bash
# The main job: installs dependencies, builds, and runs the end-to-end quickstart against the
# embedded simulator (or the real platform when PRIVACYCALL_BASE_URL/APP_KEY/APP_SECRET are set).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target quickstart privacycall_cli -j"$(nproc)"
exec ./build/examples/quickstart
