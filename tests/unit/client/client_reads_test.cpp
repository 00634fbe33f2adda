// Reads over the view: case lists with filters, a case with its rows, visit corrections and
// history.
#include <doctest/doctest.h>

#include "client_fixture.h"
#include "fieldsync/server/server_identity.h"

namespace fieldsync::client::testing {
namespace {

std::vector<std::string> titles(const CaseList& list) {
  std::vector<std::string> out;
  for (const CaseSummary& c : list.cases) out.push_back(c.row.values["title"]);
  std::sort(out.begin(), out.end());
  return out;
}

CaseQuery mine() {
  CaseQuery q;
  q.mine = true;
  return q;
}

CaseQuery in_status(const std::string& status) {
  CaseQuery q;
  q.filter.status = status;
  return q;
}

CaseQuery overdue_on(std::optional<std::string> today = std::nullopt) {
  CaseQuery q;
  q.filter.overdue = true;
  q.today = today;
  return q;
}

TEST_CASE("client: case lists filter by mine, status and overdue commitments") {
  World world;
  Device a(world, "a.db", 1);
  Device b(world, "b.db", 2);
  a.login("leader1");
  b.login("leader2");
  const std::string by_a = a->create_case(case_fields("made by A"));
  a->sync();
  b->sync();
  const std::string assigned = b->create_case(case_fields("made by B, A responsible"));
  b->update_case(assigned, {{"responsible_leader_id", world.leader1.id}, {"status", "assigned"}});
  const std::string other = b->create_case(case_fields("made by B"));
  b->add_commitment(other, {{"who", "B"}, {"how", "call back"}, {"due_date", "2026-05-20"}});
  const std::string done =
      b->add_commitment(other, {{"who", "B"}, {"how", "send papers"}, {"due_date", "2026-05-01"}});
  b->complete_commitment(done);
  b->add_commitment(by_a, {{"who", "B"}, {"how", "visit"}, {"due_date", "2026-05-28"}});
  b->sync();
  a->sync();
  b->sync();

  CHECK(titles(a->list_cases()).size() == 3);
  CHECK(titles(a->list_cases(mine())) ==
        std::vector<std::string>{"made by A", "made by B, A responsible"});
  CHECK(titles(b->list_cases(mine())) ==
        std::vector<std::string>{"made by B", "made by B, A responsible"});
  CHECK(titles(a->list_cases(in_status("assigned"))) ==
        std::vector<std::string>{"made by B, A responsible"});

  // The device clock says 2026-05-28: due that day is not overdue yet, due before it is.
  const CaseList overdue = a->list_cases(overdue_on());
  CHECK(overdue.today == "2026-05-28");
  CHECK(overdue.today_from_device_clock);
  REQUIRE(overdue.cases.size() == 1);
  CHECK(overdue.cases[0].row.id == other);
  CHECK(overdue.cases[0].open_commitments == 1);
  CHECK(overdue.cases[0].overdue_commitments == 1);

  const CaseList later = a->list_cases(overdue_on("2026-06-01"));
  CHECK(later.today == "2026-06-01");
  CHECK_FALSE(later.today_from_device_clock);
  CHECK(titles(later) == std::vector<std::string>{"made by A", "made by B"});
  a.clock.advance(5 * kDay);
  CHECK(a->list_cases(overdue_on()).cases.size() == 2);
}

TEST_CASE("client: a case shows its visits with their corrections, never overwritten") {
  World world;
  Device a(world, "a.db", 1);
  a.login("leader1");
  const std::string id = a->create_case(case_fields("Long-standing petitioner"));
  const std::string first = a->add_visit(id, {{"kind", "home"},
                                              {"visited_at", "2026-05-20T09:00:00Z"},
                                              {"notes", "met the son"},
                                              {"leader_ids", {world.leader1.id}}});
  const std::string second =
      a->add_visit(id, {{"kind", "reception"}, {"visited_at", "2026-05-25T09:00:00Z"}});
  const std::string fix = a->correct_visit(first, {{"notes", "met the daughter"}});
  const std::string fix_again = a->correct_visit(fix, {{"notes", "met the daughter-in-law"}});
  a->sync();

  const CaseDetail detail = a->get_case(id);
  REQUIRE(detail.visits.size() == 2);
  CHECK(detail.visits[0].visit.id == first);
  CHECK(detail.visits[0].visit.values["notes"] == "met the son");
  CHECK(detail.visits[0].visit.values["leader_ids"] == Json({world.leader1.id}));
  REQUIRE(detail.visits[0].corrections.size() == 2);
  CHECK(detail.visits[0].corrections[0].id == fix);
  CHECK(detail.visits[0].corrections[0].values["kind"] == "home");
  CHECK(detail.visits[0].corrections[0].values["visited_at"] == "2026-05-20T09:00:00Z");
  CHECK(detail.visits[0].corrections[0].values["corrects_visit_id"] == first);
  CHECK(detail.visits[0].corrections[1].id == fix_again);
  CHECK(detail.visits[1].visit.id == second);
  CHECK(detail.visits[1].corrections.empty());
}

TEST_CASE("client: history says who changed what, when and from which device") {
  World world;
  Device a(world, "a.db", 1);
  Device b(world, "b.db", 2);
  a.login("leader1");
  b.login("leader2");
  const std::string id = a->create_case(case_fields("Skip-level visit"));
  a->sync();
  b->sync();
  b.clock.advance(kMinute);
  b->update_case(id, {{"title", "Skip-level visit to the bureau"}, {"notes", {"B was there"}}});
  b->sync();
  a->sync();
  a.clock.advance(2 * kMinute);
  a->update_case(id, {{"summary", "not sent yet"}});

  // The office's own write (its kind flags for the new case) is listed apart.
  std::vector<HistoryEntry> history;
  std::vector<HistoryEntry> office;
  for (const HistoryEntry& h : a->get_case(id).history)
    (h.device_id == server::server_device_id() ? office : history).push_back(h);
  REQUIRE(office.size() == 1);
  CHECK(office[0].fields == std::vector<std::string>{"office_kind_flags"});
  REQUIRE(history.size() == 3);
  // A's create, from its outbox.
  CHECK(history[0].source == "outbox");
  CHECK(history[0].kind == "create");
  CHECK(history[0].device_id == a->device_id());
  CHECK(history[0].user_id == world.leader1.id);
  CHECK(history[0].state == "accepted");
  CHECK(history[0].version > 0);
  // B's change, known from the row's stamps.
  CHECK(history[1].source == "stamps");
  CHECK(history[1].device_id == b->device_id());
  CHECK(history[1].user_id == world.leader2.id);
  CHECK(history[1].fields == std::vector<std::string>{"notes", "title"});
  CHECK(history[1].state == "confirmed");
  // A's pending change.
  CHECK(history[2].source == "outbox");
  CHECK(history[2].state == "pending");
  CHECK(history[2].fields == std::vector<std::string>{"summary"});
  CHECK(history[0].hlc < history[1].hlc);
  CHECK(history[1].hlc < history[2].hlc);
}

}  // namespace
}  // namespace fieldsync::client::testing
