#pragma once
// A server data directory on real SQLite files for the auth and admin tests: initialised with
// a root unit "Plant" and an admin, a fake clock, seeded randomness and a fast password cost.
#include <fstream>
#include <iterator>
#include <string>

#include "../core/fakes.h"
#include "../sqlite/store_fixture.h"
#include "../sqlite/test_support.h"
#include "fieldsync/core/uuid.h"
#include "fieldsync/server/admin.h"
#include "fieldsync/server/auth.h"

namespace fieldsync::server::testing {

using fieldsync::sqlite::testing::dump_database;
using fieldsync::sqlite::testing::query_int;
using fieldsync::sqlite::testing::query_text;
using fieldsync::sqlite::testing::TempDir;
using fieldsync::sqlite::testing::thrown_error;
using fieldsync::testing::FakeClock;
using fieldsync::testing::SeededRandom;

// Low so the tests stay fast; production uses kDefaultPasswordIterations.
inline constexpr int kFastIterations = 1000;
inline constexpr std::int64_t kStartMs = 1'780'000'000'000;  // 2026-05-28
inline constexpr std::int64_t kMinute = 60'000;
inline const std::string kAdminPassword = "plant-admin-secret";

inline AuthPolicy fast_policy() {
  AuthPolicy policy;
  policy.password_iterations = kFastIterations;
  return policy;
}

inline InitOptions fast_init() {
  InitOptions options;
  options.password_iterations = kFastIterations;
  return options;
}

// A fixed device id per name, as a tablet would make once.
inline std::string device_id(const std::string& name) {
  return make_uuid_from_name("test-device/" + name);
}

// The code of the fieldsync::Error `f` throws, or "<none>".
template <typename F>
std::string error_code(F&& f) {
  auto e = thrown_error(std::forward<F>(f));
  return e ? e->code() : "<none>";
}

inline std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// An initialised data directory, an Admin over it and an Authenticator on its own
// connection (as `serve` and an admin command would have).
struct ServerFixture {
  TempDir dir;
  std::filesystem::path data = dir.path() / "data";
  FakeClock clock{kStartMs};
  SeededRandom random{20261126};
  InitResult init = init_store(data, kAdminPassword, fast_init(), clock, random);
  Admin admin{data, clock, random, kFastIterations};
  sqlite::Database db = sqlite::open_store(store_path(data), embedded_model());
  Authenticator auth{db, embedded_model(), random, fast_policy()};

  // Adds a user with password "pw-<login>" in the unit named by `unit` (id or path).
  UserRecord add_user(const std::string& login, const std::string& unit,
                      const std::string& role = "field_leader") {
    return admin.add_user({login, "Leader " + login, role, unit}, "pw-" + login);
  }

  LoginResult login(const std::string& login, const std::string& device,
                    const std::string& password = "") {
    return auth.login(
        {login, password.empty() ? "pw-" + login : password, device_id(device), "tablet " + device},
        clock.now_ms());
  }

  std::string login_error(const std::string& login, const std::string& device,
                          const std::string& password = "") {
    return error_code([&] { this->login(login, device, password); });
  }

  std::string auth_error(const std::string& token) {
    return error_code([&] { auth.authenticate(token, clock.now_ms()); });
  }

  std::string dump() { return dump_database(db); }
};

}  // namespace fieldsync::server::testing
