# Provides the imported target hiredis::hiredis from hiredis's pkg-config module and sets
# PRIVACYCALL_HIREDIS_FOUND and PRIVACYCALL_HIREDIS_VERSION; never fails by itself, so that the
# build (PRIVACYCALL_REDIS) and privacycallConfig.cmake can each report a missing hiredis their
# own way. Installed beside privacycallConfig.cmake.
#
# The includer sets PRIVACYCALL_HIREDIS_MIN_VERSION.
if(NOT DEFINED PRIVACYCALL_HIREDIS_MIN_VERSION)
  message(FATAL_ERROR "privacycallFindHiredis.cmake: PRIVACYCALL_HIREDIS_MIN_VERSION is not set")
endif()
set(PRIVACYCALL_HIREDIS_FOUND TRUE)
if(TARGET hiredis::hiredis)
  return()
endif()
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
  pkg_check_modules(PRIVACYCALL_HIREDIS QUIET IMPORTED_TARGET hiredis>=${PRIVACYCALL_HIREDIS_MIN_VERSION})
endif()
if(NOT TARGET PkgConfig::PRIVACYCALL_HIREDIS)
  set(PRIVACYCALL_HIREDIS_FOUND FALSE)
  return()
endif()
# An imported target of its own name, so that the package names it (and not PkgConfig) as a
# dependency. hiredis's pkg-config puts its own directory on the include path; the SDK includes
# <hiredis/hiredis.h>, which needs the parent as well.
add_library(hiredis::hiredis INTERFACE IMPORTED)
target_link_libraries(hiredis::hiredis INTERFACE PkgConfig::PRIVACYCALL_HIREDIS)
if(NOT privacycall_FIND_QUIETLY)
  message(STATUS "privacycall: hiredis ${PRIVACYCALL_HIREDIS_VERSION} (pkg-config module hiredis)")
endif()
