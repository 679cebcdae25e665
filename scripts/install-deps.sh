#!/usr/bin/env bash
# Installs what building and testing privacycall needs, from Debian/Ubuntu packages only.
# Skips apt entirely when everything is already there. Needs root (or sudo).
set -euo pipefail

packages=(
  cmake g++ ninja-build pkg-config python3 ca-certificates
  libcurl4-openssl-dev libssl-dev nlohmann-json3-dev libcpp-httplib-dev catch2 libcli11-dev
  libgmock-dev  # privacycall::mocks and its example test
  xz-utils  # scripts/compat.sh unpacks curl's .tar.xz
  libhiredis-dev redis-server  # privacycall::webhook_redis and its tests against a real Redis
)
# Extra groups: scripts/install-deps.sh [fuzz] [bench] [docs]
for extra in "$@"; do
  case "$extra" in
    fuzz) packages+=(clang libclang-rt-dev) ;;
    bench) packages+=(nginx-light wrk) ;;
    docs) packages+=(doxygen) ;;
    *) echo "install-deps: unknown group '$extra'" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

as_root=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root (missing: ${missing[*]})" >&2; exit 1; }
  as_root=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
