// The reviewer's filters on the tablet, offline: overdue commitments and late urgent reports
// judged with the device clock (and said so), by the same core rules the server uses.
#include <doctest/doctest.h>

#include "client_fixture.h"
#include "fieldsync/server/sync_service.h"

namespace fieldsync::client::testing {
namespace {

std::set<std::string> ids(const CaseList& list) {
  std::set<std::string> out;
  for (const CaseSummary& c : list.cases) out.insert(c.row.id);
  return out;
}

CaseQuery with(bool domain::CaseFilter::*criterion) {
  CaseQuery q;
  q.filter.*criterion = true;
  return q;
}

}  // namespace

TEST_CASE("client review: overdue commitments by the device clock, offline") {
  World world;
  Device a(world, "a.db", 1);
  a.login("leader1");
  // The device clock says 2026-05-28.
  const std::string late = a->create_case(case_fields("commitment due yesterday"));
  a->add_commitment(late, {{"who", "A"}, {"how", "call back"}, {"due_date", "2026-05-27"}});
  const std::string today = a->create_case(case_fields("commitment due today"));
  a->add_commitment(today, {{"who", "A"}, {"how", "visit"}, {"due_date", "2026-05-28"}});
  const std::string done = a->create_case(case_fields("commitment done"));
  a->complete_commitment(
      a->add_commitment(done, {{"who", "A"}, {"how", "papers"}, {"due_date", "2026-05-01"}}));

  const CaseList overdue = a->list_cases(with(&domain::CaseFilter::overdue));
  CHECK(overdue.today == "2026-05-28");
  CHECK(overdue.today_from_device_clock);
  CHECK(ids(overdue) == std::set<std::string>{late});
  REQUIRE(overdue.cases.size() == 1);
  CHECK(overdue.cases[0].overdue);
  CHECK(overdue.cases[0].overdue_commitments == 1);

  // A day later on the device clock, the one due "today" is overdue too; nothing synced.
  a.clock.advance(kDay);
  CHECK(ids(a->list_cases(with(&domain::CaseFilter::overdue))) ==
        std::set<std::string>{late, today});
  CHECK(a->status().pending_ops > 0);
}

TEST_CASE("client review: late urgent reports and the leader filter, offline and after sync") {
  World world;
  Device a(world, "a.db", 1);
  a.login("leader1");
  const std::string slow = a->create_case(case_fields("reported three hours late"));
  const std::string quick = a->create_case(case_fields("reported at once"));
  a->file_urgent_report(slow, {{"kind", "collective_visit"},
                               {"known_at", server::format_timestamp(kStartMs - 180 * kMinute)},
                               {"summary", "a group at the gate"}});
  a->file_urgent_report(quick, {{"kind", "collective_visit"},
                                {"known_at", server::format_timestamp(kStartMs - kMinute)},
                                {"summary", "a group at the gate"}});
  a->update_case(quick, {{"responsible_leader_id", world.leader2.id}});

  // Not yet at the office: judged against the device clock.
  CHECK(ids(a->list_cases(with(&domain::CaseFilter::late_report))) == std::set<std::string>{slow});
  CaseQuery by_leader;
  by_leader.filter.leader = world.leader2.id;
  CHECK(ids(a->list_cases(by_leader)) == std::set<std::string>{quick});

  // After sync the server's stamps count, and agree.
  a->sync();
  a->sync();
  const CaseList late = a->list_cases(with(&domain::CaseFilter::late_report));
  CHECK(ids(late) == std::set<std::string>{slow});
  REQUIRE(late.cases.size() == 1);
  CHECK(late.cases[0].late_reports == 1);
  CHECK(ids(a->list_cases(with(&domain::CaseFilter::conflicts_open))).empty());
}

}  // namespace fieldsync::client::testing
