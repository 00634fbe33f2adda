// `fieldvisit login`: signs a user in on this device and remembers the server.
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "fieldvisit/cli.h"
#include "fieldvisit/format.h"

namespace fieldsync::fieldvisit {
namespace {

constexpr const char* kPasswordVar = "FIELDVISIT_PASSWORD";

// What `login` was given.
struct LoginOptions {
  std::string server;
  std::string user;
  std::string device_name = client::kDefaultDeviceName;
  std::string ca_file;
  bool insecure = false;
};

// Turns terminal echo off for its lifetime (the typed newline is still echoed).
class EchoOff {
 public:
  EchoOff() {
    if (tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    active_ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  ~EchoOff() {
    if (active_) tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

// The password from FIELDVISIT_PASSWORD, else asked for on the terminal without echo.
std::string read_password(const std::string& user, std::ostream& err) {
  if (const char* value = std::getenv(kPasswordVar)) {
    if (*value == '\0')
      throw CliError(std::string(kPasswordVar) + " is empty; set it to the password", kExitUsage,
                     "no_password");
    return value;
  }
  if (!isatty(STDIN_FILENO))
    throw CliError(std::string("no password: set ") + kPasswordVar + " or run on a terminal",
                   kExitUsage, "no_password");
  err << "Password for " << user << ": " << std::flush;
  std::string line;
  {
    EchoOff quiet;
    if (!std::getline(std::cin, line))
      throw CliError("no password was entered", kExitUsage, "no_password");
  }
  if (line.empty()) throw CliError("an empty password is refused", kExitUsage, "no_password");
  return line;
}

// Overwrites the password before its memory is freed.
void scrub(std::string& secret) {
  volatile char* p = secret.data();
  for (std::size_t i = 0; i < secret.size(); ++i) p[i] = '\0';
}

int run_login(Session& session, const LoginOptions& o) {
  ServerSettings settings{o.server, o.ca_file, o.insecure};
  while (!settings.url.empty() && settings.url.back() == '/') settings.url.pop_back();
  std::string password = read_password(o.user, session.err());
  client::Client& client = session.open_or_create();
  session.connect(settings);
  client::SignedIn signed_in;
  try {
    signed_in = client.login(o.user, password, o.device_name);
    scrub(password);
  } catch (const Error& e) {
    scrub(password);
    if (e.domain() == ErrorDomain::auth && e.code() == "bad_credentials")
      throw CliError("wrong user name or password: " + settings.url + " did not accept '" + o.user +
                         "' with that password; check both and sign in again (several "
                         "failures in a row lock sign-in for a while)",
                     kExitFailed, e.code());
    throw explain(e, "login", settings.url);
  }
  client.set_server_url(encode_server_settings(settings));

  if (session.json()) {
    print_json(session.out(), {{"user", o.user},
                               {"user_id", signed_in.user_id},
                               {"unit_id", signed_in.unit_id},
                               {"role", signed_in.role},
                               {"expires_at", signed_in.expires_at},
                               {"device_id", client.device_id()},
                               {"device_name", o.device_name},
                               {"server", settings.url}});
    return kExitOk;
  }
  std::ostream& out = session.out();
  out << "Signed in as " << o.user << " (" << signed_in.role << ") on " << settings.url << ".\n";
  print_fields(out, {{"device", client.device_id() + " (" + o.device_name + ")"},
                     {"user id", signed_in.user_id},
                     {"unit", show_unit(client, signed_in.unit_id)},
                     {"valid until", show_time(signed_in.expires_at)}});
  out << "Next: `fieldvisit sync` brings the cases of your units to this device.\n";
  return kExitOk;
}

}  // namespace

void add_login_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<LoginOptions>();
  auto* login = app.add_subcommand(
      "login", "Sign in on this device (creates the device database) and remember the server");
  login->add_option("--server", o->server, "The server, e.g. http://127.0.0.1:8080")
      ->required()
      ->type_name("URL");
  login->add_option("--user", o->user, "Your user name")->required()->type_name("NAME");
  login->add_option("--device-name", o->device_name, "What to call this device on the server")
      ->capture_default_str()
      ->type_name("NAME");
  login
      ->add_option("--ca-file", o->ca_file,
                   "PEM file of the CA that signed the server's "
                   "certificate (kept for later syncs)")
      ->check(CLI::ExistingFile)
      ->type_name("FILE");
  login->add_flag("--insecure", o->insecure,
                  "Do not verify the server's TLS certificate (tests only; kept for later syncs)");
  login->footer(
      "The password is read from FIELDVISIT_PASSWORD, else asked for on the terminal (not "
      "echoed); it is never printed or stored. Later commands use the server given here.");
  login->callback([o, &action] { action = [o](Session& s) { return run_login(s, *o); }; });
}

}  // namespace fieldsync::fieldvisit
