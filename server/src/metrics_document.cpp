#include "metrics_document.h"

#include <cstdio>

#include "admin/text_table.h"
#include "auth/time_text.h"
#include "fieldsync/core/domain/calendar.h"
#include "fieldsync/core/error.h"
#include "fieldsync/sqlite/review_queries.h"

namespace fieldsync::server::detail {
namespace {

constexpr std::int64_t kMaxPeriodDays = 3660;

std::string rate_text(const domain::Ratio& r) {
  if (!r.rate()) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", *r.rate() * 100);
  return text;
}

Json ratio_json(const domain::Ratio& r) {
  return {{"numerator", r.numerator},
          {"denominator", r.denominator},
          {"rate", r.rate() ? Json(*r.rate()) : Json(nullptr)}};
}

Json figures_json(const domain::Figures& f) {
  Json figures = Json::object();
  for (const std::string& name : domain::figure_names())
    figures[name] = ratio_json(domain::figure(f, name));
  return figures;
}

std::string row_label(const domain::UnitBreakdown& b) {
  return b.own ? b.name + " (own)" : b.name;
}

std::string csv_cell(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

void check_period(const std::string& from, const std::string& to) {
  const auto start = domain::date_start_ms(from);
  const auto end = domain::date_start_ms(to);
  if (!start) throw Error(ErrorDomain::protocol, "bad_date", "from must be a date YYYY-MM-DD");
  if (!end) throw Error(ErrorDomain::protocol, "bad_date", "to must be a date YYYY-MM-DD");
  if (*start > *end)
    throw Error(ErrorDomain::protocol, "bad_period",
                "from (" + from + ") is after to (" + to + ")");
  if ((*end - *start) / domain::kMsPerDay >= kMaxPeriodDays)
    throw Error(ErrorDomain::protocol, "bad_period",
                "a period may span at most " + std::to_string(kMaxPeriodDays) + " days");
}

domain::MetricsReport compute_store_metrics(sqlite::Database& db, const MetricsRequest& request) {
  const std::vector<domain::UnitFacts> units = sqlite::read_units(db);
  // The subtree of the unit, walking parent links (bounded: a unit is visited once).
  sqlite::UnitSet subtree = {request.unit_id};
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& u : units)
      if (!subtree.count(u.id) && subtree.count(u.parent_id)) grew = subtree.insert(u.id).second;
  }
  const sqlite::MetricsFacts facts =
      sqlite::read_metrics_facts(db, subtree, request.from, request.to);
  domain::MetricsQuery query;
  query.unit_id = request.unit_id;
  query.from_ms = domain::date_start_ms(request.from).value();
  query.to_ms = domain::date_start_ms(request.to).value() + domain::kMsPerDay;
  query.now_ms = request.now_ms;
  query.today = domain::utc_date(request.now_ms);
  query.urgent_report_threshold_ms = request.urgent_report_threshold_ms;
  return domain::compute_metrics(query, units, facts.cases, facts.reports, facts.commitments);
}

Json metrics_json(const domain::MetricsReport& report, const MetricsRequest& request,
                  const std::string& unit_name) {
  Json children = Json::array();
  for (const auto& b : report.children)
    children.push_back({{"unit_id", b.unit_id},
                        {"name", b.name},
                        {"own", b.own},
                        {"cases", b.figures.cases},
                        {"figures", figures_json(b.figures)}});
  return {{"unit", {{"id", request.unit_id}, {"name", unit_name}}},
          {"from", request.from},
          {"to", request.to},
          {"generated_at", utc_text(request.now_ms)},
          {"today", domain::utc_date(request.now_ms)},
          {"urgent_report_threshold_minutes", request.urgent_report_threshold_ms / 60000},
          {"total", {{"cases", report.total.cases}, {"figures", figures_json(report.total)}}},
          {"children", children}};
}

void write_metrics_csv(std::ostream& out, const domain::MetricsReport& report) {
  out << "unit_id,unit,own,cases";
  for (const std::string& name : domain::figure_names())
    out << ',' << name << "_numerator," << name << "_denominator";
  out << '\n';
  auto line = [&](const std::string& id, const std::string& label, bool own,
                  const domain::Figures& f) {
    out << csv_cell(id) << ',' << csv_cell(label) << ',' << (own ? "true" : "false") << ','
        << f.cases;
    for (const std::string& name : domain::figure_names()) {
      const domain::Ratio& r = domain::figure(f, name);
      out << ',' << r.numerator << ',' << r.denominator;
    }
    out << '\n';
  };
  line("", "total", false, report.total);
  for (const auto& b : report.children) line(b.unit_id, b.name, b.own, b.figures);
}

void write_metrics_table(std::ostream& out, const domain::MetricsReport& report,
                         const MetricsRequest& request, const std::string& unit_name) {
  out << "Metrics of " << unit_name << " from " << request.from << " to " << request.to
      << " (generated " << utc_text(request.now_ms) << ", urgent report threshold "
      << request.urgent_report_threshold_ms / 60000 << " min)\n";
  std::vector<std::string> header = {"FIGURE", "TOTAL"};
  for (const auto& b : report.children) header.push_back(row_label(b));
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> cases = {"cases", std::to_string(report.total.cases)};
  for (const auto& b : report.children) cases.push_back(std::to_string(b.figures.cases));
  rows.push_back(cases);
  auto cell = [](const domain::Ratio& r) {
    return std::to_string(r.numerator) + "/" + std::to_string(r.denominator) + " " + rate_text(r);
  };
  for (const std::string& name : domain::figure_names()) {
    std::vector<std::string> row = {name, cell(domain::figure(report.total, name))};
    for (const auto& b : report.children) row.push_back(cell(domain::figure(b.figures, name)));
    rows.push_back(row);
  }
  print_table(out, header, rows);
}

}  // namespace fieldsync::server::detail
