#include <doctest/doctest.h>

#include "fieldsync/core/error.h"
#include "merge_fixture.h"

using namespace fieldsync;
using namespace fieldsync::testing;

namespace {
const Json& value(const MemoryStore& s, const char* field) {
  static Json v;
  v = s.row("case", kCase).values[field];
  return v;
}
}  // namespace

TEST_CASE("merge: a created row carries its fields, unit, version and creator") {
  MemoryStore s = store_with_case();
  Row r = s.row("case", kCase);
  CHECK(r.unit_id == kUnit);
  CHECK(r.version == 1);
  CHECK(r.values["title"] == "Housing allocation cut-off");
  CHECK(r.values["subjects"] == Json::array({"housing_allocation"}));
  CHECK(r.created_by == test_id("user-d0"));
  CHECK(r.stamps["title"]["ver"] == 1);
}

TEST_CASE("merge: lww keeps the later stamp whatever the order, ties broken by device") {
  for (bool later_first : {true, false}) {
    MemoryStore s = store_with_case();
    Op early = case_update({{"title", "early"}}, "d1", 2000);
    Op late = case_update({{"title", "late"}}, "d2", 3000);
    if (later_first) {
      s.apply(late);
      s.apply(early);
    } else {
      s.apply(early);
      s.apply(late);
    }
    CHECK(value(s, "title") == "late");
  }
  MemoryStore s = store_with_case();
  Op a = case_update({{"title", "from a"}}, "da", 2000);
  Op b = case_update({{"title", "from b"}}, "db", 2000);
  s.apply(a);
  s.apply(b);
  const bool b_greater = b.device_id > a.device_id;
  CHECK(value(s, "title") == (b_greater ? "from b" : "from a"));
}

TEST_CASE("merge: concurrent flag writes make one conflict record keeping both values") {
  MemoryStore s = store_with_case();
  Op a = case_update({{"handling_path", "counselling"}}, "d1", 2000);
  Op b = case_update({{"handling_path", "by_law"}}, "d2", 2500);
  MergeResult ra = s.apply(a);
  CHECK(ra.outcome == MergeOutcome::applied);
  MergeResult rb = s.apply(b);
  CHECK(rb.outcome == MergeOutcome::conflict);
  REQUIRE(rb.conflict_ids.size() == 1);
  Row c = s.row("conflict", rb.conflict_ids[0]);
  CHECK(c.unit_id == kUnit);
  CHECK(c.values["status"] == "open");
  CHECK(c.values["entity"] == "case");
  CHECK(c.values["row_id"] == kCase);
  CHECK(c.values["field"] == "handling_path");
  CHECK(c.values["addressed_to"] == kLeader);
  const Json& cands = c.values["candidates"];
  REQUIRE(cands.size() == 2);
  CHECK(cands[0]["value"] == "counselling");
  CHECK(cands[0]["device_id"] == a.device_id);
  CHECK(cands[0]["user_id"] == a.user_id);
  CHECK(cands[0]["hlc"] == a.hlc.to_string());
  CHECK(cands[1]["value"] == "by_law");
  CHECK(value(s, "handling_path") == "by_law");  // the later stamp is applied meanwhile

  // A third concurrent writer joins the same record.
  MergeResult rc = s.apply(case_update({{"handling_path", "flexible_solution"}}, "d3", 2200));
  CHECK(rc.conflict_ids == rb.conflict_ids);
  CHECK(s.row("conflict", rb.conflict_ids[0]).values["candidates"].size() == 3);
}

TEST_CASE("merge: a flag write made after seeing the last one is no conflict") {
  MemoryStore s = store_with_case();
  s.apply(case_update({{"handling_path", "counselling"}}, "d1", 2000));
  const std::int64_t seen = s.row("case", kCase).version;
  MergeResult r = s.apply(case_update({{"handling_path", "by_law"}}, "d2", 3000, seen));
  CHECK(r.outcome == MergeOutcome::applied);
  CHECK(r.conflict_ids.empty());
  CHECK(value(s, "handling_path") == "by_law");
}

TEST_CASE("merge: concurrent flag writes of the same value are no conflict") {
  MemoryStore s = store_with_case();
  s.apply(case_update({{"responsible_leader_id", test_id("x")}}, "d1", 2000));
  MergeResult r = s.apply(case_update({{"responsible_leader_id", test_id("x")}}, "d2", 2100));
  CHECK(r.conflict_ids.empty());
  CHECK(s.rows().size() == 1);
}

TEST_CASE(
    "merge: resolving a conflict sets the value and a later disagreement opens a new record") {
  MemoryStore s = store_with_case();
  s.apply(case_update({{"handling_path", "counselling"}}, "d1", 2000));
  const std::string cid =
      s.apply(case_update({{"handling_path", "by_law"}}, "d2", 2500)).conflict_ids.at(0);
  Op resolve = make_op(OpKind::resolve, "conflict", cid,
                       {{"resolution", "counselling"}, {"resolution_note", "agreed at office"}},
                       "office", 5000, s.row("conflict", cid).version);
  MergeResult r = s.apply(resolve);
  CHECK(r.writes.size() == 2);
  Row c = s.row("conflict", cid);
  CHECK(c.values["status"] == "resolved");
  CHECK(c.values["resolution"] == "counselling");
  CHECK(c.values["resolution_note"] == "agreed at office");
  CHECK(c.updated_by == resolve.user_id);
  CHECK(value(s, "handling_path") == "counselling");
  // Resolving again changes nothing.
  s.apply(make_op(OpKind::resolve, "conflict", cid, {{"resolution", "by_law"}}, "office", 6000));
  CHECK(value(s, "handling_path") == "counselling");
  // A write made before the decision was seen now disagrees with it: a new record.
  MergeResult again = s.apply(case_update({{"handling_path", "solve_quickly"}}, "d4", 7000, 2));
  REQUIRE(again.conflict_ids.size() == 1);
  CHECK(again.conflict_ids[0] != cid);
  CHECK(s.row("conflict", again.conflict_ids[0]).values["status"] == "open");
}

TEST_CASE("merge: workflow keeps the furthest state whatever the order") {
  for (bool forward_first : {true, false}) {
    MemoryStore s = store_with_case();
    Op assign = case_update({{"status", "assigned"}}, "d1", 9000);
    Op resolve = case_update({{"status", "resolved"}}, "d2", 2000);
    if (forward_first) {
      s.apply(resolve);
      s.apply(assign);
    } else {
      s.apply(assign);
      s.apply(resolve);
    }
    CHECK(value(s, "status") == "resolved");
  }
}

TEST_CASE("merge: a reopen beats a concurrent close, and later moves start from it") {
  for (bool reopen_first : {true, false}) {
    MemoryStore s = store_with_case();
    s.apply(case_update({{"status", "resolved"}}, "d1", 2000));
    Op close = case_update({{"status", "closed"}}, "d2", 9000, 2);
    Op reopen =
        make_op(OpKind::reopen, "case", kCase,
                {{"status", "in_progress"}, {"reopen_reason", "not satisfied"}}, "d3", 3000, 2);
    reopen.workflow_gen = 1;
    if (reopen_first) {
      s.apply(reopen);
      s.apply(close);
    } else {
      s.apply(close);
      s.apply(reopen);
    }
    CHECK(value(s, "status") == "in_progress");
    CHECK(s.row("case", kCase).stamps["status"]["gen"] == 1);
    Op after = case_update({{"status", "resolved"}}, "d1", 10000, s.row("case", kCase).version);
    after.workflow_gen = 1;
    s.apply(after);
    CHECK(value(s, "status") == "resolved");
  }
}

TEST_CASE("merge: set adds and removes, and a concurrent add wins over a remove") {
  MemoryStore s = store_with_case();
  s.apply(case_update({{"subjects", {{"add", {"pension_insurance", "other"}}}}}, "d1", 2000));
  CHECK(value(s, "subjects") == Json::array({"housing_allocation", "other", "pension_insurance"}));
  const std::int64_t seen = s.row("case", kCase).version;
  s.apply(case_update({{"subjects", {{"remove", {"other"}}}}}, "d2", 3000, seen));
  CHECK(value(s, "subjects") == Json::array({"housing_allocation", "pension_insurance"}));

  // d3 re-adds housing_allocation while d4, who saw only version 1, removes it.
  for (bool add_first : {true, false}) {
    MemoryStore t = store_with_case();
    Op add = case_update({{"subjects", {{"add", {"housing_allocation"}}}}}, "d3", 4000);
    Op remove = case_update({{"subjects", {{"remove", {"housing_allocation"}}}}}, "d4", 5000);
    t.apply(add_first ? add : remove);
    t.apply(add_first ? remove : add);
    CHECK(t.row("case", kCase).values["subjects"] == Json::array({"housing_allocation"}));
  }
}

TEST_CASE("merge: append keeps every entry in stamp order and never repeats one") {
  MemoryStore s = store_with_case();
  Op late = case_update({{"notes", {"second visit planned"}}}, "d1", 5000);
  Op early = case_update({{"notes", {"called the family", "left a card"}}}, "d2", 3000);
  s.apply(late);
  s.apply(early);
  s.apply(late);  // replayed
  const Json& notes = value(s, "notes");
  REQUIRE(notes.size() == 4);
  CHECK(notes[0]["item"] == "met at the gate");
  CHECK(notes[1]["item"] == "called the family");
  CHECK(notes[2]["item"] == "left a card");
  CHECK(notes[3]["item"] == "second visit planned");
  CHECK(notes[3]["usr"] == late.user_id);
}

TEST_CASE("merge: counter sums increments and counts each op once") {
  MemoryStore s = store_with_case();
  Op a = case_update({{"follow_up_contacts", 2}}, "d1", 2000);
  Op b = case_update({{"follow_up_contacts", 3}}, "d2", 2000);
  s.apply(a);
  s.apply(b);
  s.apply(a);
  CHECK(value(s, "follow_up_contacts") == 5);
}

TEST_CASE("merge: delete leaves a tombstone that later updates do not lift") {
  MemoryStore s = store_with_case();
  s.apply(make_op(OpKind::remove, "case", kCase, Json::object(), "d1", 2000, 1));
  s.apply(case_update({{"title", "edited offline"}}, "d2", 1500));
  Row r = s.row("case", kCase);
  CHECK(r.deleted);
  CHECK(r.values["title"] == "edited offline");  // the edit is kept, not lost
}

TEST_CASE("merge: fields of a newer model are kept in extra, last writer wins") {
  MemoryStore s = store_with_case();
  Op a = case_update({{"satisfaction_survey", "satisfied"}}, "d1", 3000);
  a.schema_version = 2;
  Op b = case_update({{"satisfaction_survey", "unsure"}}, "d2", 2000);
  b.schema_version = 2;
  s.apply(a);
  s.apply(b);
  CHECK(s.row("case", kCase).extra["satisfaction_survey"]["value"] == "satisfied");
}

TEST_CASE("merge: a child row takes its unit from its case, and a moved case says so") {
  MemoryStore s = store_with_case();
  const std::string pid = test_id("petitioner-1");
  s.apply(make_op(OpKind::create, "petitioner", pid, {{"case_id", kCase}, {"name", "Wang"}}, "d1",
                  2000));
  CHECK(s.row("petitioner", pid).unit_id == kUnit);
  MergeResult moved = s.apply(case_update({{"unit_id", kOtherUnit}}, "office", 3000));
  REQUIRE(moved.moved_from_unit.has_value());
  CHECK(*moved.moved_from_unit == kUnit);
  CHECK(s.row("case", kCase).unit_id == kOtherUnit);
}

TEST_CASE("merge: changing a row that does not exist is refused") {
  MemoryStore s(real_model());
  try {
    s.apply(case_update({{"title", "x"}}, "d1", 2000));
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(e.domain() == ErrorDomain::merge);
    CHECK(e.code() == "unknown_row");
  }
  try {
    s.apply(make_op(OpKind::create, "visit", test_id("v"),
                    {{"case_id", kCase}, {"kind", "home"}, {"visited_at", "2026-11-20T09:00:00Z"}},
                    "d1", 2000));
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(e.code() == "unknown_parent");
  }
  CHECK(s.rows().empty());
}
