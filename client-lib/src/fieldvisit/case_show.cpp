// `fieldvisit case show`: one case as a leader reads it, top to bottom.
#include <chrono>
#include <set>

#include "fieldvisit/case.h"
#include "fieldvisit/conflicts.h"
#include "fieldvisit/format.h"
#include "fieldvisit/ids.h"
#include "fieldvisit/values.h"

namespace fieldsync::fieldvisit {
namespace {

// What `case show` was given.
struct ShowOptions {
  std::string id;
  bool all_history = false;
};

// History lines shown unless --history.
constexpr std::size_t kHistoryLines = 15;

std::string today_utc() {
  const auto now = std::chrono::system_clock::now();
  return show_ms(
             std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count())
      .substr(0, 10);
}

std::string text_of(const Json& values, const char* name) {
  auto it = values.find(name);
  return it != values.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool has_value(const Json& values, const std::string& name) {
  auto it = values.find(name);
  if (it == values.end() || it->is_null()) return false;
  if ((it->is_array() || it->is_string()) && it->empty()) return false;
  return true;
}

// The sync state of a row, in words.
std::string sync_state(const client::Record& r) {
  if (r.local_changes) return r.version == 0 ? "not yet synced" : "local changes not yet synced";
  return "synced (server version " + std::to_string(r.version) + ")";
}

void print_header(Session& session, std::ostream& out, const client::CaseDetail& d) {
  client::Client& client = session.client();
  const std::string me = session.user_id();
  const client::Record& c = d.case_row;
  const Json& v = c.values;
  out << "Case " << session.ids().short_id("case", c.id) << "  \"" << text_of(v, "title") << "\"\n";
  std::vector<std::pair<std::string, std::string>> lines;
  lines.emplace_back("id", c.id);
  std::string status = text_of(v, "status");
  if (has_value(v, "reopen_reason")) status += " (reopened: " + text_of(v, "reopen_reason") + ")";
  lines.emplace_back("status", status);
  lines.emplace_back("unit", show_unit(client, c.unit_id));
  lines.emplace_back("channel", text_of(v, "channel"));
  lines.emplace_back("received", show_time(text_of(v, "received_at")));
  lines.emplace_back("responsible", has_value(v, "responsible_leader_id")
                                        ? show_user(client, text_of(v, "responsible_leader_id"), me)
                                        : "nobody yet");
  // Every other field that holds something, in the model's order.
  const std::set<std::string> shown = {"title",   "status",      "reopen_reason",        "unit_id",
                                       "channel", "received_at", "responsible_leader_id"};
  const EntityDef& entity = session.model().require_entity("case");
  for (const FieldDef& f : entity.fields) {
    if (shown.count(f.name) || !has_value(v, f.name)) continue;
    if (f.policy == MergePolicy::append) {
      for (const Json& entry : v[f.name]) {
        const Json item = entry.is_object() && entry.contains("item") ? entry["item"] : entry;
        std::string who;
        if (entry.is_object() && entry.contains("usr"))
          who = " (" + show_user(client, entry.value("usr", ""), me) + ", " +
                show_hlc(entry.value("hlc", "")) + ")";
        lines.emplace_back(f.name, show_value(item) + who);
      }
      continue;
    }
    lines.emplace_back(f.name, show_field(client, "case", f.name, v[f.name], me));
  }
  lines.emplace_back("created",
                     show_user(client, c.created_by, me) + ", " + show_hlc(c.created_at));
  lines.emplace_back("sync", sync_state(c));
  print_fields(out, lines);
}

void print_petitioners(Session& session, std::ostream& out, const client::CaseDetail& d) {
  if (d.petitioners.empty()) return;
  out << "\nPetitioners (" << d.petitioners.size() << ")\n";
  std::vector<std::string> ids;
  for (const auto& p : d.petitioners) ids.push_back(p.id);
  const int length = session.ids().unique_among(ids, ids);
  std::vector<std::vector<std::string>> rows;
  for (const auto& p : d.petitioners) {
    rows.push_back({session.ids().shorten(p.id, length), text_of(p.values, "name"),
                    has_value(p.values, "phone") ? text_of(p.values, "phone") : "-",
                    has_value(p.values, "id_number") ? text_of(p.values, "id_number") : "-",
                    has_value(p.values, "address") ? clip(text_of(p.values, "address"), 40) : "-"});
  }
  print_table(out, {"ID", "NAME", "PHONE", "ID NUMBER", "ADDRESS"}, rows, "  ");
}

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& i : items) text += (text.empty() ? "" : ", ") + i;
  return text.empty() ? "-" : text;
}

// Kind flags as the tablet and the office computed them, the leaders who held the case and
// the units it went through.
void print_rules(Session& session, std::ostream& out, const client::CaseDetail& d) {
  client::Client& client = session.client();
  const std::string me = session.user_id();
  out << "\nKind flags\n";
  std::vector<std::pair<std::string, std::string>> lines;
  lines.emplace_back("tablet", joined(d.flags.tablet));
  lines.emplace_back("office",
                     d.flags.office.empty() ? "not computed yet (sync)" : joined(d.flags.office));
  if (d.flags.differ)
    lines.emplace_back("differ", "YES: the office holds cases this device does not");
  if (!d.flags.repeat_of_case_ids.empty())
    lines.emplace_back("repeat of", joined(d.flags.repeat_of_case_ids));
  print_fields(out, lines, "  ");
  if (!d.leader_history.empty()) {
    out << "\nResponsible leaders (" << d.leader_history.size() << ")\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : d.leader_history)
      rows.push_back({show_time(text_of(a.values, "assigned_at")),
                      show_user(client, text_of(a.values, "leader_id"), me),
                      show_user(client, text_of(a.values, "assigned_by_id"), me),
                      has_value(a.values, "note") ? clip(text_of(a.values, "note"), 40) : "-"});
    print_table(out, {"SINCE", "LEADER", "ASSIGNED BY", "NOTE"}, rows, "  ");
  }
  if (!d.transfers.empty()) {
    out << "\nTransfers (" << d.transfers.size() << ")\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& t : d.transfers)
      rows.push_back({show_time(text_of(t.values, "transferred_at")),
                      show_unit(client, text_of(t.values, "from_unit_id")),
                      show_unit(client, text_of(t.values, "to_unit_id")),
                      show_user(client, text_of(t.values, "by_user_id"), me),
                      clip(text_of(t.values, "reason"), 40)});
    print_table(out, {"WHEN", "FROM", "TO", "BY", "WHY"}, rows, "  ");
  }
}

// met / place / notes / outcome of a visit or correction, one per line.
void print_visit_text(std::ostream& out, const client::Record& visit, const std::string& indent) {
  std::vector<std::pair<std::string, std::string>> lines;
  for (const char* name : {"met", "place", "notes", "outcome"})
    if (has_value(visit.values, name)) lines.emplace_back(name, text_of(visit.values, name));
  print_fields(out, lines, indent);
}

void print_visits(Session& session, std::ostream& out, const client::CaseDetail& d) {
  if (d.visits.empty()) return;
  client::Client& client = session.client();
  const std::string me = session.user_id();
  out << "\nVisits (" << d.visits.size() << ")\n";
  std::vector<std::string> ids;
  for (const auto& v : d.visits) {
    ids.push_back(v.visit.id);
    for (const auto& c : v.corrections) ids.push_back(c.id);
  }
  const int length = session.ids().unique_among(ids, ids);
  for (const auto& v : d.visits) {
    const client::Record& r = v.visit;
    out << "  " << session.ids().shorten(r.id, length) << "  "
        << show_time(text_of(r.values, "visited_at")) << "  " << text_of(r.values, "kind")
        << " visit, recorded by " << show_user(client, r.created_by, me);
    if (has_value(r.values, "leader_ids"))
      out << "; leaders: " << show_field(client, "visit", "leader_ids", r.values["leader_ids"], me);
    if (r.local_changes) out << "  [not yet synced]";
    out << '\n';
    print_visit_text(out, r, "      ");
    for (const auto& c : v.corrections) {
      out << "      correction " << session.ids().shorten(c.id, length) << ", recorded by "
          << show_user(client, c.created_by, me) << " at " << show_hlc(c.created_at)
          << (c.local_changes ? "  [not yet synced]" : "") << '\n';
      print_visit_text(out, c, "          ");
    }
  }
}

void print_commitments(Session& session, std::ostream& out, const client::CaseDetail& d) {
  if (d.commitments.empty()) return;
  const std::string today = today_utc();
  out << "\nCommitments (" << d.commitments.size() << ")\n";
  std::vector<std::string> ids;
  for (const auto& c : d.commitments) ids.push_back(c.id);
  const int length = session.ids().unique_among(ids, ids);
  std::vector<std::vector<std::string>> rows;
  bool any_overdue = false;
  for (const auto& c : d.commitments) {
    const std::string status = text_of(c.values, "status");
    const std::string due = text_of(c.values, "due_date");
    std::string state = status;
    if (status == "done" && has_value(c.values, "done_at"))
      state += " " + show_time(text_of(c.values, "done_at")).substr(0, 10);
    if (status != "done" && !due.empty() && due < today) {
      state += ", OVERDUE (device time)";
      any_overdue = true;
    }
    rows.push_back(
        {session.ids().shorten(c.id, length), due, state, text_of(c.values, "who"),
         clip(text_of(c.values, "how"), 50) + (c.local_changes ? "  [not yet synced]" : "")});
  }
  print_table(out, {"ID", "DUE", "STATUS", "WHO", "HOW"}, rows, "  ");
  if (any_overdue)
    out << "  Overdue is judged on " << today << " by this device's clock, which may be wrong.\n";
}

void print_urgent(Session& session, std::ostream& out, const client::CaseDetail& d) {
  if (d.urgent_reports.empty()) return;
  out << "\nUrgent reports (" << d.urgent_reports.size() << ")\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : d.urgent_reports) {
    rows.push_back({session.ids().brief(r.id), text_of(r.values, "kind"),
                    show_time(text_of(r.values, "known_at")),
                    has_value(r.values, "reached_office_at")
                        ? show_time(text_of(r.values, "reached_office_at"))
                        : (r.local_changes ? "not yet: sync" : "yes (time not stamped)"),
                    has_value(r.values, "headcount") ? show_value(r.values["headcount"]) : "-",
                    clip(text_of(r.values, "summary"), 50)});
  }
  print_table(out, {"ID", "KIND", "KNOWN IN THE FIELD", "REACHED THE OFFICE", "PEOPLE", "SUMMARY"},
              rows, "  ");
}

void print_conflicts(Session& session, std::ostream& out, const client::CaseDetail& d) {
  if (d.open_conflicts.empty()) return;
  out << "\nOpen conflicts (" << d.open_conflicts.size() << ")\n";
  std::vector<std::string> ids;
  for (const auto& c : d.open_conflicts) ids.push_back(c.id);
  const int length = session.ids().unique_length("conflict", ids);
  for (const auto& c : d.open_conflicts)
    print_conflict(session, out, c, session.ids().shorten(c.id, length), "  ");
  out << "  Decide with `fieldvisit conflicts resolve ID --pick N` or `--value VALUE`.\n";
}

void print_history(Session& session, std::ostream& out, const client::CaseDetail& d, bool all) {
  if (d.history.empty()) return;
  client::Client& client = session.client();
  const std::string me = session.user_id();
  out << "\nHistory (" << d.history.size() << " changes known to this device, oldest first)\n";
  const std::size_t skip =
      !all && d.history.size() > kHistoryLines ? d.history.size() - kHistoryLines : 0;
  if (skip > 0) out << "  (" << skip << " older changes left out; --history shows them all)\n";
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = skip; i < d.history.size(); ++i) {
    const client::HistoryEntry& h = d.history[i];
    std::string change = h.kind.empty() ? h.entity : h.kind + " " + h.entity;
    std::string fields;
    for (const auto& f : h.fields) fields += (fields.empty() ? "" : ", ") + f;
    if (!fields.empty()) change += ": " + fields;
    rows.push_back({show_hlc(h.hlc), show_user(client, h.user_id, me),
                    show_device(client, h.device_id), clip(change, 60), h.state});
  }
  print_table(out, {"WHEN (device clock)", "WHO", "DEVICE", "CHANGE", "STATE"}, rows, "  ");
}

Json detail_json(Session& session, const client::CaseDetail& d) {
  Json visits = Json::array();
  for (const auto& v : d.visits) {
    Json item = record_json(v.visit);
    item["corrections"] = Json::array();
    for (const auto& c : v.corrections) item["corrections"].push_back(record_json(c));
    visits.push_back(item);
  }
  auto records = [](const std::vector<client::Record>& rows) {
    Json list = Json::array();
    for (const auto& r : rows) list.push_back(record_json(r));
    return list;
  };
  Json conflicts = Json::array();
  for (const auto& c : d.open_conflicts) conflicts.push_back(conflict_json(session, c));
  Json history = Json::array();
  for (const auto& h : d.history) history.push_back(history_json(h));
  const std::string today = today_utc();
  Json commitments = records(d.commitments);
  for (Json& c : commitments) {
    const Json& v = c["values"];
    const std::string due = v.value("due_date", "");
    c["overdue"] = v.value("status", "") != "done" && !due.empty() && due < today;
  }
  return {{"case", record_json(d.case_row)},
          {"petitioners", records(d.petitioners)},
          {"visits", visits},
          {"commitments", commitments},
          {"overdue_judged_on", today},
          {"urgent_reports", records(d.urgent_reports)},
          {"flags",
           {{"tablet", d.flags.tablet},
            {"office", d.flags.office},
            {"repeat_of_case_ids", d.flags.repeat_of_case_ids},
            {"flags_differ", d.flags.differ}}},
          {"acknowledgements",
           {{"leader_at", d.acknowledgements.leader_at},
            {"unit_at", d.acknowledgements.unit_at},
            {"writer_at", d.acknowledgements.writer_at}}},
          {"leader_history", records(d.leader_history)},
          {"transfers", records(d.transfers)},
          {"open_conflicts", conflicts},
          {"history", history}};
}

int run_show(Session& session, const ShowOptions& o) {
  client::Client& client = session.signed_in_client();
  const std::string id = session.ids().resolve("case", o.id);
  const client::CaseDetail detail = client.get_case(id);
  if (session.json()) {
    print_json(session.out(), detail_json(session, detail));
    return kExitOk;
  }
  std::ostream& out = session.out();
  print_header(session, out, detail);
  print_rules(session, out, detail);
  print_petitioners(session, out, detail);
  print_visits(session, out, detail);
  print_commitments(session, out, detail);
  print_urgent(session, out, detail);
  print_conflicts(session, out, detail);
  print_history(session, out, detail, o.all_history);
  return kExitOk;
}

}  // namespace

void add_case_show_command(CLI::App& group, Action& action) {
  auto o = std::make_shared<ShowOptions>();
  auto* show = group.add_subcommand(
      "show", "One case: petitioners, visits and corrections, commitments, conflicts, history");
  show->add_option("id", o->id, "The case (id or its first 8+ characters)")
      ->required()
      ->type_name("CASE");
  show->add_flag("--history", o->all_history, "Show the whole history, not the last 15 changes");
  show->callback([o, &action] { action = [o](Session& s) { return run_show(s, *o); }; });
}

}  // namespace fieldsync::fieldvisit
