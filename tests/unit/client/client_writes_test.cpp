// The domain write helpers: what they fill in, and how their ops merge once synced.
#include <doctest/doctest.h>

#include "client_fixture.h"

namespace fieldsync::client::testing {
namespace {

TEST_CASE("client: an urgent report and a completed commitment reach the office") {
  World world;
  Device a(world, "a.db", 1);
  Device office(world, "office.db", 3);
  a.login("leader1");
  office.login("office");
  const std::string id = a->create_case(case_fields("Collective visit planned"));
  const std::string report = a->file_urgent_report(
      id, {{"kind", "collective_visit"}, {"headcount", 12}, {"summary", "12 retirees"}});
  const std::string commitment = a->add_commitment(
      id, {{"who", "leader1"}, {"how", "meet the group"}, {"due_date", "2026-05-30"}});
  a.clock.advance(kMinute);
  a->complete_commitment(commitment);
  a->sync();
  office->sync();

  const CaseDetail seen = office->get_case(id);
  REQUIRE(seen.urgent_reports.size() == 1);
  const Record& r = seen.urgent_reports[0];
  CHECK(r.id == report);
  CHECK(r.unit_id == world.unit1.id);
  CHECK(r.values["case_id"] == id);
  CHECK(r.values["known_at"] == "2026-05-28T20:26:40.000Z");  // the device time when filed
  CHECK(r.values["headcount"] == 12);
  REQUIRE(seen.commitments.size() == 1);
  CHECK(seen.commitments[0].values["status"] == "done");
  CHECK(seen.commitments[0].values["done_at"] == "2026-05-28T20:27:40.000Z");
  CHECK(error_of([&] {
          a->file_urgent_report(id, {{"kind", "rumour"}});
        }) == "validation/not_allowed_value");
}

TEST_CASE("client: a reopen made after seeing the case resolved wins over a concurrent close") {
  World world;
  Device a(world, "a.db", 1);
  Device b(world, "b.db", 2);
  a.login("leader1");
  b.login("leader2");
  const std::string id = a->create_case(case_fields("Handled but not satisfied"));
  a->update_case(id, {{"status", "resolved"}, {"handling_path", "counselling"}});
  a->sync();
  b->sync();

  b.clock.advance(kMinute);
  b->update_case(id, {{"status", "closed"}, {"petitioner_satisfied", true}});  // B closes it...
  a->reopen_case(id, "the petitioner is not satisfied");  // ...while A reopens it
  CHECK(a->find("case", id)->values["status"] == "in_progress");
  b->sync();
  a->sync();
  b->sync();

  for (Device* d : {&a, &b}) {
    CAPTURE(d->path);
    const Record c = *(*d)->find("case", id);
    CHECK(c.values["status"] == "in_progress");
    CHECK(c.values["reopen_reason"] == "the petitioner is not satisfied");
  }
  bool reopen_sent = false;
  for (const HistoryEntry& h : a->get_case(id).history)
    reopen_sent = reopen_sent || (h.kind == "reopen" && h.state == "accepted");
  CHECK(reopen_sent);

  // The next close needs the new generation: the device supplies it.
  a->update_case(id, {{"status", "resolved"}});
  a->sync();
  b->sync();
  CHECK(b->find("case", id)->values["status"] == "resolved");
}

TEST_CASE("client: set fields given as whole arrays become adds and removes") {
  World world;
  Device a(world, "a.db", 1);
  Device b(world, "b.db", 2);
  a.login("leader1");
  b.login("leader2");
  Json fields = case_fields("Tags");
  fields["five_packages"] = {"information", "people"};
  const std::string id = a->create_case(fields);
  a->sync();
  b->sync();

  a->update_case(id, {{"five_packages", {"people", "policy"}}});  // drop information
  b->update_case(id, {{"five_packages", {"information", "people", "agreement"}}});  // add one
  a->sync();
  b->sync();
  a->sync();
  const Json expected = {"agreement", "people", "policy"};
  CHECK(a->find("case", id)->values["five_packages"] == expected);
  CHECK(b->find("case", id)->values["five_packages"] == expected);
}

}  // namespace
}  // namespace fieldsync::client::testing
