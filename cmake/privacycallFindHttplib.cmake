# Provides the imported target httplib::httplib and sets PRIVACYCALL_HTTPLIB_FOUND; never fails
# by itself, so that the build and privacycallConfig.cmake can each report a missing httplib
# their own way. Installed beside privacycallConfig.cmake.
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

find_package(httplib ${PRIVACYCALL_HTTPLIB_MIN_VERSION} CONFIG QUIET)
if(TARGET httplib::httplib)
  return()
endif()

find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
  pkg_check_modules(PRIVACYCALL_CPPHTTPLIB QUIET IMPORTED_TARGET
    cpp-httplib>=${PRIVACYCALL_HTTPLIB_MIN_VERSION})
endif()
if(NOT TARGET PkgConfig::PRIVACYCALL_CPPHTTPLIB)
  set(PRIVACYCALL_HTTPLIB_FOUND FALSE)
  return()
endif()
set(PRIVACYCALL_HTTPLIB_PKG_CONFIG TRUE)
add_library(httplib::httplib INTERFACE IMPORTED)
find_package(Threads REQUIRED)
target_link_libraries(httplib::httplib INTERFACE PkgConfig::PRIVACYCALL_CPPHTTPLIB Threads::Threads)
