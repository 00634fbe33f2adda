#pragma once
// Shared by the case commands (case.cpp, case_show.cpp).
#include <string>

#include "fieldvisit/cli.h"

namespace fieldsync::fieldvisit {

// Adds `case list` to the `case` group: `fieldvisit cases` under the name a field leader
// looks for (review.cpp).
void add_case_list_command(CLI::App& group, Action& action);
// Adds `case show` to the `case` group.
void add_case_show_command(CLI::App& group, Action& action);
// Adds the petition rules' commands (case_rules.cpp): leader, transfer, path, mark, packages,
// ack, follow-up, resolve, close.
void add_case_rule_commands(CLI::App& group, Action& action);

// Prints what a write did to a case (or its JSON), then the reminder to sync.
int print_case_change(Session& session, const std::string& case_id, const Json& fields);

}  // namespace fieldsync::fieldvisit
