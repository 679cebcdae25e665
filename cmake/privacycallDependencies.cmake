# Finds what the SDK's targets link against. Installed beside privacycallConfig.cmake and
# included from it too, so that the build and consumers resolve dependencies the same way.


find_package(CURL 7.61 REQUIRED)
find_package(OpenSSL 1.1.1 REQUIRED)
find_package(nlohmann_json 3.9 REQUIRED)
find_package(Threads REQUIRED)

if(PRIVACYCALL_WEBHOOK_SERVER OR PRIVACYCALL_TESTING OR NOT DEFINED PRIVACYCALL_WEBHOOK_SERVER)
  include(privacycallFindHttplib)
endif()
