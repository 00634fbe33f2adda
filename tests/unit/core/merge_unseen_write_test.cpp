// A flag write must not overwrite, unseen, a choice another device made, even when that
// choice lost the lww comparison (found by the simulation, tests/sim).
#include <doctest/doctest.h>

#include "merge_fixture.h"

using namespace fieldsync;
using namespace fieldsync::testing;

TEST_CASE("merge: a flag write over an unseen write that lost on stamps is a conflict") {
  MemoryStore s = store_with_case();
  // d1 (clock ahead) and d2 (clock behind) both choose counselling, neither seeing the other:
  // no disagreement, d1's stamp wins.
  s.apply(case_update({{"handling_path", "counselling"}}, "d1", 5000));
  const MergeResult same = s.apply(case_update({{"handling_path", "counselling"}}, "d2", 2000));
  CHECK(same.conflict_ids.empty());
  // d1 changes its mind, still without having seen d2's choice: d2's choice is not silently
  // overwritten.
  const MergeResult r = s.apply(case_update({{"handling_path", "by_law"}}, "d1", 6000, 2));
  CHECK(r.outcome == MergeOutcome::conflict);
  REQUIRE(r.conflict_ids.size() == 1);
  const Json candidates = s.row("conflict", r.conflict_ids[0]).values["candidates"];
  REQUIRE(candidates.size() == 2);
  CHECK(candidates[0]["value"] == "counselling");
  CHECK(candidates[1]["value"] == "by_law");
  CHECK(s.row("case", kCase).values["handling_path"] == "by_law");
}

TEST_CASE("merge: a write joins the open conflict even when its device holds the last stamp") {
  MemoryStore s = store_with_case();
  s.apply(case_update({{"feedback_due", "2026-07-01"}}, "d1", 5000));
  const MergeResult opened = s.apply(case_update({{"feedback_due", "2026-08-01"}}, "d2", 2000));
  REQUIRE(opened.conflict_ids.size() == 1);
  // d1 (whose stamp is the field's last) writes a third date without having seen d2's: the
  // open record must list it, or the person deciding would never see it.
  const MergeResult r = s.apply(case_update({{"feedback_due", "2026-09-01"}}, "d1", 6000, 2));
  CHECK(r.conflict_ids == opened.conflict_ids);
  const Json candidates = s.row("conflict", opened.conflict_ids[0]).values["candidates"];
  CHECK(candidates.size() == 3);
}

TEST_CASE("merge: a flag write that saw every other device's write is no conflict") {
  MemoryStore s = store_with_case();
  s.apply(case_update({{"handling_path", "counselling"}}, "d1", 5000));
  s.apply(case_update({{"handling_path", "counselling"}}, "d2", 2000));
  const std::int64_t seen = s.row("case", kCase).version;
  const MergeResult r = s.apply(case_update({{"handling_path", "by_law"}}, "d1", 6000, seen));
  CHECK(r.conflict_ids.empty());
  CHECK(s.row("case", kCase).values["handling_path"] == "by_law");
}
