#pragma once
// Checks of one field value in an op against its FieldDef, by the shape its merge policy
// expects (see op.h). Private to fieldsync::core; used by validate_op. Each appends the
// problems it finds to `out`, with `path` ("fields.<name>") as their field.
#include <string>
#include <vector>

#include "fieldsync/core/error.h"
#include "fieldsync/core/model.h"

namespace fieldsync::detail {

// A plain value (lww / flag fields, a resolve's resolution) of the field's type: the
// checks of wrong_type, too_long, out_of_range, bad_timestamp, bad_date, bad_uuid and
// not_allowed_value. null is accepted: whether the field may be cleared is the caller's
// question (required).
void check_plain_value(const FieldDef& field, const Json& value, const std::string& path,
                       std::vector<Problem>& out);

// A set field's change: an object with only "add" and/or "remove", each an array of items
// of the set's element type (bad_set_change; items: not_allowed_value, too_long, bad_uuid).
void check_set_change(const FieldDef& field, const Json& change, const std::string& path,
                      std::vector<Problem>& out);

// An append field's new entries: a non-empty array of items of the list's kind, "text"
// (strings, too_long over max_length) or "json" (anything) (bad_list_items).
void check_list_items(const FieldDef& field, const Json& items, const std::string& path,
                      std::vector<Problem>& out);

// A counter's increment: a non-zero 64-bit integer (bad_counter).
void check_counter(const FieldDef& field, const Json& increment, const std::string& path,
                   std::vector<Problem>& out);

// Appends {path, code, message} unless `out` already has a problem with that path and code,
// so a large array with many bad items reports each kind of problem once.
void add_problem(std::vector<Problem>& out, const std::string& path, const char* code,
                 std::string message);

}  // namespace fieldsync::detail
