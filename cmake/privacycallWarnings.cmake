# Warnings for the SDK's own sources only: an INTERFACE target that the libraries link as
# PRIVATE $<BUILD_INTERFACE:privacycall_warnings>, so it is neither installed nor exported and
# nothing (least of all -Werror) reaches consumers' flags. Tests, examples and tools link it
# directly.
add_library(privacycall_warnings INTERFACE)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(privacycall_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
    -Wnon-virtual-dtor)
  if(PRIVACYCALL_WARNINGS_AS_ERRORS)
    target_compile_options(privacycall_warnings INTERFACE -Werror)
  endif()
elseif(MSVC)
  target_compile_options(privacycall_warnings INTERFACE /W4)
endif()

# Sanitizers for the SDK's own targets and tests, e.g. -DPRIVACYCALL_SANITIZE=address,undefined
# or =thread. Carried by the same private target, so consumers never inherit them.
set(PRIVACYCALL_SANITIZE "" CACHE STRING "Comma-separated -fsanitize= list for the SDK's own build")
if(PRIVACYCALL_SANITIZE)
  target_compile_options(privacycall_warnings INTERFACE
    -fsanitize=${PRIVACYCALL_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(privacycall_warnings INTERFACE -fsanitize=${PRIVACYCALL_SANITIZE})
endif()

# Coverage instrumentation for libFuzzer across the SDK's own code (the fuzz targets add the
# fuzzer runtime themselves).
if(PRIVACYCALL_BUILD_FUZZERS)
  target_compile_options(privacycall_warnings INTERFACE -fsanitize=fuzzer-no-link)
endif()
