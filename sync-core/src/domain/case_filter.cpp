#include "fieldsync/core/domain/case_filter.h"

namespace fieldsync::domain {

bool case_overdue(const CaseReviewFacts& facts, const std::string& today) {
  if (facts.overdue_commitments > 0) return true;
  const bool handled = facts.status == "resolved" || facts.status == "closed";
  return !handled && facts.feedback_due.size() == 10 && facts.feedback_due < today;
}

bool case_matches(const CaseFilter& filter, const CaseReviewFacts& facts,
                  const std::string& today) {
  if (filter.status && facts.status != *filter.status) return false;
  if (filter.leader && facts.responsible_leader_id != *filter.leader) return false;
  if (filter.overdue && !case_overdue(facts, today)) return false;
  if (filter.collective && !facts.flags.count("collective")) return false;
  if (filter.repeat && !facts.flags.count("repeat")) return false;
  if (filter.skip_level && !facts.flags.count("skip_level")) return false;
  if (filter.late_report && facts.late_reports == 0) return false;
  if (filter.missing_report && !facts.missing_report) return false;
  if (filter.conflicts_open && facts.open_conflicts == 0) return false;
  return true;
}

}  // namespace fieldsync::domain
