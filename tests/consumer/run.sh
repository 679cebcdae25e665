#!/usr/bin/env bash
# Consumer builds: the SDK's libraries are built and installed to a temporary prefix, then
# outside projects are built against that prefix and run — find_package with each target, a
# plain compiler line with pkg-config, and the Conan test_package — and one more project uses
# add_subdirectory on the source tree. Each consumer program asserts what it does.
#
# usage: tests/consumer/run.sh [--cmake CMAKE] [--generator G] [--cxx COMPILER] [--work DIR]
#                              [--jobs N] [MODE...]
#   shared            BUILD_SHARED_LIBS=ON, every library the source tree has
#   static            BUILD_SHARED_LIBS=OFF, the same
#   core-only         shared, PRIVACYCALL_TESTING=OFF and PRIVACYCALL_WEBHOOK_SERVER=OFF
#   add_subdirectory  the source tree vendored into an outside project
# Without MODE, all four. --work keeps the builds there (reused next time); default: a
# temporary directory removed at exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
cmake=cmake
generator=""
cxx=${CXX:-c++}
work=""
jobs=2
modes=()
while (($#)); do
  case "$1" in
    --cmake) cmake=$2; shift 2 ;;
    --generator) generator=$2; shift 2 ;;
    --cxx) cxx=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    shared | static | core-only | add_subdirectory) modes+=("$1"); shift ;;
    *) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
((${#modes[@]})) || modes=(shared static core-only add_subdirectory)
if [[ -z $work ]]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"
work=$(cd "$work" && pwd)

version=$(tr '\n' ' ' <"$source_dir/CMakeLists.txt" | sed -E 's/.*project\(privacycall[^)]*VERSION ([0-9.]+).*/\1/')
system_pkg_config_path=${PKG_CONFIG_PATH:-}
cmake_args=(-DCMAKE_CXX_COMPILER="$cxx")
[[ -z $generator ]] || cmake_args+=(-G "$generator")

fail() {
  echo "FAIL ($mode): $*" >&2
  exit 1
}

# logged NAME COMMAND...: runs COMMAND with its output in $dir/NAME.log, shown only on failure.
logged() {
  local log="$dir/$1.log"
  shift
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    fail "$*"
  fi
}

# cmake_project NAME SOURCE [ARGS...]: configures and builds SOURCE in a fresh $dir/NAME.
cmake_project() {
  local name=$1 source=$2
  shift 2
  rm -rf "${dir:?}/$name"
  logged "$name-configure" "$cmake" -S "$source" -B "$dir/$name" "${cmake_args[@]}" "$@"
  logged "$name-build" "$cmake" --build "$dir/$name" --parallel "$jobs"
}

# run_programs DIR PROGRAM...: runs each program; each prints "<name>: ok" or fails.
run_programs() {
  local bin=$1 program
  shift
  for program in "$@"; do
    [[ -x $bin/$program ]] || fail "$program was not built in $bin"
    "$bin/$program" || fail "$program failed"
  done
}

# consumer_programs COMPONENT...: the consumer programs for the core and these components.
consumer_programs() {
  local component
  echo core_consumer
  for component in "$@"; do echo "${component}_consumer"; done
}

# ---- the installed SDK ----------------------------------------------------------------------
install_sdk() {
  local shared=$1
  shift
  prefix="$dir/prefix"
  rm -rf "$prefix"
  logged sdk-configure "$cmake" -S "$source_dir" -B "$dir/sdk" "${cmake_args[@]}" \
    -DBUILD_SHARED_LIBS="$shared" -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib \
    -DPRIVACYCALL_BUILD_TESTS=OFF -DPRIVACYCALL_BUILD_EXAMPLES=OFF -DPRIVACYCALL_BUILD_CLI=OFF \
    -DPRIVACYCALL_INSTALL=ON "$@"
  logged sdk-build "$cmake" --build "$dir/sdk" --parallel "$jobs"
  logged sdk-install "$cmake" --install "$dir/sdk"

  # Which optional libraries were installed, from the files themselves; the CMake package and
  # the pkg-config files must then agree with them.
  components=()
  local component pc
  for component in testing webhook_server; do
    pc="$prefix/lib/pkgconfig/privacycall-${component//_/-}.pc"
    if compgen -G "$prefix/lib/libprivacycall_$component.*" >/dev/null; then
      components+=("$component")
      [[ -f $pc ]] || fail "libprivacycall_$component is installed without $pc"
    else
      [[ ! -e $pc ]] || fail "$pc is installed without its library"
    fi
  done
  if [[ " ${components[*]} " != *" testing "* ]]; then
    [[ ! -e $prefix/include/privacycall/testing ]] || fail "testing headers installed without the library"
  fi
  if [[ " ${components[*]} " != *" webhook_server "* ]]; then
    [[ -z $(find "$prefix/include" -path '*/webhook*/server.hpp') ]] ||
      fail "the webhook server header is installed without the library"
  fi
  local library=libprivacycall.so
  [[ $shared == ON ]] || library=libprivacycall.a
  [[ -e $prefix/lib/$library ]] || fail "$library is not installed"
  # Shared optional libraries find the core beside them (a program may not load it itself).
  if [[ $shared == ON ]]; then
    for component in "${components[@]}"; do
      readelf -d "$prefix/lib/libprivacycall_$component.so" | grep -Eq '(RUNPATH|RPATH).*\[\$ORIGIN\]' ||
        fail "libprivacycall_$component.so has no \$ORIGIN run path"
    done
  fi
  echo "== $mode: installed privacycall $version to $prefix (components: ${components[*]:-none})"
}

# ---- consumer (a): find_package ------------------------------------------------------------
consume_with_find_package() {
  local expected
  expected=$(IFS=';' && echo "${components[*]}")
  cmake_project find_package "$here/find_package" -DCMAKE_PREFIX_PATH="$prefix" \
    -DEXPECTED_PREFIX="$prefix" -DEXPECTED_VERSION="$version" -DEXPECTED_COMPONENTS="$expected"
  # CMake gives the programs an RPATH to the installed libraries: no LD_LIBRARY_PATH.
  run_programs "$dir/find_package" $(consumer_programs "${components[@]}")
}

# ---- consumer (c): a plain compiler line with pkg-config -----------------------------------
# Debian's libcurl.pc names in Libs.private the static libraries of curl's own dependencies,
# which Debian does not install, so `pkg-config --static` of anything requiring libcurl cannot
# link there. Such third-party modules are shadowed by a copy without their private fields
# (they are then linked as the shared libraries they are); privacycall's own files are used as
# installed.
shadow_unlinkable_static_modules() {
  local overlay="$dir/pkgconfig-overlay" module pcfile
  rm -rf "$overlay"
  mkdir -p "$overlay"
  for module in $(pkg-config --print-requires-private "$@" | awk '{print $1}' | sort -u); do
    if ! echo 'int main() { return 0; }' |
      "$cxx" -x c++ - -o "$dir/probe" $(pkg-config --static --libs "$module") >/dev/null 2>&1; then
      pcfile="$(pkg-config --variable=pcfiledir "$module")/$module.pc"
      sed -e '/^Libs.private:/d' -e '/^Requires.private:/d' "$pcfile" >"$overlay/$module.pc"
      echo "== $mode: note: the static dependencies of $module are not installed; linking it shared"
    fi
  done
  PKG_CONFIG_PATH="$prefix/lib/pkgconfig:$overlay${system_pkg_config_path:+:$system_pkg_config_path}"
}

consume_with_pkg_config() {
  local shared=$1 static_flag=() modules=(privacycall) component module program flags
  for component in "${components[@]}"; do modules+=("privacycall-${component//_/-}"); done
  export PKG_CONFIG_PATH="$prefix/lib/pkgconfig${system_pkg_config_path:+:$system_pkg_config_path}"
  [[ $(pkg-config --modversion privacycall) == "$version" ]] || fail "pkg-config reports another version"
  if [[ $shared == OFF ]]; then
    static_flag=(--static)
    [[ $(pkg-config --print-requires-private privacycall) == *libcurl* ]] || fail "privacycall.pc lacks libcurl"
    shadow_unlinkable_static_modules "${modules[@]}"
  fi
  mkdir -p "$dir/pkg-config"
  for module in "${modules[@]}"; do
    program=core_consumer
    [[ $module == privacycall ]] || program="${module#privacycall-}_consumer"
    program=${program//-/_}
    flags=$(pkg-config "${static_flag[@]}" --cflags --libs "$module")
    logged "pkg-config-$program" "$cxx" -std=c++17 -o "$dir/pkg-config/$program" \
      "$here/src/$program.cpp" $flags -Wl,-rpath,"$prefix/lib"
    # The program is linked to the library kind that was installed.
    if [[ $shared == ON ]]; then
      readelf -d "$dir/pkg-config/$program" | grep -q 'NEEDED.*libprivacycall' ||
        fail "$program does not load a shared libprivacycall"
    elif readelf -d "$dir/pkg-config/$program" | grep -q 'libprivacycall'; then
      fail "$program loads a shared libprivacycall in a static install"
    fi
  done
  run_programs "$dir/pkg-config" $(consumer_programs "${components[@]}")
}

# ---- the Conan test_package, with plain CMake ----------------------------------------------
consume_with_conan_test_package() {
  cmake_project test_package "$source_dir/packaging/conan/test_package" -DCMAKE_PREFIX_PATH="$prefix"
  run_programs "$dir/test_package" test_package
}

# ---- consumer (b): add_subdirectory --------------------------------------------------------
consume_with_add_subdirectory() {
  cmake_project add_subdirectory "$here/add_subdirectory" -DPRIVACYCALL_SOURCE_DIR="$source_dir"
  local built=(testing)
  [[ ! -x $dir/add_subdirectory/webhook_server_consumer ]] || built+=(webhook_server)
  run_programs "$dir/add_subdirectory" $(consumer_programs "${built[@]}")
}

for mode in "${modes[@]}"; do
  dir="$work/$mode"
  mkdir -p "$dir"
  case "$mode" in
    shared | static)
      shared=ON
      [[ $mode == shared ]] || shared=OFF
      install_sdk "$shared"
      [[ " ${components[*]} " == *" testing "* ]] || fail "the default build did not install privacycall::testing"
      consume_with_find_package
      consume_with_pkg_config "$shared"
      consume_with_conan_test_package
      ;;
    core-only)
      install_sdk ON -DPRIVACYCALL_TESTING=OFF -DPRIVACYCALL_WEBHOOK_SERVER=OFF
      ((${#components[@]} == 0)) || fail "optional libraries were installed: ${components[*]}"
      consume_with_find_package
      consume_with_pkg_config ON
      ;;
    add_subdirectory)
      consume_with_add_subdirectory
      ;;
  esac
  echo "== $mode: every consumer built and ran"
done
