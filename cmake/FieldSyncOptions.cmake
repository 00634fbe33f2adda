# Compiler flags shared by every FieldSync target: call fieldsync_target_options(<target>).
add_library(fieldsync_options INTERFACE)
target_compile_options(fieldsync_options INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor> -Wconversion -Wno-sign-conversion>)
if(FIELDSYNC_WERROR)
  target_compile_options(fieldsync_options INTERFACE -Werror)
endif()
if(FIELDSYNC_SANITIZE)
  target_compile_options(fieldsync_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(fieldsync_options INTERFACE -fsanitize=address,undefined)
endif()

function(fieldsync_target_options target)
  target_link_libraries(${target} PRIVATE fieldsync_options)
endfunction()
