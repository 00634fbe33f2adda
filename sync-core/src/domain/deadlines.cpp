#include "fieldsync/core/domain/deadlines.h"

#include <algorithm>

namespace fieldsync::domain {

bool commitment_overdue(std::string_view status, std::string_view due_date,
                        std::string_view today) {
  // Dates compare as text: YYYY-MM-DD is in calendar order.
  return status == "open" && due_date.size() == 10 && today.size() == 10 && due_date < today;
}

bool urgent_report_late(std::int64_t known_at_ms, std::int64_t reached_office_ms,
                        std::int64_t threshold_ms) {
  return reached_office_ms - known_at_ms > threshold_ms;
}

std::set<std::string> effective_kind_flags(const std::vector<std::string>& kind_flags,
                                           const std::vector<std::string>& office_kind_flags) {
  const auto& chosen = office_kind_flags.empty() ? kind_flags : office_kind_flags;
  return {chosen.begin(), chosen.end()};
}

bool needs_urgent_report(const std::set<std::string>& effective_flags) {
  return effective_flags.count("collective") > 0 || effective_flags.count("skip_level") > 0;
}

bool urgent_report_missing(const std::set<std::string>& effective_flags, std::int64_t case_known_ms,
                           const std::vector<std::int64_t>& reached_office_ms, std::int64_t now_ms,
                           std::int64_t threshold_ms) {
  if (!needs_urgent_report(effective_flags)) return false;
  const std::int64_t deadline = case_known_ms + threshold_ms;
  if (now_ms <= deadline) return false;
  return std::none_of(reached_office_ms.begin(), reached_office_ms.end(),
                      [&](std::int64_t reached) { return reached <= deadline; });
}

}  // namespace fieldsync::domain
