# The consumer programs, shared by the find_package and add_subdirectory projects: one per
# library, <component>_consumer linking privacycall::<component> and nothing else, each built
# with strict warnings of the consumer's own (so the public headers must be clean under them).
#
# privacycall_consumer_programs([COMPONENT...]): defines the programs of these components whose
# target exists; by default of every one (privacycall, the umbrella, common, client, webhook,
# webhook_server, webhook_redis, testing).
set(_privacycall_consumer_src "${CMAKE_CURRENT_LIST_DIR}/src")
function(privacycall_consumer_programs)
  set(_components ${ARGN})
  if(NOT _components)
    set(_components privacycall common client webhook webhook_server webhook_redis testing)
  endif()
  foreach(_component IN LISTS _components)
    if(NOT TARGET privacycall::${_component})
      continue()
    endif()
    set(_name ${_component}_consumer)
    add_executable(${_name} "${_privacycall_consumer_src}/${_name}.cpp")
    target_link_libraries(${_name} PRIVATE privacycall::${_component})
    target_compile_features(${_name} PRIVATE cxx_std_17)
    if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
      target_compile_options(${_name} PRIVATE -Wall -Wextra -Wpedantic -Werror)
    endif()
  endforeach()
endfunction()
