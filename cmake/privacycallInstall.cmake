# Install rules: headers, libraries, the exported targets, the package config and pkg-config.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(PRIVACYCALL_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/privacycall"
  CACHE STRING "Where privacycallConfig.cmake is installed")

install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/privacycall"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(FILES "${PROJECT_BINARY_DIR}/generated/include/privacycall/version.hpp"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/privacycall")

set(_privacycall_targets privacycall)
foreach(_target privacycall_webhook_server privacycall_testing)
  if(TARGET ${_target})
    list(APPEND _privacycall_targets ${_target})
  endif()
endforeach()
if(TARGET privacycall_cli)
  install(TARGETS privacycall_cli RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
endif()

install(TARGETS ${_privacycall_targets} privacycall_warnings
  EXPORT privacycallTargets
  RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}"
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}")

install(EXPORT privacycallTargets
  NAMESPACE privacycall::
  DESTINATION "${PRIVACYCALL_INSTALL_CMAKEDIR}")

configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/privacycallConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/privacycallConfig.cmake"
  INSTALL_DESTINATION "${PRIVACYCALL_INSTALL_CMAKEDIR}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/privacycallConfigVersion.cmake"
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMajorVersion)
install(FILES
  "${PROJECT_BINARY_DIR}/privacycallConfig.cmake"
  "${PROJECT_BINARY_DIR}/privacycallConfigVersion.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/privacycallDependencies.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/privacycallFindHttplib.cmake"
  DESTINATION "${PRIVACYCALL_INSTALL_CMAKEDIR}")

configure_file("${PROJECT_SOURCE_DIR}/cmake/privacycall.pc.in"
  "${PROJECT_BINARY_DIR}/privacycall.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/privacycall.pc"
  DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
