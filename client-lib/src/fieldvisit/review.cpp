// `fieldvisit cases` (also `fieldvisit case list`) and `fieldvisit commitments`: the filtered
// list of the cases on this device and the list of commitments, judged offline with the core's
// rules at the device clock (said so in the output), the same rules the server's GET /v1/cases
// uses.
#include <algorithm>

#include "fieldsync/core/domain/deadlines.h"
#include "fieldvisit/case.h"
#include "fieldvisit/cli.h"
#include "fieldvisit/format.h"
#include "fieldvisit/ids.h"
#include "fieldvisit/values.h"

namespace fieldsync::fieldvisit {
namespace {

struct CasesOptions {
  std::string status, leader;
  bool mine = false;
  bool overdue = false, collective = false, repeat = false, skip_level = false;
  bool late_report = false, missing_report = false, conflicts = false;
};

std::string flags_cell(const client::CaseSummary& s) {
  std::vector<std::string> shown;
  for (const auto& f : s.kind_flags)
    if (f != "first_time") shown.push_back(f);
  std::string text;
  for (const auto& f : shown) text += (text.empty() ? "" : ",") + f;
  return text.empty() ? "-" : text;
}

std::string deadlines_cell(const client::CaseSummary& s) {
  std::vector<std::string> parts;
  if (s.overdue) parts.push_back("overdue");
  if (s.late_reports > 0) parts.push_back("late report");
  if (s.missing_report) parts.push_back("report missing");
  if (s.open_conflicts > 0) parts.push_back(count(s.open_conflicts, "conflict"));
  std::string text;
  for (const auto& p : parts) text += (text.empty() ? "" : ", ") + p;
  return text.empty() ? "-" : text;
}

std::string commitments_cell(const client::CaseSummary& s) {
  if (s.open_commitments == 0) return "-";
  std::string text = std::to_string(s.open_commitments) + " open";
  if (s.overdue_commitments > 0) text += ", " + std::to_string(s.overdue_commitments) + " overdue";
  return text;
}

std::string clock_note(const client::CaseList& list) {
  return "judged on " + list.today +
         (list.today_from_device_clock ? " by this device's clock (it may be wrong)" : "");
}

int run_cases(Session& session, const CasesOptions& o) {
  client::Client& client = session.signed_in_client();
  client::CaseQuery query;
  query.mine = o.mine;
  if (!o.status.empty()) query.filter.status = o.status;
  if (!o.leader.empty()) {
    const FieldDef& f = *session.model().require_entity("case").field("responsible_leader_id");
    query.filter.leader =
        parse_field_value(f, o.leader, {session.user_id(), &session.ids()}).get<std::string>();
  }
  query.filter.overdue = o.overdue;
  query.filter.collective = o.collective;
  query.filter.repeat = o.repeat;
  query.filter.skip_level = o.skip_level;
  query.filter.late_report = o.late_report;
  query.filter.missing_report = o.missing_report;
  query.filter.conflicts_open = o.conflicts;
  const client::CaseList list = client.list_cases(query);

  if (session.json()) {
    Json cases = Json::array();
    for (const auto& s : list.cases) {
      Json item = record_json(s.row);
      item["kind_flags_counted"] = s.kind_flags;
      item["overdue"] = s.overdue;
      item["open_commitments"] = s.open_commitments;
      item["overdue_commitments"] = s.overdue_commitments;
      item["late_reports"] = s.late_reports;
      item["missing_report"] = s.missing_report;
      item["open_conflicts"] = s.open_conflicts;
      cases.push_back(item);
    }
    print_json(session.out(), {{"today", list.today},
                               {"today_from_device_clock", list.today_from_device_clock},
                               {"cases", cases}});
    return kExitOk;
  }
  std::ostream& out = session.out();
  if (list.cases.empty()) {
    const bool filtered = o.mine || o.overdue || o.collective || o.repeat || o.skip_level ||
                          o.late_report || o.missing_report || o.conflicts || !o.status.empty() ||
                          !o.leader.empty();
    if (filtered)
      out << "No cases match (" << clock_note(list) << ").\n";
    else
      out << "No cases on this device. Run `fieldvisit sync` to fetch your units' cases.\n";
    return kExitOk;
  }
  std::vector<std::string> ids;
  for (const auto& s : list.cases) ids.push_back(s.row.id);
  IdResolver& resolver = session.ids();
  const int id_length = resolver.unique_length("case", ids);
  const std::string me = session.user_id();
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : list.cases) {
    const Json& v = s.row.values;
    rows.push_back({resolver.shorten(s.row.id, id_length), v.value("status", "-"), flags_cell(s),
                    show_user(client, v.value("responsible_leader_id", ""), me),
                    commitments_cell(s), deadlines_cell(s), s.row.local_changes ? "not yet" : "yes",
                    clip(v.value("title", ""), 40)});
  }
  print_table(
      out, {"ID", "STATUS", "FLAGS", "RESPONSIBLE", "COMMITMENTS", "DEADLINES", "SYNCED", "TITLE"},
      rows);
  out << count(static_cast<std::int64_t>(list.cases.size()), "case") << "; deadlines "
      << clock_note(list) << ".\n";
  return kExitOk;
}

int run_commitments(Session& session, bool overdue_only) {
  client::Client& client = session.signed_in_client();
  const client::CaseList list = client.list_cases({});
  struct Line {
    client::Record commitment;
    std::string case_id;
    bool overdue;
  };
  std::vector<Line> lines;
  for (const auto& s : list.cases)
    for (const client::Record& c : client.get_case(s.row.id).commitments) {
      const bool overdue = domain::commitment_overdue(c.values.value("status", ""),
                                                      c.values.value("due_date", ""), list.today);
      if (!overdue_only || overdue) lines.push_back({c, s.row.id, overdue});
    }
  std::sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
    return a.commitment.values.value("due_date", "") < b.commitment.values.value("due_date", "");
  });
  if (session.json()) {
    Json items = Json::array();
    for (const Line& l : lines) {
      Json item = record_json(l.commitment);
      item["overdue"] = l.overdue;
      items.push_back(item);
    }
    print_json(session.out(), {{"today", list.today},
                               {"today_from_device_clock", list.today_from_device_clock},
                               {"commitments", items}});
    return kExitOk;
  }
  std::ostream& out = session.out();
  if (lines.empty()) {
    out << (overdue_only ? "No overdue commitments" : "No commitments") << " (" << clock_note(list)
        << ").\n";
    return kExitOk;
  }
  IdResolver& resolver = session.ids();
  std::vector<std::vector<std::string>> rows;
  for (const Line& l : lines) {
    const Json& v = l.commitment.values;
    rows.push_back({resolver.brief(l.commitment.id), resolver.short_id("case", l.case_id),
                    v.value("due_date", "-"),
                    v.value("status", "-") + (l.overdue ? " (overdue)" : ""),
                    clip(v.value("who", ""), 20), clip(v.value("how", ""), 40)});
  }
  print_table(out, {"ID", "CASE", "DUE", "STATUS", "WHO", "HOW"}, rows);
  out << count(static_cast<std::int64_t>(lines.size()), "commitment") << "; overdue "
      << clock_note(list) << ".\n";
  return kExitOk;
}

// The options of the case list, for `cases` and `case list` alike.
void add_case_list(CLI::App& parent, const std::string& name, const std::string& description,
                   Action& action) {
  auto o = std::make_shared<CasesOptions>();
  auto* cases = parent.add_subcommand(name, description);
  cases->add_flag("--mine", o->mine, "Only cases you are responsible for or created");
  cases->add_option("--status", o->status, "Only cases in this status")
      ->check(CLI::IsMember(case_status_values()))
      ->type_name("STATUS");
  cases->add_option("--leader", o->leader, "Only cases this leader is responsible for (id or me)")
      ->type_name("USER");
  cases->add_flag("--overdue", o->overdue,
                  "An open commitment is past due, or the feedback date passed unresolved");
  cases->add_flag("--collective", o->collective, "Collective cases (5 or more people)");
  cases->add_flag("--repeat", o->repeat, "Repeat petitions");
  cases->add_flag("--skip-level", o->skip_level, "Skip-level petitions");
  cases->add_flag("--late-report", o->late_report, "An urgent report of the case was late");
  cases->add_flag("--missing-report", o->missing_report,
                  "Collective or skip-level with no urgent report in time");
  cases->add_flag("--conflicts", o->conflicts, "An open conflict on the case or its rows");
  cases->callback([o, &action] { action = [o](Session& s) { return run_cases(s, *o); }; });
}

}  // namespace

void add_case_list_command(CLI::App& case_group, Action& action) {
  add_case_list(case_group, "list",
                "The cases on this device, newest first, filtered as `fieldvisit cases`", action);
}

void add_review_commands(CLI::App& app, Action& action) {
  add_case_list(app, "cases",
                "Review: the cases on this device that match every filter given (offline; "
                "deadlines by this device's clock)",
                action);

  auto overdue = std::make_shared<bool>(false);
  auto* commitments = app.add_subcommand(
      "commitments", "Review: the commitments on this device, by due date (offline)");
  commitments->add_flag("--overdue", *overdue,
                        "Only open commitments due before today (this device's clock)");
  commitments->callback([overdue, &action] {
    action = [overdue](Session& s) { return run_commitments(s, *overdue); };
  });
}

}  // namespace fieldsync::fieldvisit
