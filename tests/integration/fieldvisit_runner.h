#pragma once
// Runs the fieldvisit binary (FIELDVISIT_BIN) to completion for integration tests.
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "server_process.h"

namespace fieldsync::testing {

// `fieldvisit args...` with stdin from /dev/null, the test's environment without any
// FIELDVISIT_* variable, plus `env`; waits at most `timeout` (then kills it: exit_status -1).
CommandResult run_fieldvisit(const std::vector<std::string>& args,
                             const std::map<std::string, std::string>& env = {},
                             std::chrono::milliseconds timeout = 60s);

}  // namespace fieldsync::testing
