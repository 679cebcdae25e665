#!/usr/bin/env bash
# One command for every benchmark: builds in Release, starts the baselines (nginx on loopback),
# runs the benchmarks and prints figures and ratios. Loopback only; every loop is bounded.
# nginx answers the client bench with a fixed bind response and the receiver bench (same wrk
# command as the receiver and `privacycall listen`) with an empty `return 200` on /cdr.
#   bash bench/run.sh [--seconds N] [--httplib-prefix DIR]
# --httplib-prefix builds against the cpp-httplib installed in DIR (its CMake package) instead of
# Debian's, in build-bench-httplib-VERSION: the receivers' figures on the release vcpkg and Conan
# users get. `bash scripts/compat.sh httplib` installs the newest tested one into
# build-compat/deps/httplib-VERSION.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=3
httplib_prefix=
while (($#)); do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --httplib-prefix) httplib_prefix=$(realpath "$2"); shift 2 ;;
    *) echo "bench/run.sh: unknown option $1 (--seconds N, --httplib-prefix DIR)" >&2; exit 2 ;;
  esac
done
bash scripts/install-deps.sh bench
build=build-bench
configure=()
if [[ -n "$httplib_prefix" ]]; then
  version=$(sed -n 's/^#define CPPHTTPLIB_VERSION "\(.*\)"$/\1/p' "$httplib_prefix/include/httplib.h" 2>/dev/null || true)
  [[ -n "$version" ]] || { echo "bench/run.sh: no cpp-httplib in $httplib_prefix" >&2; exit 2; }
  build=build-bench-httplib-$version
  # -U: a cached httplib_DIR from an earlier prefix of the same version would win over this one.
  configure=(-DCMAKE_PREFIX_PATH="$httplib_prefix" -Uhttplib_DIR)
fi
mkdir -p "$build"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPRIVACYCALL_BUILD_BENCH=ON \
  -DPRIVACYCALL_BUILD_TESTS=OFF "${configure[@]}" >"$build/configure.log" || { cat "$build/configure.log"; exit 1; }
if [[ -n "$httplib_prefix" ]]; then
  # Found in the prefix, not Debian's copy through pkg-config (see cmake/privacycallFindHttplib.cmake).
  grep -q "^httplib_DIR:PATH=$httplib_prefix/" "$build/CMakeCache.txt" ||
    { grep -F "privacycall: cpp-httplib" "$build/configure.log"; echo "bench/run.sh: cpp-httplib was not taken from $httplib_prefix" >&2; exit 1; }
fi
cmake --build "$build" -j"$(nproc)" >"$build/build.log" || { cat "$build/build.log"; exit 1; }

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
./$build/bench/bench_sign --seconds 1
echo
./$build/bench/bench_client --url "http://127.0.0.1:$port/rest/caas/relationnumber/partners/v1.0" --seconds 0.5 --rounds 9
echo
./$build/bench/bench_receiver --baseline "http://127.0.0.1:$port/cdr" --lua bench/bench_receiver.lua \
  --listen ./$build/tools/cli/privacycall --seconds "$seconds"
echo
# The fleet on Redis, when this build has it (privacycall::webhook_redis) and redis-server is here.
if command -v redis-server >/dev/null && compgen -G "$build/src/libprivacycall_webhook_redis.*" >/dev/null; then
  python3 bench/bench_fleet.py --cli ./$build/tools/cli/privacycall --seconds "$seconds"
fi
