// `fieldvisit status` (what waits to be sent, what was refused or held aside, open conflicts,
// last sync and error), `fieldvisit rejected discard` and `fieldvisit retry`.
#include "fieldvisit/cli.h"
#include "fieldvisit/format.h"
#include "fieldvisit/ids.h"

namespace fieldsync::fieldvisit {
namespace {

// What `rejected discard` was given.
struct DiscardOptions {
  std::string op_id;
};

int run_status(Session& session) {
  client::Client& client = session.client();
  const client::SyncStatus s = client.status();
  const std::optional<std::string> stored = client.server_url();
  const std::string server = stored ? decode_server_settings(*stored).url : std::string();
  if (session.json()) {
    Json doc = status_json(s);
    doc["server"] = server.empty() ? Json(nullptr) : Json(server);
    print_json(session.out(), doc);
    return kExitOk;
  }
  std::ostream& out = session.out();
  std::vector<std::pair<std::string, std::string>> lines;
  lines.emplace_back("device", s.device_id);
  if (s.user_id.empty()) {
    lines.emplace_back("user", "nobody has signed in here: run `fieldvisit login`");
  } else {
    lines.emplace_back("user", show_user(client, s.user_id) + ", " + s.role + ", " +
                                   show_unit(client, s.unit_id) +
                                   (s.signed_in ? "" : "  (sign in again: `fieldvisit login`)"));
  }
  lines.emplace_back("server", server.empty() ? "-" : server);
  lines.emplace_back("last sync",
                     s.last_sync_at ? show_time(*s.last_sync_at) + " (device clock)" : "never");
  lines.emplace_back("to send", s.pending_ops == 0
                                    ? "nothing"
                                    : count(s.pending_ops, "change") + " waiting for a sync");
  lines.emplace_back("refused",
                     s.rejected.empty()
                         ? "nothing"
                         : count(static_cast<std::int64_t>(s.rejected.size()), "change") +
                               " refused by the server (below)");
  lines.emplace_back("held aside", s.held.empty()
                                       ? "nothing"
                                       : count(static_cast<std::int64_t>(s.held.size()), "change") +
                                             " the server failed on again and again (below)");
  lines.emplace_back("conflicts", s.open_conflicts == 0 ? "none open"
                                                        : count(s.open_conflicts, "open conflict") +
                                                              ": see `fieldvisit conflicts`");
  if (s.last_error) {
    lines.emplace_back("last error", show_time(s.last_error->at) + ": " + s.last_error->message +
                                         " [" + s.last_error->domain + "/" + s.last_error->code +
                                         "]");
  }
  print_fields(out, lines, "");
  if (!s.rejected.empty()) {
    std::vector<std::string> ids;
    for (const auto& op : s.rejected) ids.push_back(op.op_id);
    IdResolver& resolver = session.ids();
    const int length = resolver.unique_length("op", ids);
    out << "\nRefused changes (kept until you discard them; record a corrected change as new):\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& op : s.rejected) {
      std::string fields;
      for (const auto& [name, value] : op.fields.items())
        fields += (fields.empty() ? "" : ", ") + name + "=" + clip(show_value(value), 30);
      rows.push_back({resolver.shorten(op.op_id, length), op.kind + " " + op.entity,
                      brief_id(op.row_id), show_hlc(op.hlc), clip(fields, 50), reasons_of(op)});
    }
    print_table(out, {"OP", "CHANGE", "ROW", "WHEN", "FIELDS", "WHY"}, rows, "  ");
    out << "  Discard one with `fieldvisit rejected discard OP`.\n";
  }
  if (!s.held.empty()) {
    out << "\nHeld aside (the server failed on them " << client::kHoldAfterServerFailures
        << " times in a row, an error of its own; kept here, not sent, so nothing else waits):\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& op : s.held)
      rows.push_back({brief_id(op.op_id), op.kind + " " + op.entity, brief_id(op.row_id),
                      show_time(op.at), clip(op.message, 70)});
    print_table(out, {"OP", "CHANGE", "ROW", "LAST TRIED", "SERVER SAID"}, rows, "  ");
    out << "  Once the server is mended, `fieldvisit retry` sends them again.\n";
  }
  return kExitOk;
}

int run_retry(Session& session) {
  client::Client& client = session.signed_in_client();
  const std::int64_t n = client.retry_failed();
  if (session.json()) {
    print_json(session.out(), {{"retried_ops", n}});
    return kExitOk;
  }
  if (n == 0) {
    session.out() << "Nothing is held aside.\n";
  } else {
    session.out() << count(n, "change") << " will be sent again at the next sync: run "
                  << "`fieldvisit sync`.\n";
  }
  return kExitOk;
}

int run_discard(Session& session, const DiscardOptions& o) {
  client::Client& client = session.signed_in_client();
  const std::string op_id = session.ids().resolve("op", o.op_id);
  client.discard_rejected(op_id);
  if (session.json()) {
    print_json(session.out(), {{"discarded_op_id", op_id}});
    return kExitOk;
  }
  session.out() << "Discarded refused change " << op_id << "; it will not be sent again.\n";
  return kExitOk;
}

}  // namespace

void add_status_commands(CLI::App& app, Action& action) {
  auto* status = app.add_subcommand(
      "status", "This device: who is signed in, what waits to be sent, refused changes, conflicts");
  status->callback([&action] { action = [](Session& s) { return run_status(s); }; });

  auto* rejected = app.add_subcommand("rejected", "Changes the server refused");
  rejected->require_subcommand(1);
  auto o = std::make_shared<DiscardOptions>();
  auto* discard = rejected->add_subcommand(
      "discard", "Remove a refused change from this device for good (it is never resent)");
  discard->add_option("op", o->op_id, "The refused change (op id or its first 8+ characters)")
      ->required()
      ->type_name("OP");
  discard->callback([o, &action] { action = [o](Session& s) { return run_discard(s, *o); }; });

  auto* retry = app.add_subcommand(
      "retry", "Send the changes held aside after repeated server failures again");
  retry->callback([&action] { action = [](Session& s) { return run_retry(s); }; });
}

}  // namespace fieldsync::fieldvisit
