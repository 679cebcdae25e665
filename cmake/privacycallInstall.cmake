# Install rules: headers, libraries, the exported targets, the CMake package and one pkg-config
# file per library. Handles the optional libraries (testing, webhook_server) being absent.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(PRIVACYCALL_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/privacycall"
  CACHE STRING "Where privacycallConfig.cmake is installed, relative to the prefix")
set(PRIVACYCALL_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig"
  CACHE STRING "Where the pkg-config files are installed, relative to the prefix")

# Component name (the target's EXPORT_NAME) -> build target. The core is always there.
set(_privacycall_targets privacycall privacycall_common privacycall_client privacycall_webhook)
set(PRIVACYCALL_CONFIG_COMPONENTS "")
set(PRIVACYCALL_CONFIG_NEEDS_HTTPLIB FALSE)
foreach(_component testing webhook_server)
  if(TARGET privacycall_${_component})
    list(APPEND _privacycall_targets privacycall_${_component})
    list(APPEND PRIVACYCALL_CONFIG_COMPONENTS ${_component})
    get_target_property(_type privacycall_${_component} TYPE)
    if(_type STREQUAL "STATIC_LIBRARY")
      set(PRIVACYCALL_CONFIG_NEEDS_HTTPLIB TRUE)
    endif()
  endif()
endforeach()
# The warnings target must stay out of the export set (see privacycallWarnings.cmake).
foreach(_target IN LISTS _privacycall_targets)
  get_target_property(_links ${_target} LINK_LIBRARIES)
  if("privacycall_warnings" IN_LIST _links)
    message(FATAL_ERROR "${_target} links privacycall_warnings directly; link "
      "\$<BUILD_INTERFACE:privacycall_warnings> so that it is not exported with the library")
  endif()
endforeach()
get_target_property(_type privacycall_common TYPE)
if(_type STREQUAL "STATIC_LIBRARY")
  set(PRIVACYCALL_CONFIG_CORE_STATIC TRUE)
else()
  set(PRIVACYCALL_CONFIG_CORE_STATIC FALSE)
endif()

# ---- headers: only those of the libraries that were built ---------------------------------
set(_privacycall_header_excludes "")
if(NOT TARGET privacycall_testing)
  list(APPEND _privacycall_header_excludes REGEX "/testing(/|$)" EXCLUDE)
endif()
if(NOT TARGET privacycall_webhook_server)
  list(APPEND _privacycall_header_excludes REGEX "/webhook(_server)?/server\\.hpp$" EXCLUDE)
endif()
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/privacycall"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
  COMPONENT privacycall_development
  ${_privacycall_header_excludes})
install(FILES "${PROJECT_BINARY_DIR}/generated/include/privacycall/version.hpp"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/privacycall"
  COMPONENT privacycall_development)

# ---- libraries and the CLI ------------------------------------------------------------------
# Shared optional libraries find the core beside them wherever the prefix is: a program that
# uses only the webhook server does not load the core itself (--as-needed), and its RUNPATH is
# not searched for its libraries' own dependencies. A CMAKE_INSTALL_RPATH given by the
# builder wins.
if(NOT DEFINED CMAKE_INSTALL_RPATH)
  if(APPLE)
    set(_privacycall_origin "@loader_path")
  else()
    set(_privacycall_origin "$ORIGIN")
  endif()
  foreach(_component IN LISTS PRIVACYCALL_CONFIG_COMPONENTS)
    set_target_properties(privacycall_${_component} PROPERTIES INSTALL_RPATH "${_privacycall_origin}")
  endforeach()
endif()
install(TARGETS ${_privacycall_targets}
  EXPORT privacycallTargets
  RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT privacycall_runtime
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT privacycall_runtime
    NAMELINK_COMPONENT privacycall_development
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT privacycall_development)
if(TARGET privacycall_cli)
  install(TARGETS privacycall_cli RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}"
    COMPONENT privacycall_runtime)
endif()

# ---- CMake package --------------------------------------------------------------------------
install(EXPORT privacycallTargets
  NAMESPACE privacycall::
  DESTINATION "${PRIVACYCALL_INSTALL_CMAKEDIR}"
  COMPONENT privacycall_development)
configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/privacycallConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/privacycallConfig.cmake"
  INSTALL_DESTINATION "${PRIVACYCALL_INSTALL_CMAKEDIR}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/privacycallConfigVersion.cmake"
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMajorVersion)
install(FILES
  "${PROJECT_BINARY_DIR}/privacycallConfig.cmake"
  "${PROJECT_BINARY_DIR}/privacycallConfigVersion.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/privacycallFindHttplib.cmake"
  DESTINATION "${PRIVACYCALL_INSTALL_CMAKEDIR}"
  COMPONENT privacycall_development)

# ---- pkg-config -----------------------------------------------------------------------------
# Paths are absolute at configure time (the usual form, which lets pkg-config drop system
# directories); install under the configured CMAKE_INSTALL_PREFIX when using them.
foreach(_dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${_dir}}")
    set(PRIVACYCALL_PC_${_dir} "${CMAKE_INSTALL_${_dir}}")
  else()
    set(PRIVACYCALL_PC_${_dir} "\${prefix}/${CMAKE_INSTALL_${_dir}}")
  endif()
endforeach()

# privacycall_install_pkg_config(TARGET t NAME file DESCRIPTION text [REQUIRES ...]
#                                [REQUIRES_PRIVATE ...] [LIBS_PRIVATE ...])
# Requires.private/Libs.private are what a static library's consumers link in addition
# (`pkg-config --static`); shared libraries carry their dependencies themselves.
function(privacycall_install_pkg_config)
  cmake_parse_arguments(PC "" "TARGET;NAME;DESCRIPTION" "REQUIRES;REQUIRES_PRIVATE;LIBS_PRIVATE" ${ARGN})
  get_target_property(_output_name ${PC_TARGET} OUTPUT_NAME)
  if(NOT _output_name)
    set(_output_name ${PC_TARGET})
  endif()
  list(JOIN PC_REQUIRES ", " PC_REQUIRES)
  list(JOIN PC_REQUIRES_PRIVATE ", " PC_REQUIRES_PRIVATE)
  list(JOIN PC_LIBS_PRIVATE " " PC_LIBS_PRIVATE)
  set(PC_LIBS "-L\${libdir} -l${_output_name}")
  # Fill the template, then drop the fields left empty (a shared-only or dependency-free file).
  set(_template "${PROJECT_SOURCE_DIR}/cmake/privacycall.pc.in")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_template}")
  file(READ "${_template}" _text)
  string(CONFIGURE "${_text}" _text @ONLY)
  string(REGEX REPLACE "\n[A-Za-z.]+: *(\n[A-Za-z.]+: *)*\n" "\n" _text "${_text}")
  file(WRITE "${PROJECT_BINARY_DIR}/pkgconfig/${PC_NAME}.pc.tmp" "${_text}")
  configure_file("${PROJECT_BINARY_DIR}/pkgconfig/${PC_NAME}.pc.tmp"
    "${PROJECT_BINARY_DIR}/pkgconfig/${PC_NAME}.pc" COPYONLY)
  install(FILES "${PROJECT_BINARY_DIR}/pkgconfig/${PC_NAME}.pc"
    DESTINATION "${PRIVACYCALL_INSTALL_PKGCONFIGDIR}"
    COMPONENT privacycall_development)
endfunction()

# -pthread (or nothing, where the C library has the threads) exactly as Threads::Threads gives it.
# The C++ runtime is not listed: the API is C++, so consumers link with a C++ compiler driver,
# which adds its own runtime (naming libstdc++ here would be wrong under libc++).
set(_privacycall_thread_libs "${CMAKE_THREAD_LIBS_INIT}")
privacycall_install_pkg_config(TARGET privacycall NAME privacycall
  DESCRIPTION "${PROJECT_DESCRIPTION}"
  REQUIRES_PRIVATE "libcurl >= ${PRIVACYCALL_CURL_MIN_VERSION}"
                   "libcrypto >= ${PRIVACYCALL_OPENSSL_MIN_VERSION}"
  LIBS_PRIVATE ${_privacycall_thread_libs})

# The optional libraries: Requires privacycall at the same version; cpp-httplib is named only
# when it was found through its pkg-config module (an upstream header-only httplib is compiled in).
set(_privacycall_httplib_pc "")
if(PRIVACYCALL_HTTPLIB_PKG_CONFIG)
  set(_privacycall_httplib_pc "cpp-httplib >= ${PRIVACYCALL_HTTPLIB_MIN_VERSION}")
endif()
set(_privacycall_description_testing "privacycall testing kit: FakePlatform, an in-memory PrivateNumber platform on loopback")
set(_privacycall_description_webhook_server "privacycall webhook server: the notification dispatcher on an embedded HTTP(S) server")
foreach(_component IN LISTS PRIVACYCALL_CONFIG_COMPONENTS)
  string(REPLACE "_" "-" _pc_suffix ${_component})
  privacycall_install_pkg_config(TARGET privacycall_${_component} NAME privacycall-${_pc_suffix}
    DESCRIPTION "${_privacycall_description_${_component}}"
    REQUIRES "privacycall = ${PROJECT_VERSION}"
    REQUIRES_PRIVATE ${_privacycall_httplib_pc}
    LIBS_PRIVATE ${_privacycall_thread_libs})
endforeach()
