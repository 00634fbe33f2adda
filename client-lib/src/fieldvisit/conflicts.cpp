// `fieldvisit conflicts` and `fieldvisit conflicts resolve`.
#include "fieldvisit/conflicts.h"

#include "fieldvisit/format.h"
#include "fieldvisit/ids.h"
#include "fieldvisit/values.h"

namespace fieldsync::fieldvisit {
namespace {

// What `conflicts resolve` was given.
struct ResolveOptions {
  std::string id;
  std::string value;
  int pick = 0;
  std::string note;
};

std::string text_of(const Json& values, const char* name) {
  auto it = values.find(name);
  return it != values.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The case a conflict belongs to ("" when its row is not a case's).
std::string case_of(const client::Client& client, const client::Record& conflict) {
  const std::string entity = text_of(conflict.values, "entity");
  const std::string row_id = text_of(conflict.values, "row_id");
  if (entity == "case") return row_id;
  if (auto row = client.find(entity, row_id)) return text_of(row->values, "case_id");
  return {};
}

Json candidates_of(const client::Record& conflict) {
  auto it = conflict.values.find("candidates");
  return it != conflict.values.end() && it->is_array() ? *it : Json::array();
}

int run_list(Session& session) {
  client::Client& client = session.signed_in_client();
  const std::vector<client::Record> conflicts = client.open_conflicts();
  if (session.json()) {
    Json items = Json::array();
    for (const auto& c : conflicts) items.push_back(conflict_json(session, c));
    print_json(session.out(), {{"conflicts", items}});
    return kExitOk;
  }
  std::ostream& out = session.out();
  if (conflicts.empty()) {
    out << "No open conflicts on this device.\n";
    return kExitOk;
  }
  std::vector<std::string> ids;
  for (const auto& c : conflicts) ids.push_back(c.id);
  IdResolver& resolver = session.ids();
  const int length = resolver.unique_length("conflict", ids);
  out << count(static_cast<std::int64_t>(conflicts.size()), "open conflict")
      << ": the same field was set to different values on different devices.\n";
  for (const auto& c : conflicts) {
    out << '\n';
    print_conflict(session, out, c, resolver.shorten(c.id, length), "");
  }
  out << "\nDecide one with `fieldvisit conflicts resolve ID --pick N` (a value listed above) or "
         "`--value VALUE`, optionally with --note TEXT.\n";
  return kExitOk;
}

int run_resolve(Session& session, const ResolveOptions& o) {
  client::Client& client = session.signed_in_client();
  if (o.value.empty() == (o.pick == 0))
    throw CliError("give exactly one of --value VALUE or --pick N", kExitUsage, "usage");
  const std::string id = session.ids().resolve("conflict", o.id);
  const client::Record conflict = *client.find("conflict", id);
  const std::string entity = text_of(conflict.values, "entity");
  const std::string field = text_of(conflict.values, "field");
  const std::string me = session.user_id();

  Json value;
  if (o.pick > 0) {
    const Json candidates = candidates_of(conflict);
    if (o.pick > static_cast<int>(candidates.size()))
      throw CliError("--pick " + std::to_string(o.pick) + ": this conflict has " +
                         count(static_cast<std::int64_t>(candidates.size()), "value") +
                         "; see `fieldvisit conflicts`",
                     kExitFailed, "bad_value");
    value = candidates[static_cast<std::size_t>(o.pick - 1)].value("value", Json());
  } else {
    const EntityDef* e = session.model().entity(entity);
    const FieldDef* f = e ? e->field(field) : nullptr;
    if (!f) throw CliError("this conflict is on a field this version does not know: " + field);
    value = parse_field_value(*f, o.value, ValueContext{me, &session.ids()});
  }
  const std::string addressed = text_of(conflict.values, "addressed_to");
  if (client.status().role == "field_leader" && !addressed.empty() && addressed != me) {
    session.err() << "note: this conflict is addressed to " << show_user(client, addressed)
                  << "; the server takes a field leader's decision only on conflicts addressed "
                     "to them\n";
  }
  client.resolve_conflict(id, value, o.note);

  if (session.json()) {
    print_json(session.out(), {{"conflict_id", id},
                               {"entity", entity},
                               {"row_id", text_of(conflict.values, "row_id")},
                               {"field", field},
                               {"resolution", value}});
    return kExitOk;
  }
  std::ostream& out = session.out();
  out << "Conflict " << session.ids().short_id("conflict", id) << " decided: " << field
      << " of the " << entity << " is now " << show_field(client, entity, field, value, me)
      << ".\n";
  out << "Saved on this device; `fieldvisit sync` sends the decision to the server and the "
         "other devices.\n";
  return kExitOk;
}

}  // namespace

void print_conflict(Session& session, std::ostream& out, const client::Record& conflict,
                    const std::string& short_id, const std::string& indent) {
  client::Client& client = session.client();
  const std::string me = session.user_id();
  const std::string entity = text_of(conflict.values, "entity");
  const std::string field = text_of(conflict.values, "field");
  const std::string case_id = case_of(client, conflict);
  out << indent << "Conflict " << short_id << " on " << field << " of the " << entity;
  if (!case_id.empty()) {
    out << " (case " << session.ids().short_id("case", case_id);
    if (auto c = client.find("case", case_id)) out << " \"" << text_of(c->values, "title") << "\"";
    out << ")";
  }
  out << '\n';
  const std::string addressed = text_of(conflict.values, "addressed_to");
  if (!addressed.empty())
    out << indent << "  for " << show_user(client, addressed, me) << " to decide\n";
  std::vector<std::vector<std::string>> rows;
  int n = 0;
  for (const Json& c : candidates_of(conflict)) {
    rows.push_back({std::to_string(++n) + ".",
                    show_field(client, entity, field, c.value("value", Json()), me),
                    show_user(client, c.value("user_id", ""), me), show_hlc(c.value("hlc", "")),
                    show_device(client, c.value("device_id", ""))});
  }
  print_table(out, {"#", "VALUE", "SET BY", "WHEN (device clock)", "DEVICE"}, rows, indent + "  ");
}

Json conflict_json(Session& session, const client::Record& conflict) {
  client::Client& client = session.client();
  Json doc = record_json(conflict);
  const std::string case_id = case_of(client, conflict);
  doc["case_id"] = case_id.empty() ? Json(nullptr) : Json(case_id);
  if (auto c = case_id.empty() ? std::nullopt : client.find("case", case_id))
    doc["case_title"] = text_of(c->values, "title");
  doc["field"] = text_of(conflict.values, "field");
  doc["candidates"] = candidates_of(conflict);
  return doc;
}

void add_conflict_commands(CLI::App& app, Action& action) {
  auto* group = app.add_subcommand(
      "conflicts", "Open conflicts: fields set to different values on different devices");
  group->callback([&action, group] {
    if (group->get_subcommands().empty()) action = [](Session& s) { return run_list(s); };
  });

  auto o = std::make_shared<ResolveOptions>();
  auto* resolve = group->add_subcommand("resolve", "Decide an open conflict");
  resolve->add_option("id", o->id, "The conflict (id or its first 8+ characters)")
      ->required()
      ->type_name("CONFLICT");
  auto* value =
      resolve->add_option("--value", o->value, "The value the field gets")->type_name("VALUE");
  auto* pick = resolve
                   ->add_option("--pick", o->pick,
                                "Take candidate N as listed by "
                                "`fieldvisit conflicts`")
                   ->check(CLI::PositiveNumber)
                   ->type_name("N");
  value->excludes(pick);
  resolve->add_option("--note", o->note, "Why (kept with the decision)")->type_name("TEXT");
  resolve->footer("Values are typed as for `case set` (a user id field also takes `me`).");
  resolve->callback([o, &action] { action = [o](Session& s) { return run_resolve(s, *o); }; });
}

}  // namespace fieldsync::fieldvisit
