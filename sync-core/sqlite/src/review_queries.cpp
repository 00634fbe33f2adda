#include "fieldsync/sqlite/review_queries.h"

#include <map>

#include "fieldsync/core/domain/calendar.h"
#include "fieldsync/core/domain/deadlines.h"
#include "fieldsync/core/model.h"

namespace fieldsync::sqlite {
namespace {

std::string units_json(const UnitSet& units) {
  Json list = Json::array();
  for (const auto& u : units) list.push_back(u);
  return list.dump();
}

std::vector<std::string> string_list(const Statement& st, int column) {
  std::vector<std::string> out;
  if (st.is_null(column)) return out;
  const Json list = st.column_json(column);
  if (list.is_array())
    for (const auto& item : list)
      if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

std::string text_or_empty(const Statement& st, int column) {
  return st.is_null(column) ? std::string() : st.column_text(column);
}

// The next day of a date, as text.
std::string day_after(const std::string& date) {
  return domain::utc_date(domain::date_start_ms(date).value_or(0) + domain::kMsPerDay);
}

// Case id of every open conflict on a case or on one of its rows.
std::map<std::string, int> open_conflicts_by_case(Database& db, const UnitSet* units) {
  std::string sql =
      "SELECT entity, row_id FROM entity_conflict WHERE deleted = 0 AND status = 'open'";
  if (units) sql += " AND unit_id IN (SELECT value FROM json_each(?1))";
  Statement st = db.prepare(sql);
  if (units) st.bind(1, units_json(*units));
  std::vector<std::pair<std::string, std::string>> rows;
  while (st.step()) rows.emplace_back(st.column_text(0), st.column_text(1));
  std::map<std::string, int> out;
  for (const auto& [entity, row_id] : rows) {
    if (entity == "case") {
      ++out[row_id];
      continue;
    }
    // Entity names in conflict records come from the model (checked identifiers); an entity
    // without a case_id column holds no case rows.
    Statement columns = db.prepare("SELECT 1 FROM pragma_table_info(?1) WHERE name = 'case_id'");
    columns.bind(1, "entity_" + entity);
    if (!columns.step()) continue;
    Statement parent = db.prepare("SELECT case_id FROM \"entity_" + entity + "\" WHERE id = ?1");
    parent.bind(1, row_id);
    if (parent.step() && !parent.is_null(0)) ++out[parent.column_text(0)];
  }
  return out;
}

void add_case_deadlines(Database& db, const ReviewClock& clock, const std::string& case_id,
                        std::int64_t received_ms, domain::CaseReviewFacts& facts) {
  Statement& commitments = db.prepare_cached(
      "SELECT status, due_date FROM entity_commitment WHERE case_id = ?1 AND deleted = 0");
  commitments.bind(1, case_id);
  while (commitments.step())
    if (domain::commitment_overdue(text_or_empty(commitments, 0), text_or_empty(commitments, 1),
                                   clock.today))
      ++facts.overdue_commitments;
  commitments.reset();

  Statement& reports = db.prepare_cached(
      "SELECT known_at, reached_office_at, late FROM entity_urgent_report"
      " WHERE case_id = ?1 AND deleted = 0");
  reports.bind(1, case_id);
  std::vector<std::int64_t> reached;
  while (reports.step()) {
    const auto known = domain::timestamp_ms(text_or_empty(reports, 0));
    const auto arrived = domain::timestamp_ms(text_or_empty(reports, 1));
    if (arrived) reached.push_back(*arrived);
    bool late = false;
    if (!reports.is_null(2))
      late = reports.column_int64(2) != 0;
    else if (known)
      late = domain::urgent_report_late(*known, arrived.value_or(clock.now_ms),
                                        clock.urgent_report_threshold_ms);
    if (late) ++facts.late_reports;
  }
  reports.reset();
  facts.missing_report = domain::urgent_report_missing(
      facts.flags, received_ms, reached, clock.now_ms, clock.urgent_report_threshold_ms);
}

}  // namespace

CasePage review_cases(Database& db, const UnitSet* units, const domain::CaseFilter& filter,
                      const ReviewClock& clock, std::string_view after, std::size_t limit) {
  const std::map<std::string, int> conflicts = open_conflicts_by_case(db, units);
  std::string sql =
      "SELECT id, unit_id, title, status, kind_flags, office_kind_flags, responsible_leader_id,"
      " feedback_due, received_at FROM entity_case WHERE deleted = 0 AND id > ?1";
  if (units) sql += " AND unit_id IN (SELECT value FROM json_each(?2))";
  sql += " ORDER BY id";
  Statement st = db.prepare(sql);
  st.bind(1, after);
  if (units) st.bind(2, units_json(*units));
  CasePage page;
  page.after = std::string(after);
  while (st.step()) {
    if (page.cases.size() == limit) {
      page.more = true;
      break;
    }
    CaseReview c;
    c.id = st.column_text(0);
    page.after = c.id;
    c.unit_id = st.column_text(1);
    c.title = text_or_empty(st, 2);
    c.facts.status = text_or_empty(st, 3);
    c.facts.flags = domain::effective_kind_flags(string_list(st, 4), string_list(st, 5));
    c.facts.responsible_leader_id = text_or_empty(st, 6);
    c.facts.feedback_due = text_or_empty(st, 7);
    c.received_at = text_or_empty(st, 8);
    auto open = conflicts.find(c.id);
    c.facts.open_conflicts = open == conflicts.end() ? 0 : open->second;
    add_case_deadlines(db, clock, c.id, domain::timestamp_ms(c.received_at).value_or(0), c.facts);
    c.overdue = domain::case_overdue(c.facts, clock.today);
    if (domain::case_matches(filter, c.facts, clock.today)) page.cases.push_back(std::move(c));
  }
  return page;
}

std::vector<domain::UnitFacts> read_units(Database& db) {
  Statement st =
      db.prepare("SELECT id, parent_id, kind, name FROM entity_unit WHERE deleted = 0 ORDER BY id");
  std::vector<domain::UnitFacts> units;
  while (st.step())
    units.push_back(
        {st.column_text(0), text_or_empty(st, 1), text_or_empty(st, 2), text_or_empty(st, 3)});
  return units;
}

MetricsFacts read_metrics_facts(Database& db, const UnitSet& units, const std::string& from_date,
                                const std::string& to_date) {
  const std::string in_units = units_json(units);
  const std::string end = day_after(to_date);
  MetricsFacts facts;
  // Timestamps start with their date, so "received on a date in [from, to]" is a text range.
  Statement cases = db.prepare(
      "SELECT id, unit_id, origin_unit_id, status, kind_flags, office_kind_flags, received_at,"
      " highest_level_reached FROM entity_case WHERE deleted = 0"
      " AND unit_id IN (SELECT value FROM json_each(?1)) AND received_at >= ?2"
      " AND received_at < ?3");
  cases.bind(1, in_units);
  cases.bind(2, from_date);
  cases.bind(3, end);
  while (cases.step()) {
    domain::CaseFacts c;
    c.id = cases.column_text(0);
    c.unit_id = cases.column_text(1);
    c.origin_unit_id = text_or_empty(cases, 2);
    c.status = text_or_empty(cases, 3);
    c.flags = domain::effective_kind_flags(string_list(cases, 4), string_list(cases, 5));
    c.received_ms = domain::timestamp_ms(text_or_empty(cases, 6)).value_or(0);
    c.highest_level_reached = text_or_empty(cases, 7);
    facts.cases.push_back(std::move(c));
  }

  Statement reports = db.prepare(
      "SELECT id, unit_id, case_id, known_at, reached_office_at, late FROM entity_urgent_report"
      " WHERE deleted = 0 AND unit_id IN (SELECT value FROM json_each(?1))");
  reports.bind(1, in_units);
  while (reports.step()) {
    domain::UrgentReportFacts r;
    r.id = reports.column_text(0);
    r.unit_id = reports.column_text(1);
    r.case_id = text_or_empty(reports, 2);
    r.known_ms = domain::timestamp_ms(text_or_empty(reports, 3)).value_or(0);
    r.reached_office_ms = domain::timestamp_ms(text_or_empty(reports, 4));
    if (!reports.is_null(5)) r.late = reports.column_int64(5) != 0;
    facts.reports.push_back(std::move(r));
  }

  Statement commitments = db.prepare(
      "SELECT id, unit_id, case_id, status, due_date FROM entity_commitment WHERE deleted = 0"
      " AND unit_id IN (SELECT value FROM json_each(?1)) AND due_date >= ?2 AND due_date < ?3");
  commitments.bind(1, in_units);
  commitments.bind(2, from_date);
  commitments.bind(3, end);
  while (commitments.step())
    facts.commitments.push_back({commitments.column_text(0), commitments.column_text(1),
                                 text_or_empty(commitments, 2), text_or_empty(commitments, 3),
                                 text_or_empty(commitments, 4)});
  return facts;
}

}  // namespace fieldsync::sqlite
