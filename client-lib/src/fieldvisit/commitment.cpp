// `fieldvisit commitment add` and `fieldvisit commitment done`: the two-way commitment of a
// visit, who handles it, how, by when.
#include "fieldvisit/cli.h"
#include "fieldvisit/format.h"
#include "fieldvisit/ids.h"
#include "fieldvisit/values.h"

namespace fieldsync::fieldvisit {
namespace {

// What `commitment add` was given.
struct AddOptions {
  std::string case_id;
  std::string who;
  std::string how;
  std::string due;
  std::string visit;
  std::string owner;
};

// What `commitment done` was given.
struct DoneOptions {
  std::string id;
  std::string at;
};

int run_add(Session& session, const AddOptions& o) {
  client::Client& client = session.signed_in_client();
  const std::string case_id = session.ids().resolve("case", o.case_id);
  Json fields = {{"who", o.who}, {"how", o.how}, {"due_date", parse_date_input("--due", o.due)}};
  if (!o.visit.empty()) fields["visit_id"] = session.ids().resolve("visit", o.visit);
  if (!o.owner.empty()) {
    const FieldDef& owner = *session.model().require_entity("commitment").field("owner_user_id");
    fields["owner_user_id"] = parse_field_value(owner, o.owner, {session.user_id(), nullptr});
  }
  const std::string id = client.add_commitment(case_id, fields);
  session.ids().reset();
  if (session.json()) {
    print_json(session.out(), {{"commitment_id", id}, {"case_id", case_id}});
    return kExitOk;
  }
  const auto c = client.find("case", case_id);
  session.out() << "Commitment " << session.ids().brief(id) << " on case "
                << session.ids().short_id("case", case_id) << " \""
                << (c ? c->values.value("title", "") : "") << "\": " << o.who << " will " << o.how
                << ", by " << fields["due_date"].get<std::string>() << ".\n"
                << kSavedNote;
  return kExitOk;
}

int run_done(Session& session, const DoneOptions& o) {
  client::Client& client = session.signed_in_client();
  const std::string id = session.ids().resolve("commitment", o.id);
  const auto before = client.find("commitment", id);
  if (before && before->values.value("status", "") == "done")
    throw CliError("commitment " + o.id + " is already done", kExitFailed, "already_done");
  const std::string at = o.at.empty() ? std::string() : parse_time_input("--at", o.at);
  client.complete_commitment(id, at);
  if (session.json()) {
    print_json(session.out(), {{"commitment_id", id}, {"status", "done"}});
    return kExitOk;
  }
  const auto row = client.find("commitment", id);
  session.out() << "Commitment " << session.ids().brief(id) << " (\""
                << (row ? row->values.value("how", "") : "") << "\") is done, "
                << show_time(row ? row->values.value("done_at", "") : "") << ".\n"
                << kSavedNote;
  return kExitOk;
}

}  // namespace

void add_commitment_commands(CLI::App& app, Action& action) {
  auto* group =
      app.add_subcommand("commitment", "Commitments: who will handle it, how, and by when");
  group->require_subcommand(1);

  auto add_options = std::make_shared<AddOptions>();
  auto* add = group->add_subcommand("add", "Record a commitment on a case");
  add->add_option("case", add_options->case_id, "The case (id or its first 8+ characters)")
      ->required()
      ->type_name("CASE");
  add->add_option("--who", add_options->who, "Who will handle it")->required()->type_name("WHO");
  add->add_option("--how", add_options->how, "How")->required()->type_name("TEXT");
  add->add_option("--due", add_options->due, "By when: YYYY-MM-DD")
      ->required()
      ->type_name("YYYY-MM-DD");
  add->add_option("--visit", add_options->visit, "The visit it was made at")->type_name("VISIT");
  add->add_option("--owner", add_options->owner, "The user who owns it (user id, or me)")
      ->type_name("USER");
  add->callback([add_options, &action] {
    action = [add_options](Session& s) { return run_add(s, *add_options); };
  });

  auto done_options = std::make_shared<DoneOptions>();
  auto* done = group->add_subcommand("done", "Mark a commitment done");
  done->add_option("id", done_options->id, "The commitment (id or its first 8+ characters)")
      ->required()
      ->type_name("COMMITMENT");
  done->add_option("--at", done_options->at, "When it was done (default: now)")->type_name("TIME");
  done->callback([done_options, &action] {
    action = [done_options](Session& s) { return run_done(s, *done_options); };
  });
}

}  // namespace fieldsync::fieldvisit
