#include "fieldsync/server/review_service.h"

#include <charconv>
#include <set>

#include "auth/time_text.h"
#include "fieldsync/core/domain/calendar.h"
#include "fieldsync/core/error.h"
#include "fieldsync/core/uuid.h"
#include "fieldsync/sqlite/review_queries.h"
#include "metrics_document.h"

namespace fieldsync::server {
namespace {

using Query = std::map<std::string, std::string>;

[[noreturn]] void refuse(const std::string& code, const std::string& message) {
  throw Error(ErrorDomain::protocol, code, message);
}

void only_known(const Query& query, const std::set<std::string>& known) {
  for (const auto& [name, value] : query)
    if (!known.count(name)) refuse("unknown_parameter", "unknown query parameter \"" + name + "\"");
}

std::optional<std::string> text(const Query& query, const char* name) {
  auto it = query.find(name);
  if (it == query.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

bool flag(const Query& query, const char* name) {
  auto value = text(query, name);
  if (!value || *value == "false" || *value == "0") return false;
  if (*value == "true" || *value == "1") return true;
  refuse("bad_flag", std::string(name) + " must be true, false, 1 or 0");
}

// A unit of the caller's subtree; another unit is answered exactly like a missing one.
std::string unit_in_scope(const Access& caller, const Query& query) {
  auto unit = text(query, "unit");
  if (!unit) return caller.unit_id;
  if (!caller.covers(*unit)) refuse("unknown_unit", "no unit " + *unit);
  return *unit;
}

sqlite::UnitSet subtree_within(const Access& caller, const std::string& root,
                               sqlite::Database& db) {
  sqlite::UnitSet units = {root};
  for (bool grew = true; grew;) {
    grew = false;
    sqlite::Statement& children =
        db.prepare_cached("SELECT id FROM entity_unit WHERE parent_id = ?1 AND deleted = 0");
    for (const std::string& parent : sqlite::UnitSet(units)) {
      children.bind(1, parent);
      while (children.step()) {
        std::string id = children.column_text(0);
        if (caller.covers(id) && units.insert(id).second) grew = true;
      }
      children.reset();
    }
  }
  return units;
}

const std::set<std::string> kCaseStates = {"received", "assigned", "in_progress", "resolved",
                                           "closed"};

}  // namespace

ReviewService::ReviewService(sqlite::Database& db, WallClock& wall,
                             std::int64_t urgent_report_threshold_ms)
    : db_(db), wall_(wall), threshold_ms_(urgent_report_threshold_ms) {}

Json ReviewService::list_cases(const Access& caller, const Query& query) {
  only_known(query, {"status", "overdue", "collective", "repeat", "skip_level", "late_report",
                     "missing_report", "leader", "conflicts_open", "unit", "limit", "after"});
  domain::CaseFilter filter;
  filter.status = text(query, "status");
  if (filter.status && !kCaseStates.count(*filter.status))
    refuse("bad_status", "status must be one of received, assigned, in_progress, resolved, closed");
  filter.leader = text(query, "leader");
  if (filter.leader && !is_uuid(*filter.leader)) refuse("bad_leader", "leader must be a user id");
  filter.overdue = flag(query, "overdue");
  filter.collective = flag(query, "collective");
  filter.repeat = flag(query, "repeat");
  filter.skip_level = flag(query, "skip_level");
  filter.late_report = flag(query, "late_report");
  filter.missing_report = flag(query, "missing_report");
  filter.conflicts_open = flag(query, "conflicts_open");
  std::size_t limit = kDefaultPageCases;
  if (auto value = text(query, "limit")) {
    const char* end = value->data() + value->size();
    auto [ptr, ec] = std::from_chars(value->data(), end, limit);
    if (ec != std::errc() || ptr != end || limit < 1 || limit > kMaxPageCases)
      refuse("bad_limit", "limit must be an integer from 1 to " + std::to_string(kMaxPageCases));
  }
  const std::string after = text(query, "after").value_or("");
  if (!after.empty() && !is_uuid(after)) refuse("bad_after", "after must be a case id");
  const std::string root = unit_in_scope(caller, query);

  const std::int64_t now_ms = wall_.now_ms();
  sqlite::ReviewClock clock{now_ms, domain::utc_date(now_ms), threshold_ms_};
  const sqlite::UnitSet units = subtree_within(caller, root, db_);
  const sqlite::CasePage page = sqlite::review_cases(db_, &units, filter, clock, after, limit);
  Json cases = Json::array();
  for (const sqlite::CaseReview& c : page.cases)
    cases.push_back({{"id", c.id},
                     {"unit_id", c.unit_id},
                     {"title", c.title},
                     {"status", c.facts.status},
                     {"received_at", c.received_at},
                     {"kind_flags", c.facts.flags},
                     {"responsible_leader_id", c.facts.responsible_leader_id.empty()
                                                   ? Json(nullptr)
                                                   : Json(c.facts.responsible_leader_id)},
                     {"feedback_due",
                      c.facts.feedback_due.empty() ? Json(nullptr) : Json(c.facts.feedback_due)},
                     {"overdue", c.overdue},
                     {"overdue_commitments", c.facts.overdue_commitments},
                     {"late_reports", c.facts.late_reports},
                     {"missing_report", c.facts.missing_report},
                     {"open_conflicts", c.facts.open_conflicts}});
  return {{"cases", cases},
          {"after", page.after},
          {"more", page.more},
          {"today", clock.today},
          {"now", detail::utc_text(now_ms)}};
}

Json ReviewService::metrics(const Access& caller, const Query& query) {
  only_known(query, {"unit", "from", "to"});
  const std::string from = text(query, "from").value_or("");
  const std::string to = text(query, "to").value_or("");
  detail::check_period(from, to);
  detail::MetricsRequest request{unit_in_scope(caller, query), from, to, wall_.now_ms(),
                                 threshold_ms_};
  sqlite::Statement& name =
      db_.prepare_cached("SELECT name FROM entity_unit WHERE id = ?1 AND deleted = 0");
  name.bind(1, request.unit_id);
  if (!name.step()) {
    name.reset();
    refuse("unknown_unit", "no unit " + request.unit_id);
  }
  const std::string unit_name = name.column_text(0);
  name.reset();
  return detail::metrics_json(detail::compute_store_metrics(db_, request), request, unit_name);
}

}  // namespace fieldsync::server
