// fieldvisit: a field leader's tablet on the command line. Parses the command, runs it, and
// turns every failure into a message and an exit code (see kFooter).
#include <signal.h>

#include <cerrno>
#include <iostream>

#include "fieldvisit/cli.h"
#include "fieldvisit/format.h"

namespace {

using namespace fieldsync::fieldvisit;

constexpr const char* kFooter =
    R"(Ids: a full id, or its first 8 or more characters when no other row starts the same way.
Environment: FIELDVISIT_DB (instead of --db), FIELDVISIT_PASSWORD (for login).
Exit codes:
  0  done
  1  failed; the message on stderr says what went wrong and what to do
     (unknown field, bad value, no network, wrong password, not signed in, device wiped)
  2  the command line is wrong (unknown command or option, missing argument)
  3  sync completed, but something needs a person: rejected ops waiting
     (fieldvisit status) or open conflicts (fieldvisit conflicts)
With --json every command prints one JSON document on stdout; on failure it is
{"error": {"code", "message", "exit_code"}}.)";

void print_error_json(std::ostream& out, const CliError& error) {
  print_json(
      out,
      {{"error",
        {{"code", error.code()}, {"message", error.what()}, {"exit_code", error.exit_code()}}}});
}

}  // namespace

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);  // a closed stdout is an error code, not a kill
  CLI::App app{
      "fieldvisit: a field leader's tablet on the command line. Records cases, visits "
      "and commitments offline, and syncs them with the FieldSync server.",
      "fieldvisit"};
  app.footer(kFooter);
  app.require_subcommand(1);
  app.fallthrough();  // global options may come after the command too
  GlobalOptions options;
  app.add_option("--db", options.db, "The device database file (created by login)")
      ->envname("FIELDVISIT_DB")
      ->required()
      ->type_name("FILE");
  app.add_flag("--json", options.json, "Print one JSON document on stdout, for scripts");

  Action action;
  add_login_command(app, action);
  add_case_commands(app, action);
  add_visit_commands(app, action);
  add_commitment_commands(app, action);
  add_urgent_commands(app, action);
  add_sync_command(app, action);
  add_status_commands(app, action);
  add_conflict_commands(app, action);
  add_review_commands(app, action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);  // prints help, or the error and a hint
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (!action) return kExitUsage;

  Session session(options, std::cout, std::cerr);
  int status = kExitFailed;
  try {
    status = action(session);
  } catch (const CliError& e) {
    std::cerr << "fieldvisit: " << e.what() << '\n';
    if (options.json) print_error_json(std::cout, e);
    status = e.exit_code();
  } catch (const fieldsync::Error& e) {
    const CliError explained = explain(e, "the command");
    std::cerr << "fieldvisit: " << explained.what() << '\n';
    if (options.json) print_error_json(std::cout, explained);
    status = explained.exit_code();
  } catch (const std::exception& e) {
    const CliError unexpected(std::string("unexpected failure: ") + e.what());
    std::cerr << "fieldvisit: " << unexpected.what() << '\n';
    if (options.json) print_error_json(std::cout, unexpected);
    status = kExitFailed;
  }
  std::cout.flush();
  if (!std::cout) {
    // A reader that went away (`| head`) needs no message; a full disk does.
    if (errno != EPIPE) std::cerr << "fieldvisit: could not write the output\n";
    return kExitFailed;
  }
  return status;
}
