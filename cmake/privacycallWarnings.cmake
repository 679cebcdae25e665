# Warnings for the SDK's own sources only: an INTERFACE target linked PRIVATE, never exported,
# so nothing leaks into consumers' flags.
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
