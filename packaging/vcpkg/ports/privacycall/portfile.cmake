# Overlay port that builds this checkout:
#   vcpkg install privacycall --overlay-ports=<checkout>/packaging/vcpkg/ports
# (a registry port would fetch a release with vcpkg_from_github instead of SOURCE_PATH below).
get_filename_component(SOURCE_PATH "${CMAKE_CURRENT_LIST_DIR}/../../../.." ABSOLUTE)

# vcpkg.json "supports": "!windows": the webhook's delivery spool is POSIX-only.

# Each feature's option is ON with the feature and OFF without it. PRIVACYCALL_REDIS would
# otherwise be AUTO and PRIVACYCALL_MOCKS build when gMock is found: a port's files must not
# depend on what else happens to be installed.
vcpkg_check_features(OUT_FEATURE_OPTIONS FEATURE_OPTIONS
  FEATURES
    client          PRIVACYCALL_CLIENT
    mocks           PRIVACYCALL_MOCKS
    redis           PRIVACYCALL_REDIS
    testing         PRIVACYCALL_TESTING
    webhook-server  PRIVACYCALL_WEBHOOK_SERVER
)

vcpkg_cmake_configure(
  SOURCE_PATH "${SOURCE_PATH}"
  OPTIONS
    ${FEATURE_OPTIONS}
    -DPRIVACYCALL_BUILD_TESTS=OFF
    -DPRIVACYCALL_BUILD_EXAMPLES=OFF
    -DPRIVACYCALL_BUILD_CLI=OFF
    -DPRIVACYCALL_BUILD_BENCH=OFF
    -DPRIVACYCALL_INSTALL=ON
)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(CONFIG_PATH lib/cmake/privacycall)
vcpkg_fixup_pkgconfig()

file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug/include" "${CURRENT_PACKAGES_DIR}/debug/share")
file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
