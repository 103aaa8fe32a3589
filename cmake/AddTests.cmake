# hoctap_add_test(NAME SOURCES...) — one Criterion executable per module,
# registered with ctest (after syslog-ng's cmake/add_tests.cmake).  A
# sanitizer report anywhere in the output fails the test.
# Criterion's criterion/new/assert.h macros expand, in the test's own code,
# to bit-field stores and const-dropping initialisers that -Wconversion and
# -Wdiscarded-qualifiers reject; those two are relaxed for tests only.
function(hoctap_test_warnings target)
  target_compile_options(${target} PRIVATE -Wno-conversion -Wno-discarded-qualifiers)
endfunction()

function(hoctap_add_test name)
  add_executable(${name} ${ARGN})
  hoctap_warnings(${name})
  hoctap_test_warnings(${name})
  target_link_libraries(${name} PRIVATE hoctap_testsupport hoctap_common PkgConfig::CRITERION)
  add_test(NAME ${name} COMMAND ${name} --jobs=2)
  set_tests_properties(${name} PROPERTIES
    FAIL_REGULAR_EXPRESSION "ERROR: AddressSanitizer;runtime error:;ERROR: LeakSanitizer"
    TIMEOUT 600)
endfunction()
