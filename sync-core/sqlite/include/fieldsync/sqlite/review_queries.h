#pragma once
// Reads what the reviewer's case list and the metrics need from the entity tables of a store
// (the server's, or a tablet's replica), with indexed queries (by unit, by case_id), and
// judges it with the core's rules (fieldsync/core/domain/): the same code on both sides.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "fieldsync/core/domain/case_filter.h"
#include "fieldsync/core/domain/metrics.h"
#include "fieldsync/sqlite/database.h"

namespace fieldsync::sqlite {

using UnitSet = std::set<std::string, std::less<>>;

// The time deadlines are judged at: the server's clock, or a tablet's device clock.
struct ReviewClock {
  std::int64_t now_ms = 0;
  std::string today;  // YYYY-MM-DD at now_ms
  std::int64_t urgent_report_threshold_ms = 0;
};

struct CaseReview {
  std::string id;
  std::string unit_id;
  std::string title;
  std::string received_at;
  domain::CaseReviewFacts facts;
  bool overdue = false;  // domain::case_overdue at the clock's today
};

struct CasePage {
  std::vector<CaseReview> cases;  // by id
  std::string after;              // the last id read; give it back for the next page
  bool more = false;              // there may be more after `after`
};

// Live cases owned by `units` (null: every case in the store) with id greater than `after`,
// that match `filter`, at most `limit`.
// REQUIRES: the store has the entity tables of the model (schema v2 or later).
CasePage review_cases(Database& db, const UnitSet* units, const domain::CaseFilter& filter,
                      const ReviewClock& clock, std::string_view after, std::size_t limit);

// Every live unit of the store.
std::vector<domain::UnitFacts> read_units(Database& db);

struct MetricsFacts {
  std::vector<domain::CaseFacts> cases;
  std::vector<domain::UrgentReportFacts> reports;
  std::vector<domain::CommitmentFacts> commitments;
};

// The live rows of `units` that the metrics of the dates [from_date, to_date] need: cases
// received and commitments due on those dates, and every urgent report (the period of a
// report is its known_at; a case's report may be known before the case).
MetricsFacts read_metrics_facts(Database& db, const UnitSet& units, const std::string& from_date,
                                const std::string& to_date);

}  // namespace fieldsync::sqlite
