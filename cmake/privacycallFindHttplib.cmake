# Provides the imported target httplib::httplib and sets PRIVACYCALL_HTTPLIB_FOUND and
# PRIVACYCALL_HTTPLIB_VERSION; never fails by itself, so that the build and
# privacycallConfig.cmake can each report a missing httplib their own way. Installed beside
# privacycallConfig.cmake.
#
# Upstream cpp-httplib installs a CMake package; Debian ships only a compiled library with a
# pkg-config file whose compile definitions (OpenSSL, zlib, brotli support) must match the
# library's ABI, so they are taken from there. PRIVACYCALL_HTTPLIB_PKG_CONFIG tells which way
# it was found (the pkg-config files name the module only then).
#
# The includer sets PRIVACYCALL_HTTPLIB_MIN_VERSION (privacycallDependencies.cmake, or
# privacycallConfig.cmake from the build's value).
if(NOT DEFINED PRIVACYCALL_HTTPLIB_MIN_VERSION)
  message(FATAL_ERROR "privacycallFindHttplib.cmake: PRIVACYCALL_HTTPLIB_MIN_VERSION is not set")
endif()
set(PRIVACYCALL_HTTPLIB_FOUND TRUE)
set(PRIVACYCALL_HTTPLIB_PKG_CONFIG FALSE)
if(TARGET httplib::httplib)
  return()
endif()

# Asked for without a version: upstream's version file accepts only its own minor version
# (0.53.1 refuses a request for 0.11, and the search would quietly fall through to an older
# copy), so the floor is compared here.
find_package(httplib CONFIG QUIET)
if(TARGET httplib::httplib)
  set(PRIVACYCALL_HTTPLIB_VERSION "${httplib_VERSION}")
  set(_privacycall_httplib_where "CMake package in ${httplib_DIR}")
else()
  find_package(PkgConfig QUIET)
  if(PKG_CONFIG_FOUND)
    pkg_check_modules(PRIVACYCALL_CPPHTTPLIB QUIET IMPORTED_TARGET cpp-httplib)
  endif()
  if(NOT TARGET PkgConfig::PRIVACYCALL_CPPHTTPLIB)
    set(PRIVACYCALL_HTTPLIB_FOUND FALSE)
    return()
  endif()
  set(PRIVACYCALL_HTTPLIB_PKG_CONFIG TRUE)
  set(PRIVACYCALL_HTTPLIB_VERSION "${PRIVACYCALL_CPPHTTPLIB_VERSION}")
  set(_privacycall_httplib_where "pkg-config module cpp-httplib, headers in ${PRIVACYCALL_CPPHTTPLIB_INCLUDEDIR}")
  add_library(httplib::httplib INTERFACE IMPORTED)
  find_package(Threads REQUIRED)
  target_link_libraries(httplib::httplib INTERFACE PkgConfig::PRIVACYCALL_CPPHTTPLIB Threads::Threads)
endif()

if(PRIVACYCALL_HTTPLIB_VERSION VERSION_LESS PRIVACYCALL_HTTPLIB_MIN_VERSION)
  # The imported target cannot be taken back; the caller reports the failure.
  message(WARNING "privacycall: cpp-httplib ${PRIVACYCALL_HTTPLIB_VERSION} (${_privacycall_httplib_where}) "
    "is older than ${PRIVACYCALL_HTTPLIB_MIN_VERSION}")
  set(PRIVACYCALL_HTTPLIB_FOUND FALSE)
elseif(NOT privacycall_FIND_QUIETLY)
  message(STATUS "privacycall: cpp-httplib ${PRIVACYCALL_HTTPLIB_VERSION} (${_privacycall_httplib_where})")
endif()
unset(_privacycall_httplib_where)
