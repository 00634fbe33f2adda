// Sign-in and what the server says about the device: expired tokens cost nothing, a revoked
// device or disabled user wipes the local data.
#include <fstream>

#include <doctest/doctest.h>

#include "client_fixture.h"

namespace fieldsync::client::testing {
namespace {

bool exists(const std::filesystem::path& path, const char* suffix) {
  return std::filesystem::exists(path.string() + suffix);
}

TEST_CASE("client: sign-in stores the session; bad credentials store nothing") {
  World world;
  Device a(world, "a.db", 1);
  CHECK(error_of([&] { a->login("leader1", "wrong"); }) == "auth/bad_credentials");
  CHECK_FALSE(a->status().signed_in);
  CHECK(a->status().last_error->code == "bad_credentials");
  const SignedIn session = a.login("leader1");
  CHECK(session.user_id == world.leader1.id);
  CHECK(session.unit_id == world.unit1.id);
  CHECK(session.role == "field_leader");
  CHECK(a->status().signed_in);
  CHECK_FALSE(a->status().last_error);
  a.transport.offline = true;
  CHECK(error_of([&] { a.login("leader1"); }) == "transport/unreachable");
}

TEST_CASE("client: a revoked device deletes its database files and says so") {
  World world;
  Device a(world, "a.db", 1);
  a.login("leader1");
  const std::string id = a->create_case(case_fields("Abnormal petition"));
  a->add_petitioner(id, {{"name", "Zhao"}, {"phone", "13800000000"}});
  a->sync();
  a->update_case(id, {{"summary", "personal details"}});
  // Another reader keeps -wal and -shm from being cleaned up when the Client closes, and a
  // crash long ago left a -journal: the wipe must remove them itself.
  sqlite::Database reader = sqlite::Database::open(a.path, {.read_only = true});
  sqlite::testing::query_int(reader, "SELECT COUNT(*) FROM entity_case");
  std::ofstream(a.path.string() + "-journal").put('\0');
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) CHECK(exists(a.path, suffix));

  world.admin.revoke_device(a->device_id());
  auto e = thrown_error([&] { a->sync(); });
  REQUIRE(e);
  CHECK(e->domain() == ErrorDomain::client);
  CHECK(e->code() == "wiped");
  CHECK(e->message().find("device_revoked") != std::string::npos);
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    CAPTURE(suffix);
    CHECK_FALSE(exists(a.path, suffix));
  }
  CHECK(error_of([&] { a->status(); }) == "client/wiped");
  CHECK(error_of([&] { a->list_cases(); }) == "client/wiped");
  CHECK(error_of([&] { a->create_case(case_fields("after")); }) == "client/wiped");
  CHECK(error_of([&] { a->sync(); }) == "client/wiped");
  CHECK_FALSE(exists(a.path, ""));
}

TEST_CASE("client: a disabled user's device wipes at sign-in as well as at sync") {
  World world;
  Device a(world, "a.db", 1);
  Device b(world, "b.db", 2);
  a.login("leader2");
  b.login("leader2");
  world.admin.disable_user("leader2");
  CHECK(error_of([&] { a->sync(); }) == "client/wiped");
  CHECK_FALSE(exists(a.path, ""));
  CHECK(error_of([&] { b.login("leader2"); }) == "client/wiped");
  CHECK_FALSE(exists(b.path, ""));
}

TEST_CASE("client: an expired token asks for sign-in again and loses nothing") {
  World world;
  Device a(world, "a.db", 1);
  a.login("leader1");
  const std::string id = a->create_case(case_fields("Medical insurance"));
  world.server_clock.advance(31 * kDay);
  CHECK(error_of([&] { a->sync(); }) == "auth/token_expired");
  SyncStatus s = a->status();
  CHECK(s.pending_ops == 1);
  CHECK_FALSE(s.signed_in);
  CHECK(s.last_error->domain == "auth");
  CHECK(s.last_error->code == "token_expired");
  CHECK(a->find("case", id));
  a->update_case(id, {{"summary", "written while signed out"}});  // writes keep working
  CHECK(error_of([&] { a->sync(); }) == "auth/not_signed_in");

  a.login("leader1");
  CHECK(a->sync().accepted == 2);
  CHECK(a->status().pending_ops == 0);
  CHECK(exists(a.path, ""));
}

}  // namespace
}  // namespace fieldsync::client::testing
