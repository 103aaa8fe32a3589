# The warning set of STYLE.md (after curl's CMake/PickyWarnings.cmake).
# hoctap_warnings(TARGET) applies it; HOCTAP_WERROR adds -Werror.
set(HOCTAP_WARNING_FLAGS
  -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
  -Wconversion -Wformat-security -Wcast-qual -Wwrite-strings -Wundef)
if(HOCTAP_WERROR)
  list(APPEND HOCTAP_WARNING_FLAGS -Werror)
endif()

function(hoctap_warnings target)
  target_compile_options(${target} PRIVATE ${HOCTAP_WARNING_FLAGS})
  target_compile_definitions(${target} PRIVATE _GNU_SOURCE)
endfunction()
