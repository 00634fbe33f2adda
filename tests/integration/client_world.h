#pragma once
// The tablet library against the real fieldsync-server on loopback: Tablets (a Client on a
// replica file of its own, talking through a CurlTransport to 127.0.0.1), a world around an
// ApiWorld, queries of the server's store, and a device-independent picture of a case for
// convergence checks.
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api_world.h"
#include "fieldsync/client/client.h"
#include "fieldsync/client/curl_transport.h"
#include "fieldsync/core/error.h"

namespace fieldsync::testing {

// A second field leader of Unit A (two devices of one unit need two users).
inline const UserSpec kLeaderA2{"leader_a2", "field_leader", "Plant/Unit A"};

// CurlOptions for `base_url` whose retries do not wait (where waiting is not the point) and
// whose timeouts fit a test.
client::CurlOptions quick_curl(const std::string& base_url, int max_attempts = 3);

// One tablet: a replica file, a CurlTransport to the server (or a proxy), a Client.
class Tablet {
 public:
  Tablet(std::filesystem::path file, const std::string& base_url,
         client::ClientOptions tuning = {});

  client::Client* operator->() { return &*client_; }
  client::Client& client() { return *client_; }
  const std::filesystem::path& path() const { return path_; }
  const std::string& device_id() const { return device_id_; }

  // Signs `login` in with the world's user password (once per device: PBKDF2 is slow).
  client::SignedIn login(const std::string& login);
  // Talks to `base_url` from now on, with `max_attempts` tries per exchange.
  void connect(const std::string& base_url, int max_attempts = 3);
  // Closes the replica (as an app that was killed) and opens it again.
  void reopen();
  // Closes the replica and keeps it closed (another process may use it).
  void close() { client_.reset(); }

 private:
  std::filesystem::path path_;
  client::ClientOptions tuning_;
  std::unique_ptr<client::CurlTransport> transport_;
  std::optional<client::Client> client_;
  std::string device_id_;
};

// A served store with the units of ApiWorld and the given users, a temp dir for replicas,
// and read-only queries of the server's store.
class ClientWorld {
 public:
  explicit ClientWorld(const std::vector<UserSpec>& users,
                       std::vector<std::string> serve_args = {});

  ApiWorld& api() { return api_; }
  const std::string& base_url() { return api_.server().base_url(); }
  const std::filesystem::path& files() const { return files_.path(); }

  // A tablet on `<files>/<name>.db`, talking to the server directly.
  Tablet tablet(const std::string& name, client::ClientOptions tuning = {});
  // A signed-in tablet.
  Tablet signed_in(const std::string& name, const std::string& login,
                   client::ClientOptions tuning = {});

  // The result of one integer query on the server's store (read-only connection).
  std::int64_t server_int(const std::string& sql, const std::vector<std::string>& args = {}) const;
  // Ops the server logged from this device, any outcome / one outcome.
  std::int64_t ops_logged(const std::string& device_id) const;
  std::int64_t ops_logged(const std::string& device_id, const std::string& outcome) const;
  // op_log rows of one op id (1 when applied once; never more).
  std::int64_t op_logged(const std::string& op_id) const;
  // Live (not deleted) rows of `entity` on the server whose `column` equals `value`.
  std::int64_t server_rows(const std::string& entity, const std::string& column,
                           const std::string& value) const;

 private:
  ApiWorld api_;
  std::filesystem::path store_;  // the server's data dir
  // Replicas on tmpfs when there is one: every library write is fsynced, which costs seconds
  // on a disk and adds nothing the tests look at (a killed process keeps the page cache).
  TempDir files_{"client", memory_backed_temp_root()};
};

// Fields of a valid new case (the library fills in unit, status and received_at).
nlohmann::json case_fields(const std::string& title);

// A case as a device shows it, without what differs between devices by design (history is
// each device's own outbox): the case row, petitioners, visits with corrections, commitments,
// urgent reports and open conflicts, each with id, unit, version, values and local_changes.
nlohmann::json case_picture(client::Client& client, const std::string& case_id);

// "" when the two pictures are equal, else the first differing JSON pointers.
std::string picture_difference(const nlohmann::json& a, const nlohmann::json& b);

// A process started in the background (stdin /dev/null, stdout and stderr to `log`, the
// environment without FIELDVISIT_* variables); SIGKILLed and reaped on destruction if it still
// runs.
class ChildProcess {
 public:
  ChildProcess(std::vector<std::string> argv, std::filesystem::path log);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The exit status once it ended (128 + N when killed by signal N), else nullopt. Never blocks.
  std::optional<int> poll();
  // SIGKILL unless it already ended, then reaps it; the exit status (137 when the kill ended it).
  int kill_now();
  // What it printed so far.
  std::string output() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::filesystem::path log_;
};

// "<domain>/<code>" of the fieldsync::Error that f() throws, "<none>" when it returns.
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return std::string(to_string(e.domain())) + "/" + e.code();
  }
  return "<none>";
}

// The files of a replica that exist now (the database and its -wal, -shm, -journal).
std::vector<std::string> replica_files(const std::filesystem::path& db);

}  // namespace fieldsync::testing
