#pragma once
// The metrics of a unit subtree and a period, gathered from the server's store and written
// out as the API's JSON document, CSV or a text table (docs/metrics.md). Shared by
// GET /v1/reports/metrics and `fieldsync-server report`.
#include <cstdint>
#include <ostream>
#include <string>

#include "fieldsync/core/domain/metrics.h"
#include "fieldsync/core/model.h"
#include "fieldsync/sqlite/database.h"

namespace fieldsync::server::detail {

struct MetricsRequest {
  std::string unit_id;
  std::string from;  // YYYY-MM-DD, included
  std::string to;    // YYYY-MM-DD, included
  std::int64_t now_ms = 0;
  std::int64_t urgent_report_threshold_ms = 0;
};

// Checks a period: both valid dates, from <= to, at most 3660 days. Throws Error{protocol,
// bad_date | bad_period}.
void check_period(const std::string& from, const std::string& to);

// Computes the metrics over the store. REQUIRES: the unit exists; check_period passed.
domain::MetricsReport compute_store_metrics(sqlite::Database& db, const MetricsRequest& request);

// {"unit": {"id","name"}, "from", "to", "generated_at", "today",
//  "urgent_report_threshold_minutes", "total": {"cases", "figures": {name: {"numerator",
//  "denominator", "rate"}}}, "children": [{"unit_id", "name", "own", "cases", "figures"}]}
Json metrics_json(const domain::MetricsReport& report, const MetricsRequest& request,
                  const std::string& unit_name);

// One line per unit row (total first), a column per figure as numerator/denominator.
void write_metrics_csv(std::ostream& out, const domain::MetricsReport& report);
// The same as a table for a person: rows are figures, columns the total and each child unit.
void write_metrics_table(std::ostream& out, const domain::MetricsReport& report,
                         const MetricsRequest& request, const std::string& unit_name);

}  // namespace fieldsync::server::detail
