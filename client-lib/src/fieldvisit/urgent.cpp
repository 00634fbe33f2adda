// `fieldvisit urgent add`: report a collective, skip-level or coordinated matter upward. The
// time it became known in the field is recorded; the server stamps when it reached the office.
#include "fieldvisit/cli.h"
#include "fieldvisit/format.h"
#include "fieldvisit/ids.h"
#include "fieldvisit/values.h"

namespace fieldsync::fieldvisit {
namespace {

// What `urgent add` was given.
struct AddOptions {
  std::string case_id;
  std::string kind;
  std::string summary;
  std::string known_at;
  std::optional<std::int64_t> headcount;
};

int run_add(Session& session, const AddOptions& o) {
  client::Client& client = session.signed_in_client();
  const std::string case_id = session.ids().resolve("case", o.case_id);
  Json fields = {{"kind", o.kind}, {"summary", o.summary}};
  if (!o.known_at.empty()) fields["known_at"] = parse_time_input("--known-at", o.known_at);
  if (o.headcount) fields["headcount"] = *o.headcount;
  const std::string id = client.file_urgent_report(case_id, fields);
  session.ids().reset();
  if (session.json()) {
    print_json(session.out(), {{"urgent_report_id", id}, {"case_id", case_id}});
    return kExitOk;
  }
  const auto row = client.find("urgent_report", id);
  session.out() << "Urgent report " << session.ids().brief(id) << " (" << o.kind
                << ") filed on case " << session.ids().short_id("case", case_id)
                << ", known in the field at "
                << show_time(row ? row->values.value("known_at", "") : "") << ".\n"
                << "Saved on this device; it reaches the duty office on the next `fieldvisit "
                   "sync`: sync as soon as you have a network.\n";
  return kExitOk;
}

}  // namespace

void add_urgent_commands(CLI::App& app, Action& action) {
  auto* group = app.add_subcommand("urgent", "Urgent reports upward (collective, skip-level)");
  group->require_subcommand(1);
  auto o = std::make_shared<AddOptions>();
  auto* add = group->add_subcommand("add", "File an urgent report on a case");
  add->add_option("case", o->case_id, "The case (id or its first 8+ characters)")
      ->required()
      ->type_name("CASE");
  add->add_option("--kind", o->kind, "What kind of matter")
      ->required()
      ->check(CLI::IsMember(enum_values("urgent_report", "kind")))
      ->type_name("KIND");
  add->add_option("--summary", o->summary, "What is happening")->required()->type_name("TEXT");
  add->add_option("--known-at", o->known_at,
                  "When it became known in the field (default: now); YYYY-MM-DD HH:MM local "
                  "time or RFC 3339")
      ->type_name("TIME");
  add->add_option("--headcount", o->headcount, "How many people")
      ->check(CLI::Range(1, 100000))
      ->type_name("N");
  add->callback([o, &action] { action = [o](Session& s) { return run_add(s, *o); }; });
}

}  // namespace fieldsync::fieldvisit
