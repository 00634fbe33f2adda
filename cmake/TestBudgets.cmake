# Every ctest test has a budget: the seconds it takes on a quiet 2-core machine, kept in
# tests/budgets.txt ("<test name> <seconds>"). Its ctest TIMEOUT is kTimeoutFactor times the
# budget, and scripts/test.sh (scripts/check-budgets.sh) fails a run in which a test took more
# than half of that, so growth shows up as a named overrun long before it becomes a timeout.
# Usage: fieldsync_test_budget(<test name>) after add_test(); a test without a budget line is a
# configure error.
set(FIELDSYNC_BUDGET_FILE "${PROJECT_SOURCE_DIR}/tests/budgets.txt")
set(FIELDSYNC_TIMEOUT_FACTOR 4)
set_property(DIRECTORY "${PROJECT_SOURCE_DIR}" APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             "${FIELDSYNC_BUDGET_FILE}")
file(STRINGS "${FIELDSYNC_BUDGET_FILE}" FIELDSYNC_BUDGET_LINES REGEX "^[A-Za-z]")

function(fieldsync_test_budget test)
  foreach(line IN LISTS FIELDSYNC_BUDGET_LINES)
    if(line MATCHES "^([^ \t]+)[ \t]+([0-9]+)")
      if(CMAKE_MATCH_1 STREQUAL test)
        math(EXPR timeout "${CMAKE_MATCH_2} * ${FIELDSYNC_TIMEOUT_FACTOR}")
        # COST: ctest -j starts the longest first, even on a fresh clone with no timing history.
        set_tests_properties(${test} PROPERTIES TIMEOUT ${timeout} COST ${CMAKE_MATCH_2})
        return()
      endif()
    endif()
  endforeach()
  message(FATAL_ERROR "ctest test '${test}' has no budget: add '${test} <seconds>' to "
                      "${FIELDSYNC_BUDGET_FILE} (its time on a quiet 2-core machine)")
endfunction()
