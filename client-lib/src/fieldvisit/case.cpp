// `fieldvisit case new|set|reopen` (case show is in case_show.cpp, case list is `fieldvisit cases`
// in review.cpp).
#include "fieldvisit/case.h"

#include "fieldvisit/cli.h"
#include "fieldvisit/format.h"
#include "fieldvisit/ids.h"
#include "fieldvisit/values.h"

namespace fieldsync::fieldvisit {
namespace {

// What `case new` was given.
struct NewOptions {
  std::string title;
  std::string channel;
  std::vector<std::string> subjects;
  std::optional<std::int64_t> headcount;
  std::string summary;
  std::vector<std::string> petitioners;
  std::vector<std::string> assignments;
};

// What `case set` was given.
struct SetOptions {
  std::string id;
  std::vector<std::string> assignments;
};

// What `case reopen` was given.
struct ReopenOptions {
  std::string id;
  std::string reason;
};

// "NAME[,PHONE[,ID_NUMBER]]" as petitioner fields.
Json petitioner_fields(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto comma = text.find(',', start);
    parts.push_back(
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  for (auto& p : parts) {
    while (!p.empty() && p.front() == ' ') p.erase(p.begin());
    while (!p.empty() && p.back() == ' ') p.pop_back();
  }
  if (parts.size() > 3 || parts[0].empty()) {
    throw CliError("--petitioner '" + text + "': give NAME, NAME,PHONE or NAME,PHONE,ID_NUMBER",
                   kExitFailed, "bad_value");
  }
  // Checked before the case is written, so a typo does not leave half a case behind.
  const EntityDef& entity = builtin_model().require_entity("petitioner");
  Json fields = Json::object();
  const char* names[] = {"name", "phone", "id_number"};
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].empty()) continue;
    const FieldDef& f = *entity.field(names[i]);
    const std::int64_t limit = f.max_length > 0 ? f.max_length : 200;
    if (static_cast<std::int64_t>(display_width(parts[i])) > limit)
      throw CliError("--petitioner '" + text + "': the " + names[i] + " is longer than " +
                         std::to_string(limit) + " characters",
                     kExitFailed, "too_long");
    fields[names[i]] = parts[i];
  }
  return fields;
}

int run_new(Session& session, const NewOptions& o) {
  client::Client& client = session.signed_in_client();
  const EntityDef& entity = session.model().require_entity("case");
  const ValueContext context{session.user_id(), &session.ids()};
  Json fields = parse_assignments(entity, o.assignments, context);
  fields["title"] = o.title;
  fields["channel"] = o.channel;
  if (!o.subjects.empty()) fields["subjects"] = o.subjects;
  if (o.headcount) fields["headcount"] = *o.headcount;
  if (!o.summary.empty()) fields["summary"] = o.summary;
  std::vector<Json> petitioners;
  for (const auto& p : o.petitioners) petitioners.push_back(petitioner_fields(p));

  const std::string case_id = client.create_case(fields);
  Json petitioner_ids = Json::array();
  for (const Json& p : petitioners) {
    try {
      petitioner_ids.push_back(client.add_petitioner(case_id, p));
    } catch (const Error& e) {
      throw CliError("case " + case_id + " was created, but petitioner " + p.value("name", "") +
                     " was not saved: " + explain(e, "case new").what());
    }
  }
  session.ids().reset();
  if (session.json()) {
    print_json(session.out(), {{"case_id", case_id}, {"petitioner_ids", petitioner_ids}});
    return kExitOk;
  }
  std::ostream& out = session.out();
  out << "Created case " << session.ids().short_id("case", case_id) << ": \"" << o.title << "\" ("
      << o.channel << ", received)";
  if (!petitioners.empty())
    out << " with " << count(static_cast<std::int64_t>(petitioners.size()), "petitioner");
  out << ".\n" << kSavedNote;
  return kExitOk;
}

int run_set(Session& session, const SetOptions& o) {
  client::Client& client = session.signed_in_client();
  const std::string case_id = session.ids().resolve("case", o.id);
  const EntityDef& entity = session.model().require_entity("case");
  const ValueContext context{session.user_id(), &session.ids()};
  const Json fields = parse_assignments(entity, o.assignments, context);
  if (fields.contains("status") && fields["status"] == "in_progress") {
    const auto row = client.find("case", case_id);
    const std::string now = row ? row->values.value("status", "") : "";
    if (now == "resolved" || now == "closed")
      throw CliError("a " + now +
                         " case goes back to in_progress only with `fieldvisit case "
                         "reopen " +
                         o.id + " --reason TEXT`",
                     kExitFailed, "use_reopen");
  }
  client.update_case(case_id, fields);
  return print_case_change(session, case_id, fields);
}

int run_reopen(Session& session, const ReopenOptions& o) {
  client::Client& client = session.signed_in_client();
  const std::string case_id = session.ids().resolve("case", o.id);
  client.reopen_case(case_id, o.reason);
  return print_case_change(session, case_id,
                           {{"status", "in_progress"}, {"reopen_reason", o.reason}});
}

}  // namespace

int print_case_change(Session& session, const std::string& case_id, const Json& fields) {
  if (session.json()) {
    print_json(session.out(), {{"case_id", case_id}, {"fields", fields}});
    return kExitOk;
  }
  client::Client& client = session.client();
  const std::string me = session.user_id();
  std::ostream& out = session.out();
  const auto row = client.find("case", case_id);
  out << "Case " << session.ids().short_id("case", case_id);
  if (row) out << " \"" << row->values.value("title", "") << "\"";
  out << ":\n";
  const EntityDef& entity = session.model().require_entity("case");
  std::vector<std::pair<std::string, std::string>> lines;
  for (const auto& [name, value] : fields.items()) {
    const FieldDef* f = entity.field(name);
    const Json shown = row && row->values.contains(name) ? row->values[name] : value;
    std::string text;
    if (f && f->policy == MergePolicy::append)
      text = "added \"" + show_value(value) + "\"";
    else if (f && f->policy == MergePolicy::counter)
      text = "now " + show_value(shown);
    else if (f && f->type == FieldType::id && f->ref == "user" && shown.is_string())
      text = "now " + show_user(client, shown.get<std::string>(), me);
    else
      text = "now " + show_value(shown);
    lines.emplace_back(name, text);
  }
  print_fields(out, lines);
  out << kSavedNote;
  return kExitOk;
}

void add_case_commands(CLI::App& app, Action& action) {
  auto* group = app.add_subcommand(
      "case", "Cases: list, show, create, change, reopen, and the petition rules");
  group->require_subcommand(1);

  add_case_list_command(*group, action);
  add_case_show_command(*group, action);

  auto new_options = std::make_shared<NewOptions>();
  auto* create = group->add_subcommand("new", "Record a new case (offline; sync sends it)");
  create->add_option("--title", new_options->title, "What the petition is about, in a line")
      ->required()
      ->type_name("TEXT");
  create->add_option("--channel", new_options->channel, "How it came in")
      ->required()
      ->check(CLI::IsMember(enum_values("case", "channel")))
      ->type_name("CHANNEL");
  create->add_option("--subject", new_options->subjects, "What it concerns (repeatable)")
      ->check(CLI::IsMember(enum_values("case", "subjects")))
      ->type_name("SUBJECT");
  create
      ->add_option("--headcount", new_options->headcount,
                   "How many people petition (5 or more: collective)")
      ->check(CLI::Range(1, 100000))
      ->type_name("N");
  create->add_option("--summary", new_options->summary, "The petition in more words")
      ->type_name("TEXT");
  create
      ->add_option("--petitioner", new_options->petitioners,
                   "A petitioner: NAME[,PHONE[,ID_NUMBER]] (repeatable)")
      ->type_name("NAME[,PHONE[,ID]]");
  create
      ->add_option("--set", new_options->assignments,
                   "Any other field, as for `case set` (repeatable)")
      ->type_name("FIELD=VALUE");
  create->callback([new_options, &action] {
    action = [new_options](Session& s) { return run_new(s, *new_options); };
  });

  auto set_options = std::make_shared<SetOptions>();
  auto* set = group->add_subcommand("set", "Change fields of a case: FIELD=VALUE ...");
  set->add_option("id", set_options->id, "The case (id or its first 8+ characters)")
      ->required()
      ->type_name("CASE");
  set->add_option("assignments", set_options->assignments,
                  "FIELD=VALUE, FIELD+=VALUE (add to a set or list, raise a counter), "
                  "FIELD-=VALUE (remove from a set), FIELD= (clear)")
      ->required()
      ->type_name("FIELD=VALUE");
  set->footer(fields_help("case"));
  set->callback([set_options, &action] {
    action = [set_options](Session& s) { return run_set(s, *set_options); };
  });

  auto reopen_options = std::make_shared<ReopenOptions>();
  auto* reopen =
      group->add_subcommand("reopen", "Take a resolved or closed case back to in_progress");
  reopen->add_option("id", reopen_options->id, "The case")->required()->type_name("CASE");
  reopen->add_option("--reason", reopen_options->reason, "Why (kept in the case)")
      ->required()
      ->type_name("TEXT");
  reopen->callback([reopen_options, &action] {
    action = [reopen_options](Session& s) { return run_reopen(s, *reopen_options); };
  });

  add_case_rule_commands(*group, action);
}

}  // namespace fieldsync::fieldvisit
