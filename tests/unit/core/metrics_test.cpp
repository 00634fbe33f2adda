// The metrics over a hand-built fixture: every figure's expected value is counted by hand in
// the comments, for the whole subtree and for each child unit.
#include <doctest/doctest.h>

#include "fieldsync/core/domain/calendar.h"
#include "fieldsync/core/domain/metrics.h"

using namespace fieldsync::domain;

namespace {

std::int64_t at(const char* timestamp) {
  return timestamp_ms(timestamp).value();
}

// Plant P: Unit 1 (with Team 1), Unit 2, department system "Dept HR". Another plant Q with
// unit X lies outside the subtree.
const std::vector<UnitFacts> kUnits = {{"P", "", "plant", "Plant"},
                                       {"U1", "P", "unit", "Unit 1"},
                                       {"T1", "U1", "team", "Team 1"},
                                       {"U2", "P", "unit", "Unit 2"},
                                       {"D", "P", "department_system", "Dept HR"},
                                       {"Q", "", "plant", "Other plant"},
                                       {"X", "Q", "unit", "Unit X"}};

CaseFacts make_case(const char* id, const char* unit, const char* origin, const char* status,
                    std::set<std::string> flags, const char* received, const char* level = "") {
  return {id, unit, origin, status, std::move(flags), at(received), level};
}

// Period: November 2026 ([2026-11-01, 2026-12-01)); report made 2026-11-26 12:00; 2 hours.
MetricsQuery november() {
  return {"P",
          date_start_ms("2026-11-01").value(),
          date_start_ms("2026-12-01").value(),
          at("2026-11-26T12:00:00Z"),
          "2026-11-26",
          2 * 60 * 60 * 1000};
}

const std::vector<CaseFacts> kCases = {
    // Unit 1 branch (Unit 1 and Team 1).
    make_case("c1", "T1", "T1", "closed", {"first_time"}, "2026-11-02T09:00:00Z"),
    make_case("c2", "U1", "T1", "resolved", {"first_time"}, "2026-11-03T09:00:00Z", "unit"),
    make_case("c3", "U1", "U1", "in_progress", {"repeat"}, "2026-11-04T09:00:00Z"),
    make_case("c12", "T1", "T1", "in_progress", {"first_time"}, "2026-11-20T00:00:00Z"),
    make_case("c7", "U1", "U1", "received", {"first_time"}, "2026-10-31T23:59:59Z"),  // before
    // Unit 2 branch.
    make_case("c4", "U2", "U2", "closed", {"collective"}, "2026-11-10T08:00:00Z", "unit"),
    make_case("c5", "U2", "U2", "resolved", {"skip_level"}, "2026-11-12T08:00:00Z", "bureau"),
    make_case("c8", "U2", "U2", "received", {"collective"}, "2026-11-26T11:00:00Z"),
    // Department system.
    make_case("c6", "D", "D", "closed", {"first_time"}, "2026-11-15T09:00:00Z", "plant"),
    // The plant's own case, received in the period's last second.
    make_case("c9", "P", "P", "resolved", {"first_time"}, "2026-11-30T23:59:59Z"),
    // Outside the subtree.
    make_case("c11", "X", "X", "closed", {"first_time"}, "2026-11-05T09:00:00Z"),
};

UrgentReportFacts make_report(const char* id, const char* unit, const char* case_id,
                              const char* known, const char* reached,
                              std::optional<bool> late = std::nullopt) {
  UrgentReportFacts r{id, unit, case_id, at(known), std::nullopt, late};
  if (*reached) r.reached_office_ms = at(reached);
  return r;
}

const std::vector<UrgentReportFacts> kReports = {
    // c4's report: known 90 min before it reached the office (in time), which is exactly
    // two hours after c4 was received: c4 is not missing its report.
    make_report("r1", "U2", "c4", "2026-11-10T08:30:00Z", "2026-11-10T10:00:00Z"),
    make_report("r2", "U1", "", "2026-11-05T08:00:00Z", "2026-11-05T10:00:00Z"),  // exactly 2 h
    make_report("r3", "U1", "", "2026-11-05T08:00:00Z", "2026-11-05T10:00:01Z"),  // 1 s over
    make_report("r4", "T1", "", "2026-11-06T00:00:00Z", ""),  // never received: late by now
    make_report("r5", "U2", "", "2026-11-07T00:00:00Z", "2026-11-07T00:10:00Z", true),  // stamped
    make_report("r6", "U1", "", "2026-10-30T08:00:00Z", "2026-10-30T08:05:00Z"),        // before
    // c5's report: in time as a report (1 h 1 s) but 2 h 1 s after c5 was received.
    make_report("r7", "U2", "c5", "2026-11-12T09:00:00Z", "2026-11-12T10:00:01Z"),
    make_report("r8", "X", "", "2026-11-05T08:00:00Z", ""),  // outside the subtree
};

const std::vector<CommitmentFacts> kCommitments = {
    {"k1", "T1", "c1", "open", "2026-11-25"},    // overdue
    {"k2", "T1", "c12", "open", "2026-11-26"},   // due today: not overdue
    {"k3", "U2", "c4", "done", "2026-11-02"},    // done
    {"k4", "U2", "c5", "missed", "2026-11-03"},  // marked missed: not "overdue"
    {"k5", "P", "c9", "open", "2026-12-01"},     // after the period
    {"k6", "D", "c6", "open", "2026-11-01"},     // overdue, first day of the period
    {"k7", "X", "c11", "open", "2026-11-02"},    // outside the subtree
};

Ratio r(std::int64_t numerator, std::int64_t denominator) {
  return {numerator, denominator};
}

}  // namespace

TEST_CASE("metrics: every figure of the hand-built fixture, for the subtree") {
  const MetricsReport report = compute_metrics(november(), kUnits, kCases, kReports, kCommitments);
  const Figures& t = report.total;
  // In the period: c1 c2 c3 c12 c4 c5 c8 c6 c9 (c7 is a second early, c11 another plant's).
  CHECK(t.cases == 9);
  // First-time: c1 c2 c12 c6 c9; resolved or closed: all but c12.
  CHECK(t.first_petition_resolution == r(4, 5));
  // Resolved or closed: c1 c2 c4 c5 c6 c9; closed: c1 c4 c6.
  CHECK(t.stop_petition == r(3, 6));
  CHECK(t.repeat == r(1, 9));      // c3
  CHECK(t.skip_level == r(1, 9));  // c5
  CHECK(t.collective == r(2, 9));  // c4 c8
  // Arose at Team 1 and handled: c1 (solved in the team), c2 (owner moved up to Unit 1).
  CHECK(t.not_out_team == r(1, 2));
  // Arose at a unit and handled: c4 (stayed), c5 (reached the bureau). c3 is not handled.
  CHECK(t.not_out_unit == r(1, 2));
  // Arose in the department system and handled: c6 (reached the plant: within the system).
  CHECK(t.not_out_department_system == r(1, 1));
  // Handled: c1 c2 c4 c5 c6 c9; all but c5 stayed at or below the plant.
  CHECK(t.not_out_plant == r(5, 6));
  // Known in the period: r1 r2 r3 r4 r5 r7; late: r3 (1 s over), r4 (never arrived), r5
  // (stamped late by the server).
  CHECK(t.late_reports == r(3, 6));
  // Needing a report: c4 (r1 arrived at the deadline), c5 (r7 a second after), c8 (deadline
  // 13:00 not reached at 12:00).
  CHECK(t.missing_reports == r(1, 3));
  // Due in the period: k1 k2 k3 k4 k6; overdue: k1 k6.
  CHECK(t.overdue_commitments == r(2, 5));
  CHECK(t.first_petition_resolution.rate() == doctest::Approx(0.8));
  CHECK_FALSE(Ratio{}.rate());
}

TEST_CASE("metrics: the breakdown by child unit adds up to the subtree") {
  const MetricsReport report = compute_metrics(november(), kUnits, kCases, kReports, kCommitments);
  // The plant's own rows first, then child units by name.
  REQUIRE(report.children.size() == 4);
  CHECK(report.children[0].unit_id == "P");
  CHECK(report.children[0].own);
  CHECK(report.children[1].name == "Dept HR");
  CHECK(report.children[2].name == "Unit 1");
  CHECK(report.children[3].name == "Unit 2");

  const Figures& own = report.children[0].figures;  // c9
  CHECK(own.cases == 1);
  CHECK(own.first_petition_resolution == r(1, 1));
  CHECK(own.stop_petition == r(0, 1));
  CHECK(own.not_out_plant == r(1, 1));
  CHECK(own.late_reports == r(0, 0));
  CHECK(own.overdue_commitments == r(0, 0));  // k5 is due after the period

  const Figures& dept = report.children[1].figures;  // c6, k6
  CHECK(dept.cases == 1);
  CHECK(dept.first_petition_resolution == r(1, 1));
  CHECK(dept.stop_petition == r(1, 1));
  CHECK(dept.not_out_department_system == r(1, 1));
  CHECK(dept.overdue_commitments == r(1, 1));

  const Figures& unit1 = report.children[2].figures;  // c1 c2 c3 c12 (Team 1 counts here)
  CHECK(unit1.cases == 4);
  CHECK(unit1.first_petition_resolution == r(2, 3));  // c1 c2 of c1 c2 c12
  CHECK(unit1.stop_petition == r(1, 2));              // c1 of c1 c2
  CHECK(unit1.repeat == r(1, 4));
  CHECK(unit1.skip_level == r(0, 4));
  CHECK(unit1.collective == r(0, 4));
  CHECK(unit1.not_out_team == r(1, 2));
  CHECK(unit1.not_out_unit == r(0, 0));
  CHECK(unit1.not_out_plant == r(2, 2));
  CHECK(unit1.missing_reports == r(0, 0));
  CHECK(unit1.late_reports == r(2, 3));         // r2 r3 r4; late r3 r4
  CHECK(unit1.overdue_commitments == r(1, 2));  // k1 k2

  const Figures& unit2 = report.children[3].figures;  // c4 c5 c8
  CHECK(unit2.cases == 3);
  CHECK(unit2.first_petition_resolution == r(0, 0));
  CHECK(unit2.stop_petition == r(1, 2));  // c4 of c4 c5
  CHECK(unit2.skip_level == r(1, 3));
  CHECK(unit2.collective == r(2, 3));
  CHECK(unit2.not_out_unit == r(1, 2));
  CHECK(unit2.not_out_plant == r(1, 2));
  CHECK(unit2.missing_reports == r(1, 3));
  CHECK(unit2.late_reports == r(1, 3));  // r1 r5 r7; late r5
  CHECK(unit2.overdue_commitments == r(0, 2));

  // A unit's own subtree as the root: Unit 1 with Team 1 as its child.
  MetricsQuery q = november();
  q.unit_id = "U1";
  const MetricsReport sub = compute_metrics(q, kUnits, kCases, kReports, kCommitments);
  CHECK(sub.total == unit1);
  REQUIRE(sub.children.size() == 2);
  CHECK(sub.children[1].unit_id == "T1");
  CHECK(sub.children[1].figures.cases == 2);  // c1 c12
  CHECK(sub.children[0].figures.cases == 2);  // c2 c3, Unit 1's own
}

TEST_CASE("metrics: figure names list every figure once") {
  Figures f;
  f.not_out_plant = r(1, 2);
  CHECK(figure_names().size() == 12);
  CHECK(figure(f, "not_out_plant") == r(1, 2));
  CHECK_THROWS(figure(f, "nonsense"));
}
