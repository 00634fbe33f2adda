// Client's reads over the view: lists and details of cases, rows, open conflicts.
#include <algorithm>
#include <limits>
#include <map>

#include "case_history.h"
#include "client_impl.h"
#include "fieldsync/core/domain/deadlines.h"
#include "fieldsync/core/error.h"
#include "fieldsync/sqlite/review_queries.h"
#include "time_text.h"

namespace fieldsync::client {
namespace {

// Ids of live rows of `table` whose `column` equals `value`, in SQL order `order`.
std::vector<std::string> ids_where(sqlite::Database& db, const std::string& table,
                                   const std::string& column, const std::string& value,
                                   const std::string& order) {
  sqlite::Statement& st = db.prepare_cached("SELECT id FROM " + table + " WHERE \"" + column +
                                            "\" = ?1 AND deleted = 0 ORDER BY " + order);
  st.bind(1, value);
  std::vector<std::string> ids;
  while (st.step()) ids.push_back(st.column_text(0));
  st.reset();
  return ids;
}

bool is_done(const Row& commitment) {
  return commitment.values.value("status", "") == "done";
}

std::string text_of(const Row& row, const char* field) {
  auto it = row.values.find(field);
  return it != row.values.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> strings_of(const Row& row, const char* field) {
  std::vector<std::string> out;
  const Json v = row.values.value(field, Json::array());
  if (v.is_array())
    for (const Json& s : v)
      if (s.is_string()) out.push_back(s.get<std::string>());
  return out;
}

CaseFlags case_flags(const Row& case_row) {
  CaseFlags f;
  f.tablet = strings_of(case_row, "kind_flags");
  f.office = strings_of(case_row, "office_kind_flags");
  f.repeat_of_case_ids = strings_of(case_row, "repeat_of_case_ids");
  f.differ = !f.office.empty() && f.office != f.tablet;
  return f;
}

}  // namespace

Row Client::Impl::require_row(const std::string& entity, const std::string& id) const {
  auto row = store().replica.find(entity, id);
  if (!row || row->deleted)
    throw Error(ErrorDomain::client, "unknown_row",
                "this device has no " + entity + " with id " + id +
                    " (it may not have synced yet, or it is outside your units)");
  return *row;
}

Record Client::Impl::record(const Row& row) const {
  Record r;
  r.entity = row.entity;
  r.id = row.id;
  r.unit_id = row.unit_id;
  r.local_changes = store().replica.has_local_changes(row.entity, row.id);
  r.version = r.local_changes ? store().replica.confirmed_version(row.entity, row.id) : row.version;
  r.values = row.values;
  r.created_by = row.created_by;
  r.created_at = row.created_at;
  r.updated_by = row.updated_by;
  r.updated_at = row.updated_at;
  return r;
}

std::optional<Record> Client::find(const std::string& entity, const std::string& id) const {
  auto row = impl_->store().replica.find(entity, id);
  if (!row || row->deleted) return std::nullopt;
  return impl_->record(*row);
}

CaseList Client::list_cases(const CaseQuery& query) const {
  LocalStore& local = impl_->store();
  CaseList list;
  list.today_from_device_clock = !query.today || query.today->empty();
  list.today = list.today_from_device_clock ? format_date(impl_->clock->now_ms()) : *query.today;
  const std::string me = local.state.get_or(state_key::user_id, "");

  std::string sql = "SELECT id FROM entity_case WHERE deleted = 0";
  if (query.filter.status) sql += " AND status = ?1";
  if (query.mine) sql += " AND (responsible_leader_id = ?2 OR created_by = ?2)";
  sql += " ORDER BY received_at DESC, id";
  sqlite::Statement st = local.db.prepare(sql);
  if (query.filter.status) st.bind(1, *query.filter.status);
  if (query.mine) st.bind(2, me);
  std::vector<std::string> ids;
  while (st.step()) ids.push_back(st.column_text(0));

  // The review facts of every case, judged by the core's rules at the device clock.
  const domain::CaseFilter& filter = query.filter;
  const sqlite::ReviewClock clock{impl_->clock->now_ms(), list.today,
                                  domain::kDefaultUrgentReportThresholdMs};
  // No limit: the page counts every case matching `filter`, including those the status or
  // `mine` query above left out, so a limit of ids.size() could cut off a selected case.
  std::map<std::string, sqlite::CaseReview> reviews;
  for (sqlite::CaseReview& r : sqlite::review_cases(local.db, nullptr, filter, clock, "",
                                                    std::numeric_limits<std::size_t>::max())
                                   .cases)
    reviews.emplace(r.id, std::move(r));

  for (const std::string& id : ids) {
    auto review = reviews.find(id);
    if (review == reviews.end()) continue;
    CaseSummary summary;
    summary.row = impl_->record(*local.replica.find("case", id));
    summary.overdue = review->second.overdue;
    summary.late_reports = review->second.facts.late_reports;
    summary.missing_report = review->second.facts.missing_report;
    summary.open_conflicts = review->second.facts.open_conflicts;
    summary.kind_flags.assign(review->second.facts.flags.begin(), review->second.facts.flags.end());
    for (const std::string& cid :
         ids_where(local.db, "entity_commitment", "case_id", id, "due_date, id")) {
      const Row c = *local.replica.find("commitment", cid);
      if (is_done(c)) continue;
      ++summary.open_commitments;
      const std::string due = text_of(c, "due_date");
      if (!due.empty() && due < list.today) ++summary.overdue_commitments;
    }
    list.cases.push_back(std::move(summary));
  }
  return list;
}

CaseDetail Client::get_case(const std::string& case_id) const {
  const Row case_row = impl_->require_row("case", case_id);
  LocalStore& local = impl_->store();
  CaseDetail detail;
  detail.case_row = impl_->record(case_row);
  std::vector<Row> rows = {case_row};
  auto load = [&](const char* entity, const char* order) {
    std::vector<Row> found;
    for (const std::string& id :
         ids_where(local.db, "entity_" + std::string(entity), "case_id", case_id, order)) {
      found.push_back(*local.replica.find(entity, id));
      rows.push_back(found.back());
    }
    return found;
  };
  for (const Row& r : load("petitioner", "created_at, id"))
    detail.petitioners.push_back(impl_->record(r));
  for (const Row& r : load("commitment", "due_date, id"))
    detail.commitments.push_back(impl_->record(r));
  for (const Row& r : load("urgent_report", "known_at, id"))
    detail.urgent_reports.push_back(impl_->record(r));
  for (const Row& r : load("leader_assignment", "assigned_at, created_at, id"))
    detail.leader_history.push_back(impl_->record(r));
  for (const Row& r : load("case_transfer", "transferred_at, created_at, id"))
    detail.transfers.push_back(impl_->record(r));
  detail.flags = case_flags(case_row);
  detail.acknowledgements = {text_of(case_row, "ack_leader_at"), text_of(case_row, "ack_unit_at"),
                             text_of(case_row, "ack_writer_at")};

  // Visits: originals in visit order, each with the corrections made to it (or to them).
  const std::vector<Row> visits = load("visit", "visited_at, created_at, id");
  std::map<std::string, std::string> root;  // visit id -> the original it corrects
  for (const Row& v : visits) root[v.id] = v.id;
  auto original_of = [&](std::string id) {
    for (int hops = 0; hops < 64; ++hops) {  // a chain of corrections, never a cycle
      auto it =
          std::find_if(visits.begin(), visits.end(), [&](const Row& v) { return v.id == id; });
      const std::string target = it == visits.end() ? "" : text_of(*it, "corrects_visit_id");
      if (target.empty() || !root.count(target)) return id;
      id = target;
    }
    return id;
  };
  for (const Row& v : visits)
    if (original_of(v.id) == v.id) detail.visits.push_back({impl_->record(v), {}});
  std::vector<Row> corrections;
  for (const Row& v : visits)
    if (original_of(v.id) != v.id) corrections.push_back(v);
  std::sort(corrections.begin(), corrections.end(), [](const Row& a, const Row& b) {
    return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
  });
  for (const Row& c : corrections) {
    const std::string original = original_of(c.id);
    for (VisitRecord& v : detail.visits)
      if (v.visit.id == original) v.corrections.push_back(impl_->record(c));
  }

  // Conflict records on the case or any of its rows, open ones shown, all in the history.
  std::vector<Row> conflicts;
  for (std::size_t i = 0, n = rows.size(); i < n; ++i)
    for (const std::string& id :
         ids_where(local.db, "entity_conflict", "row_id", rows[i].id, "created_at, id")) {
      conflicts.push_back(*local.replica.find("conflict", id));
    }
  for (const Row& c : conflicts) {
    rows.push_back(c);
    if (c.values.value("status", "") == "open") detail.open_conflicts.push_back(impl_->record(c));
  }
  detail.history = case_history(rows, local.outbox);
  return detail;
}

std::vector<Record> Client::open_conflicts() const {
  LocalStore& local = impl_->store();
  std::vector<Record> out;
  for (const std::string& id :
       ids_where(local.db, "entity_conflict", "status", "open", "created_at, id"))
    out.push_back(impl_->record(*local.replica.find("conflict", id)));
  return out;
}

}  // namespace fieldsync::client
