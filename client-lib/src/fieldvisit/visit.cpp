// `fieldvisit visit add` and `fieldvisit visit correct`. Visits are never changed: a
// correction is a new visit pointing at the one it corrects.
#include "fieldvisit/cli.h"
#include "fieldvisit/format.h"
#include "fieldvisit/ids.h"
#include "fieldvisit/values.h"

namespace fieldsync::fieldvisit {
namespace {

// The free-text parts of a visit, shared by add and correct.
struct VisitText {
  std::string at;
  std::string met;
  std::string place;
  std::string notes;
  std::string outcome;
};

// What `visit add` was given.
struct AddOptions {
  std::string case_id;
  std::string kind;
  std::vector<std::string> leaders;
  VisitText text;
};

// What `visit correct` was given.
struct CorrectOptions {
  std::string visit_id;
  std::string kind;
  VisitText text;
};

// The fields the options give; empty options are left out.
Json text_fields(const VisitText& t) {
  Json fields = Json::object();
  if (!t.at.empty()) fields["visited_at"] = parse_time_input("--at", t.at);
  if (!t.met.empty()) fields["met"] = t.met;
  if (!t.place.empty()) fields["place"] = t.place;
  if (!t.notes.empty()) fields["notes"] = t.notes;
  if (!t.outcome.empty()) fields["outcome"] = t.outcome;
  return fields;
}

void add_text_options(CLI::App& command, VisitText& t) {
  command.add_option("--at", t.at, "When: YYYY-MM-DD HH:MM (local time), RFC 3339, or now")
      ->type_name("TIME");
  command.add_option("--met", t.met, "Whom you met")->type_name("TEXT");
  command.add_option("--place", t.place, "Where")->type_name("TEXT");
  command.add_option("--notes", t.notes, "What was said and seen")->type_name("TEXT");
  command.add_option("--outcome", t.outcome, "What came of it")->type_name("TEXT");
}

std::string case_title(const client::Client& client, const std::string& case_id) {
  auto c = client.find("case", case_id);
  return c ? c->values.value("title", "") : std::string();
}

int run_add(Session& session, const AddOptions& o) {
  client::Client& client = session.signed_in_client();
  const std::string case_id = session.ids().resolve("case", o.case_id);
  const std::string me = session.user_id();
  Json fields = text_fields(o.text);
  fields["kind"] = o.kind;
  const FieldDef& leaders = *session.model().require_entity("visit").field("leader_ids");
  Json leader_ids = Json::array({me});
  for (const std::string& typed : o.leaders) {
    for (const Json& id : parse_field_value(leaders, typed, {me, &session.ids()}))
      if (std::find(leader_ids.begin(), leader_ids.end(), id) == leader_ids.end())
        leader_ids.push_back(id);
  }
  fields["leader_ids"] = leader_ids;
  const std::string visit_id = client.add_visit(case_id, fields);
  session.ids().reset();

  if (session.json()) {
    print_json(session.out(), {{"visit_id", visit_id}, {"case_id", case_id}});
    return kExitOk;
  }
  const auto visit = client.find("visit", visit_id);
  std::ostream& out = session.out();
  out << "Recorded " << o.kind << " visit " << session.ids().brief(visit_id) << " on case "
      << session.ids().short_id("case", case_id) << " \"" << case_title(client, case_id) << "\", "
      << show_time(visit ? visit->values.value("visited_at", "") : "") << ".\n"
      << kSavedNote;
  return kExitOk;
}

int run_correct(Session& session, const CorrectOptions& o) {
  client::Client& client = session.signed_in_client();
  const std::string original = session.ids().resolve("visit", o.visit_id);
  Json fields = text_fields(o.text);
  if (!o.kind.empty()) fields["kind"] = o.kind;
  if (fields.empty())
    throw CliError("say what to correct: --notes, --outcome, --met, --place, --at or --kind",
                   kExitUsage, "usage");
  const std::string correction = client.correct_visit(original, fields);
  session.ids().reset();

  if (session.json()) {
    print_json(session.out(), {{"visit_id", correction}, {"corrects_visit_id", original}});
    return kExitOk;
  }
  const auto row = client.find("visit", correction);
  const std::string case_id = row ? row->values.value("case_id", "") : "";
  std::ostream& out = session.out();
  out << "Recorded correction " << session.ids().brief(correction) << " of visit "
      << session.ids().brief(original) << " on case " << session.ids().short_id("case", case_id)
      << " \"" << case_title(client, case_id) << "\"; the original notes stay as they were.\n"
      << kSavedNote;
  return kExitOk;
}

}  // namespace

void add_visit_commands(CLI::App& app, Action& action) {
  auto* group = app.add_subcommand("visit", "Visits: record one, or correct one");
  group->require_subcommand(1);
  const std::vector<std::string> kinds = enum_values("visit", "kind");

  auto add_options = std::make_shared<AddOptions>();
  auto* add = group->add_subcommand("add", "Record a visit to a case (offline; sync sends it)");
  add->add_option("case", add_options->case_id, "The case (id or its first 8+ characters)")
      ->required()
      ->type_name("CASE");
  add->add_option("--kind", add_options->kind, "home, reception or bring_back")
      ->required()
      ->check(CLI::IsMember(kinds))
      ->type_name("KIND");
  add->add_option("--leader", add_options->leaders,
                  "Another leader who went (user id; repeatable); you are always included")
      ->type_name("USER");
  add_text_options(*add, add_options->text);
  add->footer("--at defaults to now (the device clock).");
  add->callback([add_options, &action] {
    action = [add_options](Session& s) { return run_add(s, *add_options); };
  });

  auto correct_options = std::make_shared<CorrectOptions>();
  auto* correct = group->add_subcommand(
      "correct", "Correct a visit: a new record pointing at it (the original is kept)");
  correct->add_option("visit", correct_options->visit_id, "The visit (id or first 8+ characters)")
      ->required()
      ->type_name("VISIT");
  correct->add_option("--kind", correct_options->kind, "home, reception or bring_back")
      ->check(CLI::IsMember(kinds))
      ->type_name("KIND");
  add_text_options(*correct, correct_options->text);
  correct->footer("Give at least one of the options; kind and time default to the original's.");
  correct->callback([correct_options, &action] {
    action = [correct_options](Session& s) { return run_correct(s, *correct_options); };
  });
}

}  // namespace fieldsync::fieldvisit
