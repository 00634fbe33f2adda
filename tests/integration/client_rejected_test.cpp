// Ops the server refuses for reasons the tablet cannot see coming stay visible with their
// reasons, are never sent again, and leave only when discarded on purpose.
#include <doctest/doctest.h>

#include "client_world.h"

namespace fieldsync::testing {
namespace {

// The problem codes of the rejected op with this id on the device ("" when not rejected).
std::string problem_codes(client::Client& c, const std::string& op_id) {
  for (const client::RejectedOp& r : c.status().rejected) {
    if (r.op_id != op_id) continue;
    std::string codes;
    for (const Problem& p : r.problems) codes += (codes.empty() ? "" : ",") + p.code;
    return codes.empty() ? "?" : codes;
  }
  return "";
}

TEST_CASE(
    "client rejected: a forbidden move and an edit of a deleted case stay listed with reasons") {
  ClientWorld world({kLeaderA, kOffice});
  Tablet a = world.signed_in("a", "leader_a");
  Tablet office = world.signed_in("office", "office");
  const std::string moved = a->create_case(case_fields("Skip-level petition"));
  const std::string deleted = a->create_case(case_fields("Filed twice"));
  a->sync();
  office->sync();

  // A field leader may not move a case to another unit, even one below their own; the tablet
  // does not know the roles' rules.
  const std::string move_op = a->write(OpKind::update, "case", moved,
                                       {{"unit_id", world.api().unit_id("Plant/Unit A/Team A1")}});
  // The office deletes a case the leader is editing offline.
  const std::string edit_op =
      a->write(OpKind::update, "case", deleted, {{"summary", "called the petitioner"}});
  const std::string good_op = a->write(OpKind::update, "case", moved, {{"headcount", 3}});
  office->write(OpKind::remove, "case", deleted, nlohmann::json::object());
  CHECK(office->sync().accepted == 1);

  const client::SyncReport report = a->sync();
  CHECK(report.rejected == 2);
  CHECK(report.accepted == 1);
  CHECK(a->status().pending_ops == 0);
  REQUIRE(a->status().rejected.size() == 2);
  const std::string move_codes = problem_codes(a.client(), move_op);
  const std::string edit_codes = problem_codes(a.client(), edit_op);
  CHECK(move_codes == "forbidden");
  CHECK(edit_codes == "deleted");
  for (const client::RejectedOp& r : a->status().rejected) {
    CHECK_FALSE(r.problems.at(0).message.empty());
    CHECK(r.entity == "case");
  }
  CHECK(a->find("case", moved)->values["headcount"] == 3);
  CHECK(a->find("case", moved)->unit_id == world.api().unit_id("Plant/Unit A"));
  CHECK_FALSE(a->find("case", deleted));

  // Still there after a restart, and not sent again by the next syncs.
  const std::int64_t logged = world.ops_logged(a.device_id());
  CHECK(world.ops_logged(a.device_id(), "rejected") == 2);
  a.reopen();
  a->sync();
  a->sync();
  CHECK(world.ops_logged(a.device_id()) == logged);
  CHECK(problem_codes(a.client(), move_op) == move_codes);
  CHECK(problem_codes(a.client(), edit_op) == edit_codes);
  CHECK(world.op_logged(good_op) == 1);

  // Discarded on purpose, one at a time.
  a->discard_rejected(move_op);
  CHECK(a->status().rejected.size() == 1);
  CHECK(error_of([&] { a->discard_rejected(move_op); }) == "client/unknown_op");
  a->discard_rejected(edit_op);
  CHECK(a->status().rejected.empty());
  a->sync();
  CHECK(world.ops_logged(a.device_id()) == logged);
  CHECK(a->status().pending_ops == 0);
}

}  // namespace
}  // namespace fieldsync::testing
