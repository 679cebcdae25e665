#!/usr/bin/env bash
# The compatibility stage: privacycall against the oldest libcurl and the newest cpp-httplib
# its users have, built from the source archives beside the repository (nothing is
# downloaded). The Debian versions stay the default build; this stage adds two builds:
#   build-compat/curl-7.61.1     the client suites (unit, integration over loopback) against
#                                libcurl 7.61.1, the libcurl of RHEL 8 and its rebuilds;
#   build-compat/httplib-0.53.1  the webhook server, the simulator and the CLI suites
#                                (webhook_server_tests, integration_tests, the black-box tests)
#                                against cpp-httplib 0.53.1.
# Each build proves that the prefix's copy is the one compiled against and linked: the
# compat:dependency_versions test asserts the versions seen at compile time and at run time,
# and the script checks what CMake found and what the test programs load.
#
# The dependencies are installed into scratch prefixes under build-compat/ and reused by the
# next run. The archives are looked for in ../shared/third_party (override with
# PRIVACYCALL_THIRD_PARTY).
#
#   bash scripts/compat.sh            # both builds
#   bash scripts/compat.sh curl       # only the libcurl one
#   bash scripts/compat.sh httplib    # only the cpp-httplib one
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
third_party=${PRIVACYCALL_THIRD_PARTY:-$repo/../shared/third_party}
work=$repo/build-compat
jobs=$(nproc)
which=${1:-all}
case "$which" in
  all | curl | httplib) ;;
  *) echo "compat: unknown build '$which' (all, curl or httplib)" >&2; exit 2 ;;
esac

step() { echo; echo "--- compat: $*"; }
fail() { echo "compat: $*" >&2; exit 1; }
elapsed() { echo "($((SECONDS - $1)) s)"; }

# The versions tested are those cmake/privacycallDependencies.cmake declares: libcurl's floor
# (7.61) at its release 7.61.1, and cpp-httplib's newest tested release.
dependency_version() {
  sed -n "s/^set(PRIVACYCALL_$1_VERSION \([0-9.]*\))\$/\1/p" cmake/privacycallDependencies.cmake
}
curl_version=7.61.1
[[ "$curl_version" == "$(dependency_version CURL_MIN)".* ]] ||
  fail "libcurl $curl_version is not a release of the floor PRIVACYCALL_CURL_MIN_VERSION"
httplib_version=$(dependency_version HTTPLIB_NEWEST_TESTED)
[[ -n "$httplib_version" ]] || fail "no PRIVACYCALL_HTTPLIB_NEWEST_TESTED_VERSION in cmake/privacycallDependencies.cmake"

[[ -d "$third_party" ]] || fail "no $third_party (the third-party archives beside the repository)"
(cd "$third_party" && sha256sum --quiet -c SHA256SUMS) || fail "checksums of $third_party do not match"
mkdir -p "$work"

# install_prefix NAME ARCHIVE COMMANDS...: runs COMMANDS (output to build-compat/deps/NAME.log)
# in a scratch directory with the archive unpacked and $PREFIX set to build-compat/deps/NAME.
# Done once: the prefix counts as installed only when its stamp holds the archive's checksum,
# so a changed archive or a half-finished build is built again.
install_prefix() {
  local name=$1 archive=$2
  shift 2
  local prefix=$work/deps/$name stamp=$work/deps/$name.stamp
  local sum
  sum=$(sha256sum "$third_party/$archive" | cut -d' ' -f1)
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$sum" ]]; then
    echo "compat: $name already in $prefix"
    return
  fi
  local start=$SECONDS scratch=$work/deps/$name.src
  rm -rf "$prefix" "$stamp" "$scratch"
  mkdir -p "$scratch"
  tar xf "$third_party/$archive" -C "$scratch"
  local log=$work/deps/$name.log
  (cd "$scratch" && PREFIX=$prefix "$@") >"$log" 2>&1 || { tail -n 40 "$log"; fail "installing $name failed (log: $log)"; }
  rm -rf "$scratch"
  echo "$sum" >"$stamp"
  echo "compat: $name installed into $prefix $(elapsed $start)"
}

# (Steps chained with &&: set -e does not apply inside install_prefix's tested subshell.)
build_curl() {
  # Shared, as distributions ship it; the command-line tool, LDAP and the tests are not needed.
  nice -n 5 cmake -S curl-$curl_version -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$PREFIX" -DBUILD_TESTING=OFF -DBUILD_CURL_EXE=OFF \
    -DCMAKE_USE_OPENSSL=ON -DCURL_DISABLE_LDAP=ON -DCMAKE_C_FLAGS=-w &&
    nice -n 5 cmake --build build -j"$jobs" &&
    cmake --install build
}

install_httplib() {
  # Header-only, with its CMake package (httplibConfig.cmake) as upstream installs it.
  cmake -S cpp-httplib-$httplib_version -B build -DCMAKE_INSTALL_PREFIX="$PREFIX" \
    -DHTTPLIB_COMPILE=OFF -DHTTPLIB_TEST=OFF &&
    cmake --install build
}

if [[ "$which" != httplib ]]; then
  step "libcurl $curl_version"
  install_prefix curl-$curl_version curl-$curl_version.tar.xz build_curl
fi
if [[ "$which" != curl ]]; then
  step "cpp-httplib $httplib_version"
  install_prefix httplib-$httplib_version cpp-httplib-$httplib_version.tar.gz install_httplib
fi

# configure DIR PREFIX CMAKE_ARGS...: a Release build with warnings as errors, as stage 1 of
# scripts/test.sh, that looks in PREFIX first. The configure log stays beside the build.
configure() {
  local dir=$1 prefix=$2
  shift 2
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPRIVACYCALL_WARNINGS_AS_ERRORS=ON \
    -DPRIVACYCALL_BUILD_EXAMPLES=OFF -DCMAKE_PREFIX_PATH="$prefix" "$@" >"$dir.configure.log" ||
    { cat "$dir.configure.log"; fail "configuring $dir failed"; }
}

# expect_in_prefix WHAT PREFIX TEXT: every line of TEXT names a path inside PREFIX.
expect_in_prefix() {
  local what=$1 prefix=$2 line
  [[ -n "$3" ]] || fail "$what: nothing found to check"
  while IFS= read -r line; do
    [[ "$line" == *"$prefix/"* ]] || fail "$what is not the copy in $prefix: $line"
    echo "compat: $what: $line"
  done <<<"$3"
}

# expect_linked BUILD_DIR PREFIX LIBRARY PROGRAMS...: each program loads LIBRARY from PREFIX.
expect_linked() {
  local dir=$1 prefix=$2 library=$3
  shift 3
  local program
  for program in "$@"; do
    expect_in_prefix "${program##*/} loads" "$prefix" "$(ldd "$dir/$program" | grep -F "$library")"
  done
}

# build_and_test DIR VERSION_TEST TESTS TARGETS...: builds TARGETS, shows the versions that
# VERSION_TEST (one of them) sees, and runs the ctest tests whose names match TESTS.
build_and_test() {
  local dir=$1 version_test=$2 tests=$3
  shift 3
  nice -n 5 cmake --build "$dir" -j"$jobs" --target "$@"
  local out
  out=$("$dir/tests/compat/$version_test") || true  # judged by ctest below
  echo "${out%%$'\n'*}"
  ctest --test-dir "$dir" --output-on-failure -j"$jobs" -R "$tests"
}

if [[ "$which" != httplib ]]; then
  start=$SECONDS
  dir=$work/curl-$curl_version
  prefix=$work/deps/curl-$curl_version
  step "privacycall against libcurl $curl_version: client suites"
  # The CLI and the examples use libcurl only through the client, which the suites cover.
  configure "$dir" "$prefix" -DPRIVACYCALL_EXPECT_CURL_VERSION=$curl_version -DPRIVACYCALL_BUILD_CLI=OFF
  expect_in_prefix "CMake's libcurl" "$prefix" \
    "$(grep -E '^CURL_(DIR|INCLUDE_DIR|LIBRARY_RELEASE|LIBRARY):' "$dir/CMakeCache.txt")"
  build_and_test "$dir" curl_version_test '^(curl_version_test|unit_tests|integration_tests):' \
    curl_version_test unit_tests integration_tests
  # (unit_tests make no request: the linker leaves libcurl out of them.)
  expect_linked "$dir" "$prefix" libcurl.so tests/integration/integration_tests tests/compat/curl_version_test
  echo "compat: libcurl $curl_version build and suites $(elapsed $start)"
fi

if [[ "$which" != curl ]]; then
  start=$SECONDS
  dir=$work/httplib-$httplib_version
  prefix=$work/deps/httplib-$httplib_version
  step "privacycall against cpp-httplib $httplib_version: webhook server, simulator and CLI suites"
  configure "$dir" "$prefix" -DPRIVACYCALL_EXPECT_HTTPLIB_VERSION=$httplib_version
  expect_in_prefix "CMake's cpp-httplib" "$prefix" "$(grep -E '^httplib_DIR:' "$dir/CMakeCache.txt")"
  grep -F "privacycall: cpp-httplib" "$dir.configure.log"
  build_and_test "$dir" httplib_version_test \
    '^(httplib_version_test|webhook_server_tests|integration_tests):|^blackbox:' \
    httplib_version_test webhook_server_tests integration_tests privacycall_cli
  echo "compat: cpp-httplib $httplib_version build and suites $(elapsed $start)"
fi
