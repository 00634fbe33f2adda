#include <doctest/doctest.h>

#include "fieldsync/core/domain/calendar.h"
#include "fieldsync/core/domain/case_filter.h"
#include "fieldsync/core/domain/deadlines.h"

using namespace fieldsync::domain;

namespace {
std::int64_t at(const char* timestamp) {
  return timestamp_ms(timestamp).value();
}
constexpr std::int64_t kTwoHours = 2 * 60 * 60 * 1000;
}  // namespace

TEST_CASE("calendar: timestamps and dates to Unix ms and back") {
  CHECK(timestamp_ms("1970-01-01T00:00:00Z") == 0);
  CHECK(timestamp_ms("2026-11-26T08:00:00.250Z") == 1795680000250);
  CHECK(timestamp_ms("2024-02-29T23:59:59Z") == date_start_ms("2024-03-01").value() - 1000);
  CHECK_FALSE(timestamp_ms("2025-02-29T00:00:00Z"));
  CHECK_FALSE(timestamp_ms("2026-11-26T24:00:00Z"));
  CHECK_FALSE(timestamp_ms("2026-11-26 08:00:00Z"));
  CHECK_FALSE(date_start_ms("2026-11-26T00:00:00Z"));
  CHECK(utc_date(1795680000250) == "2026-11-26");
  CHECK(utc_date(date_start_ms("2026-12-01").value() - 1) == "2026-11-30");
  CHECK(utc_date(0) == "1970-01-01");
}

TEST_CASE("deadlines: a commitment is overdue only while open and after its due day") {
  CHECK(commitment_overdue("open", "2026-11-25", "2026-11-26"));
  CHECK_FALSE(commitment_overdue("open", "2026-11-26", "2026-11-26"));  // due today
  CHECK_FALSE(commitment_overdue("done", "2026-11-01", "2026-11-26"));
  CHECK_FALSE(commitment_overdue("missed", "2026-11-01", "2026-11-26"));
  CHECK(commitment_overdue("open", "2025-12-31", "2026-01-01"));  // across a year
}

TEST_CASE("deadlines: an urgent report exactly at the threshold is in time, one second over late") {
  const std::int64_t known = at("2026-11-26T08:00:00Z");
  CHECK_FALSE(urgent_report_late(known, at("2026-11-26T10:00:00Z"), kTwoHours));
  CHECK(urgent_report_late(known, at("2026-11-26T10:00:01Z"), kTwoHours));
  CHECK_FALSE(urgent_report_late(known, at("2026-11-26T07:00:00Z"), kTwoHours));  // before known
  CHECK(kDefaultUrgentReportThresholdMs == kTwoHours);
}

TEST_CASE("deadlines: the office's kind flags count when present, else the tablet's") {
  CHECK(effective_kind_flags({"first_time"}, {}) == std::set<std::string>{"first_time"});
  CHECK(effective_kind_flags({"first_time"}, {"repeat"}) == std::set<std::string>{"repeat"});
}

TEST_CASE("deadlines: a collective or skip-level case misses its report only after the deadline") {
  const std::int64_t known = at("2026-11-26T08:00:00Z");
  const std::int64_t deadline = at("2026-11-26T10:00:00Z");
  const std::set<std::string> collective = {"collective"};
  // No report: not missing until the deadline has passed.
  CHECK_FALSE(urgent_report_missing(collective, known, {}, deadline, kTwoHours));
  CHECK(urgent_report_missing(collective, known, {}, deadline + 1, kTwoHours));
  // A report that reached the office exactly at the deadline counts; one second later not.
  CHECK_FALSE(urgent_report_missing(collective, known, {deadline}, deadline + 5000, kTwoHours));
  CHECK(urgent_report_missing(collective, known, {deadline + 1000}, deadline + 5000, kTwoHours));
  CHECK_FALSE(
      urgent_report_missing({"skip_level"}, known, {known + 60000}, deadline + 1, kTwoHours));
  CHECK(urgent_report_missing({"skip_level"}, known, {}, deadline + 1, kTwoHours));
  // A case that needs no report never misses one.
  CHECK_FALSE(urgent_report_missing({"repeat"}, known, {}, deadline + 1, kTwoHours));
}

TEST_CASE("case filter: every criterion narrows, overdue covers commitments and feedback") {
  CaseReviewFacts facts;
  facts.status = "in_progress";
  facts.flags = {"collective", "repeat"};
  facts.responsible_leader_id = "leader-1";
  const std::string today = "2026-11-26";
  CHECK(case_matches({}, facts, today));
  CaseFilter f;
  f.status = "in_progress";
  f.collective = true;
  f.repeat = true;
  f.leader = "leader-1";
  CHECK(case_matches(f, facts, today));
  f.skip_level = true;
  CHECK_FALSE(case_matches(f, facts, today));

  CaseFilter overdue;
  overdue.overdue = true;
  CHECK_FALSE(case_matches(overdue, facts, today));
  facts.feedback_due = "2026-11-25";
  CHECK(case_matches(overdue, facts, today));
  facts.status = "resolved";  // feedback no longer pending
  CHECK_FALSE(case_matches(overdue, facts, today));
  facts.overdue_commitments = 1;
  CHECK(case_matches(overdue, facts, today));

  for (auto member : {&CaseFilter::late_report, &CaseFilter::conflicts_open}) {
    CaseFilter g;
    g.*member = true;
    CHECK_FALSE(case_matches(g, facts, today));
  }
  facts.late_reports = 1;
  facts.open_conflicts = 2;
  CaseFilter late;
  late.late_report = true;
  late.conflicts_open = true;
  CHECK(case_matches(late, facts, today));
  CaseFilter missing;
  missing.missing_report = true;
  CHECK_FALSE(case_matches(missing, facts, today));
  facts.missing_report = true;
  CHECK(case_matches(missing, facts, today));
  CaseFilter leader;
  leader.leader = "leader-2";
  CHECK_FALSE(case_matches(leader, facts, today));
}
