#!/usr/bin/env bash
# One command for every benchmark: builds in Release, starts the baselines (nginx on loopback),
# runs the benchmarks and prints figures and ratios. Loopback only; every loop is bounded.
# nginx answers the client bench with a fixed bind response and the receiver bench (same wrk
# command as the receiver and `privacycall listen`) with an empty `return 200` on /cdr.
#   bash bench/run.sh [--seconds N]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=3
[[ "${1:-}" == "--seconds" ]] && seconds=$2
bash scripts/install-deps.sh bench
cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DPRIVACYCALL_BUILD_BENCH=ON \
  -DPRIVACYCALL_BUILD_TESTS=OFF >/dev/null
cmake --build build-bench -j"$(nproc)" >build-bench/build.log || { cat build-bench/build.log; exit 1; }

work=$(mktemp -d)
cleanup() {
  [[ -f "$work/nginx.pid" ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $work; proxy_temp_path $work; fastcgi_temp_path $work; uwsgi_temp_path $work; scgi_temp_path $work;
  server {
    listen 127.0.0.1:$port;
    location = /cdr {
      return 200;
    }
    location / {
      default_type application/json;
      return 200 '{"resultcode":"0","resultdesc":"Success","subscriptionId":"bench-1","relationNum":"+8675500000001"}';
    }
  }
}
CONF
nginx -c "$work/nginx.conf"
for _ in $(seq 50); do curl -s "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr)"
echo
./build-bench/bench/bench_sign --seconds 1
echo
./build-bench/bench/bench_client --url "http://127.0.0.1:$port/rest/caas/relationnumber/partners/v1.0" --seconds 0.5 --rounds 9
echo
./build-bench/bench/bench_receiver --baseline "http://127.0.0.1:$port/cdr" --lua bench/bench_receiver.lua \
  --listen ./build-bench/tools/cli/privacycall --seconds "$seconds"
echo
# The fleet on Redis, when this build has it (privacycall::webhook_redis) and redis-server is here.
if command -v redis-server >/dev/null && compgen -G "build-bench/src/libprivacycall_webhook_redis.*" >/dev/null; then
  python3 bench/bench_fleet.py --cli ./build-bench/tools/cli/privacycall --seconds "$seconds"
fi
