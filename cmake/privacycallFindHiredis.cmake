# Provides the imported target hiredis::hiredis and sets PRIVACYCALL_HIREDIS_FOUND and
# PRIVACYCALL_HIREDIS_VERSION; never fails by itself, so that the build (PRIVACYCALL_REDIS) and
# privacycallConfig.cmake can each report a missing hiredis their own way. Installed beside
# privacycallConfig.cmake.
#
# hiredis 1.0 and later install a CMake package with the target hiredis::hiredis, and so do
# vcpkg's and Conan's hiredis; it is looked for first. Older releases, Debian 12's 0.14.1 among
# them, have only the pkg-config module hiredis (Debian's HiredisConfig.cmake defines no target
# and is not found under the name hiredis).
#
# The includer sets PRIVACYCALL_HIREDIS_MIN_VERSION (privacycallDependencies.cmake, or
# privacycallConfig.cmake from the build's value).
if(NOT DEFINED PRIVACYCALL_HIREDIS_MIN_VERSION)
  message(FATAL_ERROR "privacycallFindHiredis.cmake: PRIVACYCALL_HIREDIS_MIN_VERSION is not set")
endif()
set(PRIVACYCALL_HIREDIS_FOUND TRUE)
if(TARGET hiredis::hiredis)
  return()
endif()

# Asked for without a version: upstream's first releases with a CMake package have no version
# file (a versioned request refuses the package), and a version file may accept only its own
# major version (Conan's does: 1.2 refuses a request for 0.14). Every release with a CMake
# package is newer than the floor; a version the package states is compared here.
find_package(hiredis CONFIG QUIET)
if(TARGET hiredis::hiredis)
  set(PRIVACYCALL_HIREDIS_VERSION "${hiredis_VERSION}")
  if(PRIVACYCALL_HIREDIS_VERSION AND PRIVACYCALL_HIREDIS_VERSION VERSION_LESS PRIVACYCALL_HIREDIS_MIN_VERSION)
    # The imported target cannot be taken back; the caller reports the failure.
    message(WARNING "privacycall: hiredis ${PRIVACYCALL_HIREDIS_VERSION} (CMake package in ${hiredis_DIR}) "
      "is older than ${PRIVACYCALL_HIREDIS_MIN_VERSION}")
    set(PRIVACYCALL_HIREDIS_FOUND FALSE)
  elseif(NOT privacycall_FIND_QUIETLY)
    set(_privacycall_hiredis_version "${hiredis_VERSION}")
    if(NOT _privacycall_hiredis_version)
      set(_privacycall_hiredis_version "(version not stated)")
    endif()
    message(STATUS "privacycall: hiredis ${_privacycall_hiredis_version} (CMake package in ${hiredis_DIR})")
    unset(_privacycall_hiredis_version)
  endif()
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
# An imported target of the CMake package's name, so that the package names it (and not
# PkgConfig) as a dependency. hiredis's pkg-config puts its own directory on the include path;
# the SDK includes <hiredis/hiredis.h>, which needs the parent as well.
add_library(hiredis::hiredis INTERFACE IMPORTED)
target_link_libraries(hiredis::hiredis INTERFACE PkgConfig::PRIVACYCALL_HIREDIS)
if(NOT privacycall_FIND_QUIETLY)
  message(STATUS "privacycall: hiredis ${PRIVACYCALL_HIREDIS_VERSION} (pkg-config module hiredis)")
endif()
