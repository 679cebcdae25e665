#!/usr/bin/env bash
# cmake/privacycallFindHiredis.cmake prefers hiredis's CMake package (hiredis >= 1.0, vcpkg's and
# Conan's) to the pkg-config module (Debian's 0.14.1 has only that): stand-in packages, each
# defining hiredis::hiredis, are put on CMAKE_PREFIX_PATH beside the system's hiredis.pc.
#   - version 1.2.0 with a version file that accepts only its major version, as Conan's does:
#     found, so the package is not asked for a version;
#   - no version file, as upstream's first releases with a CMake package: found;
#   - version 0.13.0: older than the floor, not found;
#   - none: the pkg-config module.
# usage: find_hiredis.sh [--cmake CMAKE] --work DIR      exit 77: no hiredis pkg-config module
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cmake=cmake
work=""
while (($#)); do
  case "$1" in
    --cmake) cmake=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    *) echo "find_hiredis.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[[ -n $work ]] || { echo "find_hiredis.sh: --work DIR is required" >&2; exit 2; }
if ! pkg-config --exists hiredis; then
  echo "find_hiredis.sh: no hiredis pkg-config module; skipped"
  exit 77
fi
rm -rf "$work"
mkdir -p "$work"

# stand_in PREFIX VERSION|-: a hiredis CMake package in PREFIX (- : without a version file).
stand_in() {
  local dir="$1/lib/cmake/hiredis"
  mkdir -p "$dir"
  echo 'add_library(hiredis::hiredis INTERFACE IMPORTED)' >"$dir/hiredis-config.cmake"
  [[ $2 != - ]] || return 0
  cat >"$dir/hiredis-config-version.cmake" <<VERSION
set(PACKAGE_VERSION $2)
string(REGEX MATCH "^[0-9]+" _major "\${PACKAGE_VERSION}")
if(PACKAGE_FIND_VERSION AND NOT PACKAGE_FIND_VERSION_MAJOR STREQUAL _major)
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
else()
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
endif()
VERSION
}

# probe NAME EXPECT_FOUND EXPECT_FROM [CMAKE ARGS...]
probe() {
  local name=$1 found=$2 from=$3
  shift 3
  if ! "$cmake" -S "$here/find_hiredis" -B "$work/$name" -DEXPECT_FOUND="$found" -DEXPECT_FROM="$from" "$@" \
    >"$work/$name.log" 2>&1; then
    cat "$work/$name.log" >&2
    echo "FAIL: $name" >&2
    exit 1
  fi
  echo "ok: $name"
}

stand_in "$work/hiredis-1.2.0" 1.2.0
stand_in "$work/hiredis-unversioned" -
stand_in "$work/hiredis-0.13.0" 0.13.0
probe cmake-package TRUE cmake-package -DCMAKE_PREFIX_PATH="$work/hiredis-1.2.0"
probe unversioned-package TRUE cmake-package -DCMAKE_PREFIX_PATH="$work/hiredis-unversioned"
probe older-package FALSE cmake-package -DCMAKE_PREFIX_PATH="$work/hiredis-0.13.0"
probe pkg-config TRUE pkg-config
