#pragma once
// Deadlines of petition work, as pure predicates over plain facts: an overdue commitment, a
// late urgent report and a case missing its urgent report. "Now" and "today" are always the
// caller's (the server's clock on the server, the device clock on a tablet, which must say
// so). docs/metrics.md states the rules; the server, the tablet and the metrics use these.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace fieldsync::domain {

// The threshold an urgent report must reach the office within, unless configured
// (`fieldsync-server serve --urgent-report-threshold MINUTES`).
constexpr std::int64_t kDefaultUrgentReportThresholdMs = std::int64_t{120} * 60 * 1000;

// A commitment is overdue when it is still open and its due date is before `today`
// ("YYYY-MM-DD"): due today is not overdue yet; done or missed is never overdue.
bool commitment_overdue(std::string_view status, std::string_view due_date, std::string_view today);

// An urgent report is late when it reached the office more than `threshold_ms` after the
// matter became known in the field: exactly at the threshold is in time.
bool urgent_report_late(std::int64_t known_at_ms, std::int64_t reached_office_ms,
                        std::int64_t threshold_ms);

// The kind flags that count for a case: the office's recomputation when the server has made
// one (non-empty office_kind_flags), otherwise what the tablet computed (kind_flags).
std::set<std::string> effective_kind_flags(const std::vector<std::string>& kind_flags,
                                           const std::vector<std::string>& office_kind_flags);

// A collective or skip-level case needs an urgent report.
bool needs_urgent_report(const std::set<std::string>& effective_flags);

// A case that needs an urgent report is missing one when no urgent report linked to it
// (urgent_report.case_id) reached the office within `threshold_ms` of the case becoming known
// (its received_at), and that deadline has passed by `now_ms`. Before the deadline it is not
// missing yet, whatever has arrived. `reached_office_ms` lists the linked reports' receive
// times (reports not yet received are left out).
bool urgent_report_missing(const std::set<std::string>& effective_flags, std::int64_t case_known_ms,
                           const std::vector<std::int64_t>& reached_office_ms, std::int64_t now_ms,
                           std::int64_t threshold_ms);

}  // namespace fieldsync::domain
