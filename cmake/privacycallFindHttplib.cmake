# Provides the imported target httplib::httplib. Upstream cpp-httplib installs a CMake
# package; Debian ships only a compiled library with a pkg-config file whose compile
# definitions (OpenSSL, zlib, brotli support) must match the library's ABI.
if(TARGET httplib::httplib)
  return()
endif()

find_package(httplib 0.11 CONFIG QUIET)
if(TARGET httplib::httplib)
  return()
endif()

find_package(PkgConfig REQUIRED)
pkg_check_modules(PRIVACYCALL_CPPHTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib>=0.11)
add_library(httplib::httplib INTERFACE IMPORTED)
target_link_libraries(httplib::httplib INTERFACE PkgConfig::PRIVACYCALL_CPPHTTPLIB)
find_package(Threads REQUIRED)
target_link_libraries(httplib::httplib INTERFACE Threads::Threads)
