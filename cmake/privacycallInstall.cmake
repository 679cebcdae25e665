# Install rules: headers, libraries, the exported targets, the CMake package and one pkg-config
# file per library. Each library is a component of the package, named by its EXPORT_NAME:
#   common          privacycall::common          errors, Result, numbers, signing (OpenSSL)
#   client          privacycall::client          the platform's API over libcurl
#   webhook         privacycall::webhook         verify, parse and dispatch pushes (no libcurl)
#   webhook_server  privacycall::webhook_server  the webhook on an embedded server (cpp-httplib)
#   webhook_redis   privacycall::webhook_redis   the receiver fleet's stores on Redis (hiredis)
#   testing         privacycall::testing         FakePlatform (cpp-httplib)
#   mocks           privacycall::mocks           gMock connections, header-only (GoogleTest)
#   privacycall     privacycall::privacycall     the umbrella: client + webhook
# Those that were not built (PRIVACYCALL_CLIENT, _WEBHOOK_SERVER, _TESTING off) are left out of
# every file (mocks too when gMock was not found). What each component uses (other components, third-party packages) is read from its
# target's links, so this file does not repeat src/CMakeLists.txt.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(PRIVACYCALL_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/privacycall"
  CACHE STRING "Where privacycallConfig.cmake is installed, relative to the prefix")
set(PRIVACYCALL_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig"
  CACHE STRING "Where the pkg-config files are installed, relative to the prefix")

# Components in dependency order (a component comes after those it uses) -> build target.
set(_privacycall_components "")
foreach(_component common client webhook webhook_server webhook_redis testing mocks privacycall)
  set(_target privacycall_${_component})
  if(_component STREQUAL "privacycall")
    set(_target privacycall)
  endif()
  if(TARGET ${_target})
    list(APPEND _privacycall_components ${_component})
    set(_privacycall_target_${_component} ${_target})
  endif()
endforeach()

# privacycall_component_links(COMPONENT PROPERTY OUT_COMPONENTS OUT_PACKAGES): the components
# and the third-party packages (CURL, OpenSSL, ...: the namespace of an imported target) that
# a target's link PROPERTY names. $<LINK_ONLY:x> (a static library's private link) counts as x;
# other generator expressions (the build-only warnings target) are not links of the package.
function(privacycall_component_links component property out_components out_packages)
  get_target_property(_links ${_privacycall_target_${component}} ${property})
  if(NOT _links)
    set(_links "")
  endif()
  set(_components "")
  set(_packages "")
  foreach(_link IN LISTS _links)
    string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" _link "${_link}")
    if(_link MATCHES "^\\$<")
      continue()
    elseif(_link MATCHES "^privacycall_(.+)$" AND CMAKE_MATCH_1 IN_LIST _privacycall_components)
      list(APPEND _components ${CMAKE_MATCH_1})
    elseif(_link MATCHES "^([A-Za-z0-9_]+)::")
      list(APPEND _packages ${CMAKE_MATCH_1})
    else()
      message(FATAL_ERROR "${_privacycall_target_${component}} links '${_link}', which the "
        "package cannot name to its consumers; link a namespaced imported target")
    endif()
  endforeach()
  list(REMOVE_DUPLICATES _components)
  list(REMOVE_DUPLICATES _packages)
  set(${out_components} "${_components}" PARENT_SCOPE)
  set(${out_packages} "${_packages}" PARENT_SCOPE)
endfunction()

# The warnings target must stay out of the export set (see privacycallWarnings.cmake).
foreach(_component IN LISTS _privacycall_components)
  get_target_property(_links ${_privacycall_target_${_component}} LINK_LIBRARIES)
  if("privacycall_warnings" IN_LIST _links)
    message(FATAL_ERROR "${_privacycall_target_${_component}} links privacycall_warnings directly; "
      "link \$<BUILD_INTERFACE:privacycall_warnings> so that it is not exported with the library")
  endif()
endforeach()

# ---- headers: only those of the libraries that were built ---------------------------------
# The client's headers sit at the top of include/privacycall/ beside the common ones (error,
# result, phone numbers, coded fields, common.hpp's vocabulary, which notifications use too).
set(_privacycall_client_headers async ax ax_connection axb axb_connection axe axe_connection axyb
  axyb_connection call_control call_control_connection callback client connections future options
  pager recording recording_connection retry transport)
set(_privacycall_header_excludes "")
if(NOT TARGET privacycall_client)
  list(JOIN _privacycall_client_headers "|" _names)
  list(APPEND _privacycall_header_excludes REGEX "/privacycall/(${_names})\\.hpp$" EXCLUDE)
endif()
# testing/ holds FakePlatform (privacycall::testing) and the mocks (privacycall::mocks).
if(NOT TARGET privacycall_testing AND NOT TARGET privacycall_mocks)
  list(APPEND _privacycall_header_excludes REGEX "/testing(/|$)" EXCLUDE)
elseif(NOT TARGET privacycall_testing)
  list(APPEND _privacycall_header_excludes REGEX "/testing/fake_platform\\.hpp$" EXCLUDE)
endif()
if(NOT TARGET privacycall_mocks)
  list(APPEND _privacycall_header_excludes REGEX "/testing/mock_connections\\.hpp$" EXCLUDE)
endif()
if(NOT TARGET privacycall_webhook_redis)
  list(APPEND _privacycall_header_excludes REGEX "/webhook/redis(/|$)" EXCLUDE)
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
# Shared libraries find the others beside them wherever the prefix is: a program that uses only
# the webhook server does not load libprivacycall_common itself (--as-needed), and its RUNPATH
# is not searched for its libraries' own dependencies. A CMAKE_INSTALL_RPATH given by the
# builder wins.
if(NOT DEFINED CMAKE_INSTALL_RPATH)
  if(APPLE)
    set(_privacycall_origin "@loader_path")
  else()
    set(_privacycall_origin "$ORIGIN")
  endif()
endif()
foreach(_component IN LISTS _privacycall_components)
  set(_target ${_privacycall_target_${_component}})
  get_target_property(_type ${_target} TYPE)
  if(DEFINED _privacycall_origin AND NOT _type STREQUAL "INTERFACE_LIBRARY")
    set_target_properties(${_target} PROPERTIES INSTALL_RPATH "${_privacycall_origin}")
  endif()
  install(TARGETS ${_target}
    EXPORT privacycall-${_component}-targets
    RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT privacycall_runtime
    LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT privacycall_runtime
      NAMELINK_COMPONENT privacycall_development
    ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT privacycall_development)
  install(EXPORT privacycall-${_component}-targets
    NAMESPACE privacycall::
    DESTINATION "${PRIVACYCALL_INSTALL_CMAKEDIR}"
    COMPONENT privacycall_development)
endforeach()
if(TARGET privacycall_cli)
  install(TARGETS privacycall_cli RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}"
    COMPONENT privacycall_runtime)
endif()

# ---- CMake package --------------------------------------------------------------------------
# privacycallConfig.cmake gets, per component, what it uses and the packages its imported target
# names (a static library's private links included: its consumers link them).
set(PRIVACYCALL_CONFIG_COMPONENTS "set(_privacycall_components ${_privacycall_components})")
foreach(_component IN LISTS _privacycall_components)
  privacycall_component_links(${_component} INTERFACE_LINK_LIBRARIES _uses _packages)
  string(APPEND PRIVACYCALL_CONFIG_COMPONENTS "\n"
    "set(_privacycall_${_component}_uses ${_uses})\n"
    "set(_privacycall_${_component}_packages ${_packages})")
endforeach()
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
  "${PROJECT_SOURCE_DIR}/cmake/privacycallFindHiredis.cmake"
  DESTINATION "${PRIVACYCALL_INSTALL_CMAKEDIR}"
  COMPONENT privacycall_development)

# ---- pkg-config -----------------------------------------------------------------------------
# One module per component: privacycall-<component> (underscores as dashes), and `privacycall`
# for the umbrella. The files are relocatable: prefix is found from the file's own place
# (${pcfiledir}), so `cmake --install --prefix DIR` and moving DIR afterwards both work. Only a
# pkg-config directory given as an absolute path pins the configured prefix.
if(IS_ABSOLUTE "${PRIVACYCALL_INSTALL_PKGCONFIGDIR}")
  set(PRIVACYCALL_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH _up "/prefix/${PRIVACYCALL_INSTALL_PKGCONFIGDIR}" "/prefix")
  string(REGEX REPLACE "/$" "" _up "${_up}")
  set(PRIVACYCALL_PC_PREFIX "\${pcfiledir}/${_up}")
endif()
foreach(_dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${_dir}}")
    set(PRIVACYCALL_PC_${_dir} "${CMAKE_INSTALL_${_dir}}")
  else()
    set(PRIVACYCALL_PC_${_dir} "\${prefix}/${CMAKE_INSTALL_${_dir}}")
  endif()
endforeach()

# The pkg-config module of each third-party package a library links, at the build's minimum
# version. nlohmann/json is header-only and compiled in: no module. cpp-httplib is named only
# when it was found through its pkg-config module (an upstream header-only httplib is compiled
# in). Threads is -pthread (or nothing, where the C library has the threads) as Threads::Threads
# gives it.
set(_privacycall_pc_module_CURL "libcurl >= ${PRIVACYCALL_CURL_MIN_VERSION}")
set(_privacycall_pc_module_OpenSSL "libcrypto >= ${PRIVACYCALL_OPENSSL_MIN_VERSION}")
set(_privacycall_pc_module_nlohmann_json "")
set(_privacycall_pc_module_httplib "")
set(_privacycall_pc_module_hiredis "hiredis >= ${PRIVACYCALL_HIREDIS_MIN_VERSION}")
set(_privacycall_pc_module_GTest "gmock >= ${PRIVACYCALL_GTEST_MIN_VERSION}")
if(PRIVACYCALL_HTTPLIB_PKG_CONFIG)
  set(_privacycall_pc_module_httplib "cpp-httplib >= ${PRIVACYCALL_HTTPLIB_MIN_VERSION}")
endif()

set(_privacycall_description_common "privacycall common layer: errors, Result, phone numbers, request signing")
set(_privacycall_description_client "privacycall client: the PrivateNumber API over libcurl")
set(_privacycall_description_webhook "privacycall webhook receiver: verify, parse and dispatch the platform's pushes")
set(_privacycall_description_webhook_server "privacycall webhook server: the notification dispatcher on an embedded HTTP(S) server")
set(_privacycall_description_webhook_redis "privacycall webhook on Redis: nonces, dedupe and push queue shared by a fleet of receivers")
set(_privacycall_description_testing "privacycall testing kit: FakePlatform, an in-memory PrivateNumber platform on loopback")
set(_privacycall_description_mocks "privacycall mocks: gMock classes of the client's connections, for unit tests")
set(_privacycall_description_privacycall "${PROJECT_DESCRIPTION}")

# privacycall_pc_name(COMPONENT OUT): the component's pkg-config module name.
function(privacycall_pc_name component out)
  if(component STREQUAL "privacycall")
    set(${out} privacycall PARENT_SCOPE)
  else()
    string(REPLACE "_" "-" _suffix ${component})
    set(${out} privacycall-${_suffix} PARENT_SCOPE)
  endif()
endfunction()

# privacycall_install_pkg_config(COMPONENT): writes and installs the component's .pc file.
# Requires: the components it uses, at this version (their headers are part of its API).
# Requires.private/Libs.private: what a static library's consumers link in addition
# (`pkg-config --static`); shared libraries carry their dependencies themselves. The C++ runtime
# is not listed: the API is C++, so consumers link with a C++ compiler driver, which adds its
# own runtime (naming libstdc++ here would be wrong under libc++).
function(privacycall_install_pkg_config component)
  set(_target ${_privacycall_target_${component}})
  get_target_property(_type ${_target} TYPE)
  set(_links LINK_LIBRARIES)
  if(_type STREQUAL "INTERFACE_LIBRARY")
    set(_links INTERFACE_LINK_LIBRARIES)
  endif()
  privacycall_component_links(${component} ${_links} _uses _packages)
  set(PC_REQUIRES "")
  foreach(_used IN LISTS _uses)
    privacycall_pc_name(${_used} _module)
    list(APPEND PC_REQUIRES "${_module} = ${PROJECT_VERSION}")
  endforeach()
  set(PC_REQUIRES_PRIVATE "")
  set(PC_LIBS_PRIVATE "")
  foreach(_package IN LISTS _packages)
    if(_package STREQUAL "Threads")
      set(PC_LIBS_PRIVATE "${CMAKE_THREAD_LIBS_INIT}")
    elseif(NOT DEFINED _privacycall_pc_module_${_package})
      message(FATAL_ERROR "${_target} links ${_package}, which has no pkg-config module in "
        "privacycallInstall.cmake")
    elseif(_privacycall_pc_module_${_package} AND _type STREQUAL "INTERFACE_LIBRARY")
      # A header-only library's packages are used by its consumers' own code (mocks: gMock).
      list(APPEND PC_REQUIRES "${_privacycall_pc_module_${_package}}")
    elseif(_privacycall_pc_module_${_package})
      list(APPEND PC_REQUIRES_PRIVATE "${_privacycall_pc_module_${_package}}")
    endif()
  endforeach()
  list(JOIN PC_REQUIRES ", " PC_REQUIRES)
  list(JOIN PC_REQUIRES_PRIVATE ", " PC_REQUIRES_PRIVATE)
  set(PC_LIBS "")
  if(NOT _type STREQUAL "INTERFACE_LIBRARY")
    get_target_property(_output_name ${_target} OUTPUT_NAME)
    if(NOT _output_name)
      set(_output_name ${_target})
    endif()
    set(PC_LIBS "-L\${libdir} -l${_output_name}")
  endif()
  privacycall_pc_name(${component} PC_NAME)
  set(PC_DESCRIPTION "${_privacycall_description_${component}}")
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

foreach(_component IN LISTS _privacycall_components)
  privacycall_install_pkg_config(${_component})
endforeach()
