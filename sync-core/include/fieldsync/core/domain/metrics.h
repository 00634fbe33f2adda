#pragma once
// The speech's metrics for a unit subtree and a period, each broken down by child unit: two
// increases (first-petition resolution, stop-petition), three decreases (repeat, skip-level,
// collective), four "not out" (solved where the matter arose: team, unit, department
// system, plant), and late or missing urgent reports and overdue commitments. Pure
// computation over plain facts the caller gathered; docs/metrics.md gives every formula.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace fieldsync::domain {

struct UnitFacts {
  std::string id;
  std::string parent_id;  // "" for the root of the organisation
  std::string kind;       // bureau, plant, department_system, unit, team
  std::string name;
};

struct CaseFacts {
  std::string id;
  std::string unit_id;         // owner unit now
  std::string origin_unit_id;  // where the matter arose ("" = the owner unit)
  std::string status;
  std::set<std::string> flags;  // effective kind flags (effective_kind_flags)
  std::int64_t received_ms = 0;
  std::string highest_level_reached;  // "" when not recorded
};

struct UrgentReportFacts {
  std::string id;
  std::string unit_id;
  std::string case_id;  // "" when not linked to a case
  std::int64_t known_ms = 0;
  std::optional<std::int64_t> reached_office_ms;  // none until the server received it
  std::optional<bool> late;                       // as the server stamped it
};

struct CommitmentFacts {
  std::string id;
  std::string unit_id;
  std::string case_id;
  std::string status;
  std::string due_date;  // YYYY-MM-DD
};

// A figure: numerator over denominator; no rate when the denominator is 0.
struct Ratio {
  std::int64_t numerator = 0;
  std::int64_t denominator = 0;
  std::optional<double> rate() const;
  bool operator==(const Ratio&) const = default;
};

// Every figure, in the order docs/metrics.md lists them.
struct Figures {
  std::int64_t cases = 0;  // cases received in the period
  Ratio first_petition_resolution, stop_petition;
  Ratio repeat, skip_level, collective;
  Ratio not_out_team, not_out_unit, not_out_department_system, not_out_plant;
  Ratio late_reports, missing_reports, overdue_commitments;
  bool operator==(const Figures&) const = default;
};

// The names of the figures (JSON keys and CSV columns), in order, and a figure by name.
const std::vector<std::string>& figure_names();
const Ratio& figure(const Figures& figures, const std::string& name);

struct MetricsQuery {
  std::string unit_id;   // the subtree's root
  std::int64_t from_ms;  // period start, inclusive
  std::int64_t to_ms;    // period end, exclusive
  std::int64_t now_ms;   // when the report is made (missing reports)
  std::string today;     // YYYY-MM-DD at now_ms (overdue commitments)
  std::int64_t urgent_report_threshold_ms;
};

struct UnitBreakdown {
  std::string unit_id;
  std::string name;
  bool own = false;  // the root's own rows, not a child's subtree
  Figures figures;
};

struct MetricsReport {
  Figures total;
  std::vector<UnitBreakdown> children;  // the root's own rows first, then child units by name
};

// REQUIRES: `units` holds the whole organisation (every unit a case may come from); the
// facts are those of rows owned inside the query's subtree (others are ignored).
MetricsReport compute_metrics(const MetricsQuery& query, const std::vector<UnitFacts>& units,
                              const std::vector<CaseFacts>& cases,
                              const std::vector<UrgentReportFacts>& reports,
                              const std::vector<CommitmentFacts>& commitments);

}  // namespace fieldsync::domain
