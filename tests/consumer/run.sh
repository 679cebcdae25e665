#!/usr/bin/env bash
# Consumer builds: the SDK's libraries are built and installed (`cmake --install --prefix`, to
# a prefix not configured), then outside projects are built against that prefix and run —
# find_package with every component and with one component alone, a plain compiler line with
# each component's pkg-config module, and the Conan test_package; the last two after the prefix
# was moved elsewhere, so both packages must be relocatable. One more project uses
# add_subdirectory on the source tree. Each consumer program asserts what it does; the webhook's
# and the webhook on Redis' must neither link nor load libcurl (the client's must, to show the
# check can fail).
#
# usage: tests/consumer/run.sh [--cmake CMAKE] [--generator G] [--cxx COMPILER] [--work DIR]
#                              [--jobs N] [MODE...]
#   shared            BUILD_SHARED_LIBS=ON, every library the source tree has (webhook_redis
#                     required: PRIVACYCALL_REDIS=ON)
#   static            BUILD_SHARED_LIBS=OFF, the same
#   receiver-only     static, PRIVACYCALL_CLIENT=OFF and PRIVACYCALL_TESTING=OFF, configured
#                     with find_package(CURL) disabled: common, webhook, webhook_server and
#                     webhook_redis only
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
    shared | static | receiver-only | add_subdirectory) modes+=("$1"); shift ;;
    *) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
((${#modes[@]})) || modes=(shared static receiver-only add_subdirectory)
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

# cmake_project NAME SOURCE [ARGS...]: configures and builds SOURCE in a fresh $dir/NAME; the
# build's commands are kept in $dir/NAME-build.log.
cmake_project() {
  local name=$1 source=$2
  shift 2
  rm -rf "${dir:?}/$name"
  logged "$name-configure" "$cmake" -S "$source" -B "$dir/$name" "${cmake_args[@]}" "$@"
  logged "$name-build" "$cmake" --build "$dir/$name" --parallel "$jobs" --verbose
}

# link_command LOG PROGRAM: the command in a verbose build log that links PROGRAM.
link_command() {
  grep -E -- "-o ([^ ]*/)?$2( |\$)" "$1" | tail -n 1 || true
}

# check_libcurl NAME PROGRAM LINK_COMMAND yes|no: whether the program links libcurl (in its
# link command: a static SDK's dependencies) or loads it (ldd: a shared SDK's).
check_libcurl() {
  local name=$1 program=$2 command=$3 expected=$4 uses=no loaded
  [[ -n $command ]] || fail "no link command found for $name"
  loaded=$(ldd "$program") || fail "ldd $program failed"
  if grep -Eq -- '-lcurl|libcurl' <<<"$command$loaded"; then
    uses=yes
  fi
  [[ $uses == "$expected" ]] || fail "$name uses libcurl: $uses, expected $expected (link: $command)"
}

# check_consumers_libcurl DIR LOG|-: the webhook's programs use no libcurl, the client's does.
# LOG is the verbose build log, or - for the pkg-config programs (their flags in $dir/*.flags).
check_consumers_libcurl() {
  local bin=$1 log=$2 component expected command
  for component in webhook webhook_redis client; do
    [[ -x $bin/${component}_consumer ]] || continue
    expected=no
    [[ $component != client ]] || expected=yes
    if [[ $log == - ]]; then
      command=$(cat "$bin/${component}_consumer.flags")
    else
      command=$(link_command "$log" "${component}_consumer")
    fi
    check_libcurl "${component}_consumer" "$bin/${component}_consumer" "$command" "$expected"
  done
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

# consumer_programs COMPONENT...: the consumer programs of these components (privacycall: the
# umbrella).
consumer_programs() {
  local component
  for component in "$@"; do echo "${component}_consumer"; done
}

# pc_module COMPONENT: its pkg-config module.
pc_module() {
  if [[ $1 == privacycall ]]; then echo privacycall; else echo "privacycall-${1//_/-}"; fi
}

# ---- the installed SDK ----------------------------------------------------------------------
# Sets prefix (the installation), moved (where it is moved to) and components (the libraries
# installed, privacycall for the umbrella).
install_sdk() {
  local shared=$1
  shift
  prefix="$dir/prefix"
  moved="$dir/moved/elsewhere"
  rm -rf "$prefix" "$dir/moved"
  # No CMAKE_INSTALL_PREFIX: the files must follow `--install --prefix` alone.
  logged sdk-configure "$cmake" -S "$source_dir" -B "$dir/sdk" "${cmake_args[@]}" \
    -DBUILD_SHARED_LIBS="$shared" -DCMAKE_INSTALL_LIBDIR=lib \
    -DPRIVACYCALL_BUILD_TESTS=OFF -DPRIVACYCALL_BUILD_EXAMPLES=OFF -DPRIVACYCALL_BUILD_CLI=OFF \
    -DPRIVACYCALL_INSTALL=ON "$@"
  logged sdk-build "$cmake" --build "$dir/sdk" --parallel "$jobs"
  logged sdk-install "$cmake" --install "$dir/sdk" --prefix "$prefix"

  # Which libraries were installed, from the files themselves; the CMake package and the
  # pkg-config files must then agree with them.
  components=()
  local component pc
  for component in common client webhook webhook_server webhook_redis testing; do
    pc="$prefix/lib/pkgconfig/$(pc_module "$component").pc"
    if compgen -G "$prefix/lib/libprivacycall_$component.*" >/dev/null; then
      components+=("$component")
      [[ -f $pc ]] || fail "libprivacycall_$component is installed without $pc"
    else
      [[ ! -e $pc ]] || fail "$pc is installed without its library"
    fi
  done
  [[ " ${components[*]} " == *" common "* && " ${components[*]} " == *" webhook "* ]] ||
    fail "privacycall::common and privacycall::webhook are always installed"
  if [[ " ${components[*]} " == *" client "* ]]; then
    components+=(privacycall)
    [[ -f $prefix/lib/pkgconfig/privacycall.pc ]] || fail "the umbrella privacycall.pc is missing"
  else
    [[ ! -e $prefix/lib/pkgconfig/privacycall.pc ]] || fail "privacycall.pc is installed without the client"
    [[ ! -e $prefix/include/privacycall/client.hpp ]] || fail "client headers installed without the library"
  fi
  if [[ " ${components[*]} " != *" testing "* ]]; then
    [[ ! -e $prefix/include/privacycall/testing ]] || fail "testing headers installed without the library"
  fi
  if [[ " ${components[*]} " != *" webhook_server "* ]]; then
    [[ -z $(find "$prefix/include" -path '*/webhook*/server.hpp') ]] ||
      fail "the webhook server header is installed without the library"
  fi
  if [[ " ${components[*]} " != *" webhook_redis "* ]]; then
    [[ ! -e $prefix/include/privacycall/webhook/redis ]] || fail "the Redis headers are installed without the library"
  fi
  # Shared libraries find the others beside them (a program may not load them itself).
  if [[ $shared == ON ]]; then
    for component in "${components[@]}"; do
      [[ $component != privacycall ]] || continue
      readelf -d "$prefix/lib/libprivacycall_$component.so" | grep -Eq '(RUNPATH|RPATH).*\[\$ORIGIN\]' ||
        fail "libprivacycall_$component.so has no \$ORIGIN run path"
    done
  fi
  echo "== $mode: installed privacycall $version to $prefix (components: ${components[*]})"
}

# move_sdk: moves the installation elsewhere; nothing installed may name the old prefix.
move_sdk() {
  mkdir -p "$(dirname "$moved")"
  mv "$prefix" "$moved"
  local stale
  stale=$(grep -rlF -e "$prefix" -e /usr/local "$moved/lib/pkgconfig" "$moved/lib/cmake" || true)
  [[ -z $stale ]] || fail "installed files name the install prefix: $stale"
  echo "== $mode: moved the installation to $moved"
}

# ---- consumer (a): find_package ------------------------------------------------------------
consume_with_find_package() {
  local expected installed=() component
  for component in "${components[@]}"; do
    [[ $component == privacycall ]] || installed+=("$component")
  done
  expected=$(IFS=';' && echo "${installed[*]}")
  cmake_project find_package "$here/find_package" -DCMAKE_PREFIX_PATH="$prefix" \
    -DEXPECTED_PREFIX="$prefix" -DEXPECTED_VERSION="$version" -DEXPECTED_COMPONENTS="$expected"
  # CMake gives the programs an RPATH to the installed libraries: no LD_LIBRARY_PATH.
  run_programs "$dir/find_package" $(consumer_programs "${components[@]}")
  check_consumers_libcurl "$dir/find_package" "$dir/find_package-build.log"
}

# consume_one_component COMPONENT ABSENT_PACKAGES: find_package of one component alone, without
# the packages it must not need.
consume_one_component() {
  local component=$1 absent=$2
  cmake_project "find_$component" "$here/find_component" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCOMPONENT="$component" -DABSENT_PACKAGES="$absent"
  run_programs "$dir/find_$component" "${component}_consumer"
  check_consumers_libcurl "$dir/find_$component" "$dir/find_$component-build.log"
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
  PKG_CONFIG_PATH="$moved/lib/pkgconfig:$overlay${system_pkg_config_path:+:$system_pkg_config_path}"
}

consume_with_pkg_config() {
  local shared=$1 static_flag=() modules=() component module program flags
  for component in "${components[@]}"; do modules+=("$(pc_module "$component")"); done
  export PKG_CONFIG_PATH="$moved/lib/pkgconfig${system_pkg_config_path:+:$system_pkg_config_path}"
  [[ $(pkg-config --modversion privacycall-webhook) == "$version" ]] || fail "pkg-config reports another version"
  [[ $(pkg-config --cflags privacycall-webhook) == "-I$moved/"* ]] ||
    fail "privacycall-webhook.pc does not point into the moved prefix: $(pkg-config --cflags privacycall-webhook)"
  [[ $(pkg-config --print-requires-private privacycall-webhook) != *libcurl* ]] ||
    fail "privacycall-webhook.pc requires libcurl"
  if [[ " ${components[*]} " == *" client "* ]]; then
    [[ $(pkg-config --print-requires-private privacycall-client) == *libcurl* ]] ||
      fail "privacycall-client.pc lacks libcurl"
  fi
  if [[ $shared == OFF ]]; then
    static_flag=(--static)
    shadow_unlinkable_static_modules "${modules[@]}"
  fi
  mkdir -p "$dir/pkg-config"
  for component in "${components[@]}"; do
    module=$(pc_module "$component")
    program=${component}_consumer
    flags=$(pkg-config "${static_flag[@]}" --cflags --libs "$module")
    echo "$flags" >"$dir/pkg-config/$program.flags"
    logged "pkg-config-$program" "$cxx" -std=c++17 -o "$dir/pkg-config/$program" \
      "$here/src/$program.cpp" $flags -Wl,-rpath,"$moved/lib"
    # The program is linked to the library kind that was installed.
    if [[ $shared == ON ]]; then
      readelf -d "$dir/pkg-config/$program" | grep -q 'NEEDED.*libprivacycall' ||
        fail "$program does not load a shared libprivacycall"
    elif readelf -d "$dir/pkg-config/$program" | grep -q 'libprivacycall'; then
      fail "$program loads a shared libprivacycall in a static install"
    fi
  done
  run_programs "$dir/pkg-config" $(consumer_programs "${components[@]}")
  check_consumers_libcurl "$dir/pkg-config" -
}

# ---- the Conan test_package, with plain CMake ----------------------------------------------
consume_with_conan_test_package() {
  cmake_project test_package "$source_dir/packaging/conan/test_package" -DCMAKE_PREFIX_PATH="$moved"
  run_programs "$dir/test_package" test_package
}

# ---- consumer (b): add_subdirectory --------------------------------------------------------
consume_with_add_subdirectory() {
  cmake_project add_subdirectory "$here/add_subdirectory" -DPRIVACYCALL_SOURCE_DIR="$source_dir"
  local built=(privacycall common client webhook testing) optional
  for optional in webhook_server webhook_redis; do
    [[ ! -x $dir/add_subdirectory/${optional}_consumer ]] || built+=("$optional")
  done
  run_programs "$dir/add_subdirectory" $(consumer_programs "${built[@]}")
  check_consumers_libcurl "$dir/add_subdirectory" "$dir/add_subdirectory-build.log"
}

for mode in "${modes[@]}"; do
  dir="$work/$mode"
  mkdir -p "$dir"
  case "$mode" in
    shared | static)
      shared=ON
      [[ $mode == shared ]] || shared=OFF
      install_sdk "$shared" -DPRIVACYCALL_REDIS=ON
      [[ " ${components[*]} " == *" testing "* ]] || fail "the default build did not install privacycall::testing"
      consume_with_find_package
      consume_one_component webhook "CURL;hiredis"
      consume_one_component webhook_redis "CURL;httplib"
      consume_one_component client httplib
      move_sdk
      consume_with_pkg_config "$shared"
      consume_with_conan_test_package
      ;;
    receiver-only)
      install_sdk OFF -DPRIVACYCALL_CLIENT=OFF -DPRIVACYCALL_TESTING=OFF -DCMAKE_DISABLE_FIND_PACKAGE_CURL=ON \
        -DPRIVACYCALL_REDIS=ON
      [[ "${components[*]}" == "common webhook webhook_server webhook_redis" ]] || fail "installed: ${components[*]}"
      consume_with_find_package
      consume_one_component webhook CURL
      consume_one_component webhook_redis CURL
      move_sdk
      consume_with_pkg_config OFF
      ;;
    add_subdirectory)
      consume_with_add_subdirectory
      ;;
  esac
  echo "== $mode: every consumer built and ran"
done
