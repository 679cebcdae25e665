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
