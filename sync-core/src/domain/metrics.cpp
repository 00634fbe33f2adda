#include "fieldsync/core/domain/metrics.h"

#include <algorithm>
#include <map>

#include "fieldsync/core/domain/calendar.h"
#include "fieldsync/core/domain/deadlines.h"

namespace fieldsync::domain {
namespace {

// How high a level is: highest_level_reached values, and the kinds a case may arise at.
int level_rank(const std::string& level) {
  if (level.empty() || level == "team" || level == "unit") return 1;
  if (level == "plant" || level == "department_system") return 2;
  if (level == "bureau") return 3;
  if (level == "province") return 4;
  return 5;  // capital
}

bool handled(const CaseFacts& c) {
  return c.status == "resolved" || c.status == "closed";
}

void count(Ratio& r, bool hit) {
  ++r.denominator;
  if (hit) ++r.numerator;
}

// The organisation as a tree: parents, kinds, and which child of the root holds a unit.
class Tree {
 public:
  explicit Tree(const std::vector<UnitFacts>& units) {
    for (const UnitFacts& u : units) units_[u.id] = &u;
  }
  const UnitFacts* find(const std::string& id) const {
    auto it = units_.find(id);
    return it == units_.end() ? nullptr : it->second;
  }
  // True when `unit` is `ancestor` or below it. Bounded by the number of units (no cycles).
  bool within(const std::string& unit, const std::string& ancestor) const {
    std::string at = unit;
    for (std::size_t steps = 0; steps <= units_.size() && !at.empty(); ++steps) {
      if (at == ancestor) return true;
      const UnitFacts* u = find(at);
      if (!u) return false;
      at = u->parent_id;
    }
    return false;
  }
  // The child of `root` whose subtree holds `unit`; `root` itself for its own rows; "" outside.
  std::string branch(const std::string& unit, const std::string& root) const {
    std::string at = unit;
    for (std::size_t steps = 0; steps <= units_.size() && !at.empty(); ++steps) {
      if (at == root) return root;
      const UnitFacts* u = find(at);
      if (!u) return {};
      if (u->parent_id == root) return at;
      at = u->parent_id;
    }
    return {};
  }

 private:
  std::map<std::string, const UnitFacts*> units_;
};

}  // namespace

std::optional<double> Ratio::rate() const {
  if (denominator == 0) return std::nullopt;
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

const std::vector<std::string>& figure_names() {
  static const std::vector<std::string> names = {"first_petition_resolution",
                                                 "stop_petition",
                                                 "repeat",
                                                 "skip_level",
                                                 "collective",
                                                 "not_out_team",
                                                 "not_out_unit",
                                                 "not_out_department_system",
                                                 "not_out_plant",
                                                 "late_reports",
                                                 "missing_reports",
                                                 "overdue_commitments"};
  return names;
}

const Ratio& figure(const Figures& f, const std::string& name) {
  static const std::map<std::string, Ratio Figures::*> members = {
      {"first_petition_resolution", &Figures::first_petition_resolution},
      {"stop_petition", &Figures::stop_petition},
      {"repeat", &Figures::repeat},
      {"skip_level", &Figures::skip_level},
      {"collective", &Figures::collective},
      {"not_out_team", &Figures::not_out_team},
      {"not_out_unit", &Figures::not_out_unit},
      {"not_out_department_system", &Figures::not_out_department_system},
      {"not_out_plant", &Figures::not_out_plant},
      {"late_reports", &Figures::late_reports},
      {"missing_reports", &Figures::missing_reports},
      {"overdue_commitments", &Figures::overdue_commitments}};
  return f.*members.at(name);
}

MetricsReport compute_metrics(const MetricsQuery& q, const std::vector<UnitFacts>& units,
                              const std::vector<CaseFacts>& cases,
                              const std::vector<UrgentReportFacts>& reports,
                              const std::vector<CommitmentFacts>& commitments) {
  const Tree tree(units);
  MetricsReport report;
  std::map<std::string, UnitBreakdown> by_branch;
  const UnitFacts* root = tree.find(q.unit_id);
  by_branch[q.unit_id] = {q.unit_id, root ? root->name : "", true, {}};
  for (const UnitFacts& u : units)
    if (u.parent_id == q.unit_id && u.id != q.unit_id) by_branch[u.id] = {u.id, u.name, false, {}};

  // Each fact counts in the total and in the figures of its branch.
  auto tally = [&](const std::string& unit, auto&& add) {
    const std::string branch = tree.branch(unit, q.unit_id);
    if (branch.empty()) return;
    add(report.total);
    add(by_branch[branch].figures);
  };

  std::multimap<std::string, std::int64_t> reached_by_case;
  for (const UrgentReportFacts& r : reports)
    if (!r.case_id.empty() && r.reached_office_ms)
      reached_by_case.emplace(r.case_id, *r.reached_office_ms);

  for (const CaseFacts& c : cases) {
    if (c.received_ms < q.from_ms || c.received_ms >= q.to_ms) continue;
    const std::string origin = c.origin_unit_id.empty() ? c.unit_id : c.origin_unit_id;
    const UnitFacts* origin_unit = tree.find(origin);
    const bool solved_at_origin =
        tree.within(c.unit_id, origin) && origin_unit &&
        level_rank(c.highest_level_reached) <= level_rank(origin_unit->kind);
    std::vector<std::int64_t> reached;
    auto [first, last] = reached_by_case.equal_range(c.id);
    for (auto it = first; it != last; ++it) reached.push_back(it->second);
    const bool missing = urgent_report_missing(c.flags, c.received_ms, reached, q.now_ms,
                                               q.urgent_report_threshold_ms);
    tally(c.unit_id, [&](Figures& f) {
      ++f.cases;
      if (c.flags.count("first_time")) count(f.first_petition_resolution, handled(c));
      if (handled(c)) count(f.stop_petition, c.status == "closed");
      count(f.repeat, c.flags.count("repeat") > 0);
      count(f.skip_level, c.flags.count("skip_level") > 0);
      count(f.collective, c.flags.count("collective") > 0);
      if (handled(c) && origin_unit) {
        if (origin_unit->kind == "team") count(f.not_out_team, solved_at_origin);
        if (origin_unit->kind == "unit") count(f.not_out_unit, solved_at_origin);
        if (origin_unit->kind == "department_system")
          count(f.not_out_department_system, solved_at_origin);
      }
      if (handled(c)) count(f.not_out_plant, level_rank(c.highest_level_reached) <= 2);
      if (needs_urgent_report(c.flags)) count(f.missing_reports, missing);
    });
  }

  for (const UrgentReportFacts& r : reports) {
    if (r.known_ms < q.from_ms || r.known_ms >= q.to_ms) continue;
    bool late = false;
    if (r.late)
      late = *r.late;
    else if (r.reached_office_ms)
      late = urgent_report_late(r.known_ms, *r.reached_office_ms, q.urgent_report_threshold_ms);
    else
      late = urgent_report_late(r.known_ms, q.now_ms, q.urgent_report_threshold_ms);
    tally(r.unit_id, [&](Figures& f) { count(f.late_reports, late); });
  }

  for (const CommitmentFacts& c : commitments) {
    const auto due = date_start_ms(c.due_date);
    if (!due || *due < q.from_ms || *due >= q.to_ms) continue;
    const bool overdue = commitment_overdue(c.status, c.due_date, q.today);
    tally(c.unit_id, [&](Figures& f) { count(f.overdue_commitments, overdue); });
  }

  report.children.push_back(by_branch.at(q.unit_id));
  for (auto& [id, breakdown] : by_branch)
    if (id != q.unit_id) report.children.push_back(breakdown);
  std::stable_sort(report.children.begin() + 1, report.children.end(),
                   [](const UnitBreakdown& a, const UnitBreakdown& b) { return a.name < b.name; });
  return report;
}

}  // namespace fieldsync::domain
