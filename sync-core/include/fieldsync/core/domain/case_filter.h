#pragma once
// The reviewer's case filter (status, overdue, collective, repeat, skip-level, late or
// missing urgent report, responsible leader, open conflicts), evaluated the same way on the
// server and offline on a tablet. Pure: the caller gathers each case's facts and says what
// "today" and "now" are (a tablet uses its device clock and must say so).
#include <optional>
#include <set>
#include <string>

namespace fieldsync::domain {

struct CaseFilter {
  std::optional<std::string> status;                            // exactly this status
  std::optional<std::string> leader;                            // responsible_leader_id
  bool overdue = false;                                         // case_overdue
  bool collective = false, repeat = false, skip_level = false;  // effective kind flags
  bool late_report = false;                                     // a linked urgent report is late
  bool missing_report = false;                                  // urgent_report_missing
  bool conflicts_open = false;  // an open conflict on the case or one of its rows
};

// What the filter looks at for one case.
struct CaseReviewFacts {
  std::string status;
  std::set<std::string> flags;  // effective_kind_flags
  std::string responsible_leader_id;
  std::string feedback_due;  // YYYY-MM-DD or ""
  int overdue_commitments = 0;
  int late_reports = 0;
  bool missing_report = false;
  int open_conflicts = 0;
};

// A case is overdue when one of its commitments is overdue, or its feedback is due before
// `today` while the case is not yet resolved or closed.
bool case_overdue(const CaseReviewFacts& facts, const std::string& today);

// True when the case meets every criterion the filter sets (an unset criterion admits all).
bool case_matches(const CaseFilter& filter, const CaseReviewFacts& facts, const std::string& today);

}  // namespace fieldsync::domain
