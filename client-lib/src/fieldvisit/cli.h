#pragma once
// What every fieldvisit command shares: exit codes, the error a person can act on, the session
// (global options, the replica opened on demand, the transport built from the stored server
// URL) and the registration functions of the command groups.
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>

#include "fieldsync/client/client.h"
#include "fieldsync/client/curl_transport.h"
#include "fieldsync/core/model.h"

namespace fieldsync::fieldvisit {

// Exit codes, the same for every command (documented in the top-level --help).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;     // a failure the user can act on (message on stderr)
inline constexpr int kExitUsage = 2;      // the command line itself is wrong
inline constexpr int kExitAttention = 3;  // sync completed, but a person must look at something

// A failure with a message that names the problem and what to do about it.
class CliError : public std::runtime_error {
 public:
  explicit CliError(const std::string& message, int exit_code = kExitFailed,
                    std::string code = "failed")
      : std::runtime_error(message), exit_code_(exit_code), code_(std::move(code)) {}
  int exit_code() const { return exit_code_; }
  const std::string& code() const { return code_; }

 private:
  int exit_code_;
  std::string code_;
};

// The options given before (or after) the command.
struct GlobalOptions {
  std::string db;
  bool json = false;
};

// Where the replica says the server is, and how to talk to it (kept across runs).
struct ServerSettings {
  std::string url;  // "http://127.0.0.1:8080"
  std::string ca_file;
  bool insecure = false;
};

// Encodes settings into the single string the replica keeps (the URL, plus a fragment carrying
// the TLS options, which is never sent over the wire) and back.
std::string encode_server_settings(const ServerSettings& settings);
ServerSettings decode_server_settings(const std::string& stored);

class IdResolver;

// One run of fieldvisit: the global options, the replica (opened on first use) and helpers
// the commands share. Output goes to `out`, messages to `err`.
class Session {
 public:
  Session(const GlobalOptions& options, std::ostream& out, std::ostream& err);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  bool json() const { return options_.json; }
  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }

  // The replica at --db. Throws CliError when the file does not exist (never signed in here,
  // or wiped): only `login` creates it, through open_or_create().
  client::Client& client();
  client::Client& open_or_create();
  // client(), and a user must have signed in on it once.
  client::Client& signed_in_client();

  // The server settings stored by login; throws CliError when there are none.
  ServerSettings server() const;
  // A transport to the stored server, installed on the client. `cancelled` is polled during
  // transfers.
  void connect(const ServerSettings& settings, std::function<bool()> cancelled = {});

  const Model& model() const;
  IdResolver& ids();
  // The signed-in user's id ("" before the first sign-in), read once per run.
  const std::string& user_id();

 private:
  const GlobalOptions& options_;
  std::ostream& out_;
  std::ostream& err_;
  std::optional<client::Client> client_;
  std::unique_ptr<client::CurlTransport> transport_;
  std::unique_ptr<IdResolver> ids_;
  std::optional<std::string> user_id_;
};

// What a parsed command will do; main() runs it after parsing.
using Action = std::function<int(Session&)>;

// Each command group adds its subcommands to `app`; when one is parsed it stores its work in
// `action`. REQUIRES: `action` outlives `app`.
void add_login_command(CLI::App& app, Action& action);
void add_case_commands(CLI::App& app, Action& action);
void add_visit_commands(CLI::App& app, Action& action);
void add_commitment_commands(CLI::App& app, Action& action);
void add_urgent_commands(CLI::App& app, Action& action);
void add_sync_command(CLI::App& app, Action& action);
void add_status_commands(CLI::App& app, Action& action);
void add_conflict_commands(CLI::App& app, Action& action);
void add_review_commands(CLI::App& app, Action& action);

// Turns a library error into the message a person can act on, for the command `doing`
// ("sync", "login", ...). `server` names the server when one is involved.
CliError explain(const Error& error, const std::string& doing, const std::string& server = {});

}  // namespace fieldsync::fieldvisit
