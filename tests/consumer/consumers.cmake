# The consumer programs, shared by the find_package and add_subdirectory projects: one per
# library, each built with strict warnings of the consumer's own (so the public headers must be
# clean under them) and nothing else but the target it links.
#
# privacycall_consumer_programs(): defines core_consumer, plus testing_consumer and
# webhook_server_consumer for the libraries that exist.
set(_privacycall_consumer_src "${CMAKE_CURRENT_LIST_DIR}/src")
function(privacycall_consumer_programs)
  set(_src "${_privacycall_consumer_src}")
  set(_programs core_consumer privacycall::privacycall)
  if(TARGET privacycall::testing)
    list(APPEND _programs testing_consumer privacycall::testing)
  endif()
  if(TARGET privacycall::webhook_server)
    list(APPEND _programs webhook_server_consumer privacycall::webhook_server)
  endif()
  while(_programs)
    list(POP_FRONT _programs _name _library)
    add_executable(${_name} "${_src}/${_name}.cpp")
    target_link_libraries(${_name} PRIVATE ${_library})
    target_compile_features(${_name} PRIVATE cxx_std_17)
    if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
      target_compile_options(${_name} PRIVATE -Wall -Wextra -Wpedantic -Werror)
    endif()
  endwhile()
endfunction()
