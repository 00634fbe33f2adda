// `fieldvisit case leader|transfer|path|mark|packages|ack|follow-up|resolve|close`: the
// petition rules' writes on one case. A refusal (no handling path, petitioner not satisfied,
// ...) is the library's Error, explained by explain() with its code; nothing is saved then.
#include "fieldvisit/case.h"
#include "fieldvisit/cli.h"
#include "fieldvisit/format.h"
#include "fieldvisit/ids.h"
#include "fieldvisit/values.h"

namespace fieldsync::fieldvisit {
namespace {

// What every command here was given; each uses the members it needs.
struct RuleOptions {
  std::string id;
  std::string user;
  std::string unit;
  std::string note;
  std::string reason;
  std::string path;
  std::string flag;
  std::string who;
  std::string at;
  std::vector<std::string> packages;
  bool clear = false;
  bool satisfied = false;
  bool not_satisfied = false;
};

using Run =
    std::function<Json(Session&, client::Client&, const std::string& case_id, const RuleOptions&)>;

std::string id_of(Session& session, const std::string& entity, const std::string& field,
                  const std::string& text) {
  const FieldDef& f = *session.model().require_entity(entity).field(field);
  return parse_field_value(f, text, {session.user_id(), &session.ids()}).get<std::string>();
}

// Adds `case NAME CASE ...` running `run`, which returns the case fields it wrote (for the
// printout) and may add an "id" of a new row.
CLI::App* add_rule(CLI::App& group, Action& action, const char* name, const char* help,
                   const std::shared_ptr<RuleOptions>& o, Run run) {
  auto* cmd = group.add_subcommand(name, help);
  cmd->add_option("id", o->id, "The case (id or its first 8+ characters)")
      ->required()
      ->type_name("CASE");
  cmd->callback([o, run, &action, command = std::string(name)] {
    action = [o, run, command](Session& s) {
      client::Client& client = s.signed_in_client();
      const std::string case_id = s.ids().resolve("case", o->id);
      Json fields;
      try {
        fields = run(s, client, case_id, *o);
      } catch (const Error& e) {
        throw explain(e, "case " + command);
      }
      if (s.json() && fields.contains("id")) {
        print_json(s.out(), {{"case_id", case_id}, {"id", fields["id"]}, {"fields", fields}});
        return kExitOk;
      }
      fields.erase("id");
      return print_case_change(s, case_id, fields);
    };
  });
  return cmd;
}

}  // namespace

void add_case_rule_commands(CLI::App& group, Action& action) {
  auto leader = std::make_shared<RuleOptions>();
  auto* cmd =
      add_rule(group, action, "leader", "Make a leader responsible for the case", leader,
               [](Session& s, client::Client& c, const std::string& id, const RuleOptions& o) {
                 const std::string user = id_of(s, "leader_assignment", "leader_id", o.user);
                 const std::string row = c.assign_leader(id, user, o.note);
                 const auto now = c.find("case", id);
                 return Json{{"id", row},
                             {"responsible_leader_id", user},
                             {"status", now ? now->values.value("status", "") : ""}};
               });
  cmd->add_option("--user", leader->user, "The leader's user id, or me")
      ->required()
      ->type_name("USER");
  cmd->add_option("--note", leader->note, "Why, or what they take on")->type_name("TEXT");

  auto transfer = std::make_shared<RuleOptions>();
  cmd = add_rule(group, action, "transfer", "Hand the case to another unit (who, when, why kept)",
                 transfer,
                 [](Session& s, client::Client& c, const std::string& id, const RuleOptions& o) {
                   const std::string unit = id_of(s, "case_transfer", "to_unit_id", o.unit);
                   const std::string row = c.transfer_case(id, unit, o.reason);
                   return Json{{"id", row}, {"unit_id", unit}};
                 });
  cmd->add_option("--to", transfer->unit, "The unit's id")->required()->type_name("UNIT");
  cmd->add_option("--reason", transfer->reason, "Why it goes there")->required()->type_name("TEXT");

  auto path = std::make_shared<RuleOptions>();
  cmd = add_rule(group, action, "path", "Choose the handling path (needed before resolving)", path,
                 [](Session&, client::Client& c, const std::string& id, const RuleOptions& o) {
                   c.set_handling_path(id, o.path);
                   return Json{{"handling_path", o.path}};
                 });
  cmd->add_option("path", path->path, "The path")
      ->required()
      ->check(CLI::IsMember(enum_values("case", "handling_path")))
      ->type_name("PATH");

  auto mark = std::make_shared<RuleOptions>();
  cmd =
      add_rule(group, action, "mark", "Mark the case abnormal or the petitioner long-standing",
               mark, [](Session&, client::Client& c, const std::string& id, const RuleOptions& o) {
                 if (o.clear == !o.reason.empty())
                   throw CliError("give --reason TEXT to set the flag, or --clear to clear it",
                                  kExitUsage, "usage");
                 const std::string reason = o.clear ? "" : o.reason;
                 if (o.flag == "abnormal")
                   c.mark_abnormal(id, reason);
                 else
                   c.mark_long_standing(id, reason);
                 const std::string field = o.flag + "_reason";
                 return Json{{field, reason.empty() ? Json(nullptr) : Json(reason)}};
               });
  cmd->add_option("flag", mark->flag, "abnormal or long_standing")
      ->required()
      ->check(CLI::IsMember({"abnormal", "long_standing"}))
      ->type_name("FLAG");
  cmd->add_option("--reason", mark->reason, "What was seen or why")->type_name("TEXT");
  cmd->add_flag("--clear", mark->clear, "Clear the flag");

  auto packages = std::make_shared<RuleOptions>();
  cmd = add_rule(group, action, "packages", "The five packages done so far (the whole list)",
                 packages,
                 [](Session&, client::Client& c, const std::string& id, const RuleOptions& o) {
                   c.set_five_packages(id, o.packages);
                   return Json{{"five_packages", o.packages}};
                 });
  cmd->add_option("done", packages->packages, "Packages done (none: clear the list)")
      ->check(CLI::IsMember(enum_values("case", "five_packages")))
      ->type_name("PACKAGE");

  auto ack = std::make_shared<RuleOptions>();
  cmd = add_rule(group, action, "ack",
                 "A first letter seen by the leader, the unit or the writer (three meetings)", ack,
                 [](Session&, client::Client& c, const std::string& id, const RuleOptions& o) {
                   const std::string at = o.at.empty() ? "" : parse_time_input("--at", o.at);
                   c.acknowledge(id, o.who, at);
                   return Json{{"ack_" + o.who + "_at",
                                c.find("case", id)->values.value("ack_" + o.who + "_at", "")}};
                 });
  cmd->add_option("who", ack->who, "leader, unit or writer")
      ->required()
      ->check(CLI::IsMember({"leader", "unit", "writer"}))
      ->type_name("WHO");
  cmd->add_option("--at", ack->at, "When (default: now)")->type_name("TIME");

  auto follow = std::make_shared<RuleOptions>();
  cmd = add_rule(group, action, "follow-up",
                 "A follow-up contact: is the petitioner satisfied? (closing needs yes)", follow,
                 [](Session&, client::Client& c, const std::string& id, const RuleOptions& o) {
                   if (o.satisfied == o.not_satisfied)
                     throw CliError("give --satisfied or --not-satisfied", kExitUsage, "usage");
                   c.record_follow_up(id, o.satisfied);
                   return Json{{"petitioner_satisfied", o.satisfied}, {"follow_up_contacts", 1}};
                 });
  cmd->add_flag("--satisfied", follow->satisfied, "The petitioner agrees to stop petitioning");
  cmd->add_flag("--not-satisfied", follow->not_satisfied, "Handled, but not satisfied");

  auto resolve = std::make_shared<RuleOptions>();
  add_rule(group, action, "resolve", "Mark the case resolved (needs a handling path)", resolve,
           [](Session&, client::Client& c, const std::string& id, const RuleOptions&) {
             c.resolve_case(id);
             return Json{{"status", "resolved"}};
           });
  auto close = std::make_shared<RuleOptions>();
  add_rule(group, action, "close", "Close the case (needs a satisfied petitioner)", close,
           [](Session&, client::Client& c, const std::string& id, const RuleOptions&) {
             c.close_case(id);
             return Json{{"status", "closed"}};
           });
}

}  // namespace fieldsync::fieldvisit
