#pragma once
// The reviewer's side of the server: the cases of the caller's subtree, filtered and paged
// (GET /v1/cases), and the speech's metrics for a unit of that subtree and a period
// (GET /v1/reports/metrics). Knows nothing of HTTP: it takes the query parameters and returns
// JSON (docs/protocol.md), throwing fieldsync::Error for parameters it cannot take.
// Deadlines are judged at the server's clock (domain/deadlines.h).
// REQUIRES: `db` is the service's store connection, used by one thread at a time (the router
// serialises calls); db and wall outlive the service.
#include <cstdint>
#include <map>
#include <string>

#include "fieldsync/core/clock.h"
#include "fieldsync/core/model.h"
#include "fieldsync/server/access.h"
#include "fieldsync/sqlite/database.h"

namespace fieldsync::server {

class ReviewService {
 public:
  static constexpr std::size_t kDefaultPageCases = 100;
  static constexpr std::size_t kMaxPageCases = 500;

  ReviewService(sqlite::Database& db, WallClock& wall, std::int64_t urgent_report_threshold_ms);

  // Parameters: status, overdue, collective, repeat, skip_level, late_report, missing_report,
  // conflicts_open (true|false|1|0), leader (user id), unit (a unit of the caller's subtree:
  // only its subtree), limit (1..500), after (the previous page's "after").
  // Answers {"cases": [...], "after": "<id>", "more": bool, "today": "...", "now": "..."}.
  // Throws Error{protocol, unknown_parameter | bad_status | bad_flag | bad_leader | bad_limit |
  // bad_after} (400) and Error{protocol, unknown_unit} (404, also for a unit outside the
  // caller's subtree).
  Json list_cases(const Access& caller, const std::map<std::string, std::string>& query);

  // Parameters: unit (default the caller's), from, to (YYYY-MM-DD, both days included).
  // Answers the metrics document (docs/metrics.md). Throws Error{protocol, unknown_parameter |
  // bad_date | bad_period} (400) and Error{protocol, unknown_unit} (404).
  Json metrics(const Access& caller, const std::map<std::string, std::string>& query);

 private:
  sqlite::Database& db_;
  WallClock& wall_;
  std::int64_t threshold_ms_;
};

}  // namespace fieldsync::server
