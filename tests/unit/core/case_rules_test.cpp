// The case workflow rules inside validate_op (domain/case_rules.h): resolving needs a
// handling path, closing needs a satisfied petitioner, a reopen needs a reason.
#include "fieldsync/core/domain/case_rules.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "fieldsync/core/validation.h"

namespace fieldsync {
namespace {

const Model& model() {
  static const Model m = Model::load_file(std::string(FIELDSYNC_SCHEMA_DIR) + "/model.json");
  return m;
}

constexpr const char* kCase = "0192f3a4-4444-7555-8666-777777777777";

Op case_op(OpKind kind, Json fields, std::int64_t gen = 0) {
  Op op;
  op.op_id = "0192f3a4-5b6c-7d8e-9f01-23456789abcd";
  op.device_id = "0192f3a4-0000-7aaa-8bbb-cccccccccccc";
  op.user_id = "0192f3a4-1111-7222-9333-444444444444";
  op.entity = "case";
  op.id = kCase;
  op.kind = kind;
  op.fields = std::move(fields);
  op.hlc = Hlc{1764137103000, 0};
  op.base_version = 3;
  op.schema_version = model().schema_version();
  op.workflow_gen = gen;
  return op;
}

Row case_row(const std::string& status, Json more = Json::object()) {
  Row row;
  row.entity = "case";
  row.id = kCase;
  row.unit_id = "0192f3a4-3333-7444-b555-666666666666";
  row.version = 3;
  row.values = {{"title", "allowance"},
                {"channel", "visit"},
                {"status", status},
                {"received_at", "2026-11-20T09:00:00Z"}};
  row.values.update(more);
  row.stamps = {{"status", {{"gen", 0}}}};
  return row;
}

std::vector<std::string> codes(const std::vector<Problem>& problems) {
  std::vector<std::string> out;
  for (const Problem& p : problems) out.push_back(p.field + ":" + p.code);
  return out;
}

std::vector<std::string> check(const Op& op, const Row& row) {
  return codes(validate_op(model(), op, &row));
}

TEST_CASE("case rules: resolving needs a handling path, in the op or on the row") {
  const Op resolve = case_op(OpKind::update, {{"status", "resolved"}});
  CHECK(check(resolve, case_row("in_progress")) ==
        std::vector<std::string>{"fields.status:handling_path_required"});
  CHECK(check(resolve, case_row("in_progress", {{"handling_path", "counselling"}})).empty());
  CHECK(check(case_op(OpKind::update, {{"status", "resolved"}, {"handling_path", "by_law"}}),
              case_row("received"))
            .empty());
  SUBCASE("clearing the path in the same op is refused") {
    CHECK(check(case_op(OpKind::update, {{"status", "resolved"}, {"handling_path", nullptr}}),
                case_row("assigned", {{"handling_path", "counselling"}})) ==
          std::vector<std::string>{"fields.status:handling_path_required"});
  }
  SUBCASE("a stale write of resolved on a closed case is not a transition") {
    CHECK(check(resolve, case_row("closed")).empty());
  }
}

TEST_CASE("case rules: closing needs the petitioner satisfied") {
  const Op close = case_op(OpKind::update, {{"status", "closed"}});
  const Json path = {{"handling_path", "solve_quickly"}};
  CHECK(check(close, case_row("resolved", path)) ==
        std::vector<std::string>{"fields.status:not_satisfied"});
  Json unsatisfied = path;
  unsatisfied["petitioner_satisfied"] = false;
  CHECK(check(close, case_row("resolved", unsatisfied)) ==
        std::vector<std::string>{"fields.status:not_satisfied"});
  Json satisfied = path;
  satisfied["petitioner_satisfied"] = true;
  CHECK(check(close, case_row("resolved", satisfied)).empty());
  CHECK(check(case_op(OpKind::update, {{"status", "closed"}, {"petitioner_satisfied", true}}),
              case_row("resolved", path))
            .empty());
  CHECK(check(case_op(OpKind::update, {{"status", "closed"}, {"petitioner_satisfied", false}}),
              case_row("resolved", satisfied)) ==
        std::vector<std::string>{"fields.status:not_satisfied"});
  SUBCASE("a transition the workflow refuses is reported alone") {
    CHECK(check(close, case_row("received")) ==
          std::vector<std::string>{"fields.status:transition_not_allowed"});
  }
}

TEST_CASE("case rules: a reopen needs a reason") {
  const Row closed = case_row("closed", {{"petitioner_satisfied", true}});
  CHECK(check(case_op(OpKind::reopen, {{"status", "in_progress"}}, 1), closed) ==
        std::vector<std::string>{"fields.reopen_reason:reopen_reason_required"});
  CHECK(check(case_op(OpKind::reopen, {{"status", "in_progress"}, {"reopen_reason", "  "}}, 1),
              closed) == std::vector<std::string>{"fields.reopen_reason:reopen_reason_required"});
  CHECK(check(case_op(OpKind::reopen,
                      {{"status", "in_progress"}, {"reopen_reason", "came back to the gate"}}, 1),
              closed)
            .empty());
}

TEST_CASE("case rules: the server's own ops follow them too, and other entities are untouched") {
  const Op resolve = case_op(OpKind::update, {{"status", "resolved"}});
  const Row row = case_row("in_progress");
  CHECK(codes(validate_op(model(), resolve, &row, Author::server)) ==
        std::vector<std::string>{"fields.status:handling_path_required"});
  Row commitment;
  commitment.entity = "commitment";
  commitment.id = kCase;
  commitment.values = {{"status", "done"}};
  Op reopen = case_op(OpKind::reopen, {{"status", "open"}}, 1);
  reopen.entity = "commitment";
  CHECK(codes(validate_op(model(), reopen, &commitment)).empty());
}

}  // namespace
}  // namespace fieldsync
