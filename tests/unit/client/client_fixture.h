#pragma once
// A server in-process (a data directory on real SQLite files, a ServerApp driven through
// RouterTransport) and tablets (Clients on their own files with their own fake clocks), for
// the client library's tests.
//
// The organisation: Plant > Unit 1, Unit 2. leader1 and leader2 are field leaders of Unit 1,
// reviewer is the unit reviewer of Unit 1, leader3 a field leader of Unit 2, office the
// central office at the plant. Passwords are "pw-<login>".
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "../core/fakes.h"
#include "../sqlite/temp_dir.h"
#include "../sqlite/test_support.h"
#include "fieldsync/client/client.h"
#include "fieldsync/server/admin.h"
#include "fieldsync/server/server_app.h"
#include "router_transport.h"

namespace fieldsync::client::testing {

using fieldsync::sqlite::testing::TempDir;
using fieldsync::sqlite::testing::thrown_error;
using fieldsync::testing::FakeClock;
using fieldsync::testing::SeededRandom;

inline constexpr int kFastIterations = 1000;
inline constexpr std::int64_t kStartMs = 1'780'000'000'000;  // 2026-05-28
inline constexpr std::int64_t kMinute = 60'000;
inline constexpr std::int64_t kDay = 24 * 60 * kMinute;

// "<domain>/<code>" of the fieldsync::Error `f` throws, or "<none>".
template <typename F>
std::string error_of(F&& f) {
  auto e = thrown_error(std::forward<F>(f));
  return e ? std::string(to_string(e->domain())) + "/" + e->code() : "<none>";
}

inline server::InitOptions fast_init() {
  server::InitOptions options;
  options.password_iterations = kFastIterations;
  return options;
}

inline server::AuthPolicy fast_policy() {
  server::AuthPolicy policy;
  policy.password_iterations = kFastIterations;
  return policy;
}

struct World {
  TempDir dir;
  std::filesystem::path data = dir.path() / "server";
  FakeClock server_clock{kStartMs};
  SeededRandom server_random{20261126};
  server::InitResult init =
      server::init_store(data, "admin-pw", fast_init(), server_clock, server_random);
  server::Admin admin{data, server_clock, server_random, kFastIterations};
  server::UnitRecord unit1 = admin.add_unit("Unit 1", "unit", "Plant");
  server::UnitRecord unit2 = admin.add_unit("Unit 2", "unit", "Plant");
  server::UserRecord leader1 = add_user("leader1", "Plant/Unit 1", "field_leader");
  server::UserRecord leader2 = add_user("leader2", "Plant/Unit 1", "field_leader");
  server::UserRecord reviewer = add_user("reviewer", "Plant/Unit 1", "unit_reviewer");
  server::UserRecord leader3 = add_user("leader3", "Plant/Unit 2", "field_leader");
  server::UserRecord office = add_user("office", "Plant", "central_office");
  server::ServerApp app{data, server_clock, server_random, fast_policy()};

  server::UserRecord add_user(const std::string& login, const std::string& unit,
                              const std::string& role) {
    return admin.add_user({login, "User " + login, role, unit}, "pw-" + login);
  }

  // How many times the server logged the op (it must be exactly once, whatever was resent).
  std::int64_t logged(const std::string& op_id) {
    sqlite::Statement st = admin.database().prepare("SELECT COUNT(*) FROM op_log WHERE op_id = ?1");
    st.bind(1, op_id);
    st.step();
    return st.column_int64(0);
  }
};

// One tablet: its own file, clock, randomness and link to the world's server.
struct Device {
  Device(World& in, const std::string& file_name, std::uint64_t seed, ClientOptions options = {})
      : world(in),
        path(in.dir.path() / file_name),
        clock(kStartMs),
        random(seed),
        transport(in.app.handler()),
        tuning(options) {
    open();
  }

  void open() {
    ClientOptions options = tuning;
    options.clock = &clock;
    options.random = &random;
    options.transport = &transport;
    client.emplace(Client::open(path, options));
  }
  // Closes the Client (as the app being killed would) and opens it again.
  void reopen() {
    client.reset();
    open();
  }
  Client* operator->() { return &*client; }

  // Signs in as `login` (password "pw-<login>").
  SignedIn login(const std::string& login) { return client->login(login, "pw-" + login); }

  World& world;
  std::filesystem::path path;
  FakeClock clock;
  SeededRandom random;
  RouterTransport transport;
  ClientOptions tuning;
  std::optional<Client> client;
};

// Fields of a valid new case (the helper fills in unit, status and received_at).
inline Json case_fields(const std::string& title) {
  return {{"title", title}, {"channel", "home_visit"}};
}

}  // namespace fieldsync::client::testing
