#include "fieldsync/server/admin.h"

#include <doctest/doctest.h>

#include "auth_fixture.h"
#include "fieldsync/server/server_identity.h"

namespace fieldsync::server::testing {
namespace {

// The admin call `f` must throw `code`, and leave every table as it was.
template <typename F>
void check_refused_unchanged(ServerFixture& f, const std::string& code, F&& call) {
  const std::string before = f.dump();
  CHECK(error_code(call) == code);
  CHECK(f.dump() == before);
}

TEST_CASE("init creates the store, a root unit and an admin who can sign in") {
  ServerFixture f;
  CHECK(std::filesystem::exists(store_path(f.data)));
  CHECK(f.init.store == store_path(f.data));
  CHECK(f.admin.directory().unit(f.init.root_unit_id) ==
        UnitRecord{f.init.root_unit_id, "Plant", "plant", ""});
  const std::optional<UserRecord> admin = f.admin.directory().user_by_login("admin");
  REQUIRE(admin);
  CHECK(admin->id == f.init.admin_user_id);
  CHECK(admin->role == "admin");
  CHECK(admin->unit_id == f.init.root_unit_id);
  CHECK(f.auth.login({"admin", kAdminPassword, device_id("office"), "office pc"}, f.clock.now_ms())
            .role == "admin");
  // The data directory and the store are private to the server's user.
  using std::filesystem::perms;
  CHECK((std::filesystem::status(f.data).permissions() & (perms::group_all | perms::others_all)) ==
        perms::none);
  CHECK((std::filesystem::status(store_path(f.data)).permissions() &
         (perms::group_all | perms::others_all)) == perms::none);
}

TEST_CASE("the server's store is opened durably: WAL, and FULL sync on every commit") {
  ServerFixture f;
  sqlite::Database db = sqlite::Database::open(store_path(f.data), store_options());
  sqlite::Statement journal = db.prepare("PRAGMA journal_mode");
  REQUIRE(journal.step());
  CHECK(journal.column_text(0) == "wal");
  sqlite::Statement sync = db.prepare("PRAGMA synchronous");
  REQUIRE(sync.step());
  CHECK(sync.column_int64(0) == 2);  // FULL
}

TEST_CASE("init takes the root unit's name and kind") {
  TempDir dir;
  FakeClock clock(kStartMs);
  SeededRandom random(7);
  InitOptions options = fast_init();
  options.unit_name = "Bureau";
  options.unit_kind = "bureau";
  const InitResult result = init_store(dir.path(), "pw", options, clock, random);
  Admin admin(dir.path(), clock, random, kFastIterations);
  CHECK(admin.directory().unit(result.root_unit_id)->kind == "bureau");
  CHECK(admin.resolve_unit("Bureau").id == result.root_unit_id);
}

TEST_CASE("init on an initialised data directory is refused and changes nothing") {
  ServerFixture f;
  const std::string before = f.dump();
  const std::string file_before = file_bytes(store_path(f.data));
  CHECK(error_code([&] { init_store(f.data, "another", fast_init(), f.clock, f.random); }) ==
        "already_initialised");
  CHECK(f.dump() == before);
  CHECK(file_bytes(store_path(f.data)) == file_before);
}

TEST_CASE("init refuses bad input before creating anything") {
  TempDir dir;
  FakeClock clock(kStartMs);
  SeededRandom random(8);
  CHECK(error_code([&] { init_store(dir.path() / "a", "", fast_init(), clock, random); }) ==
        "empty_password");
  InitOptions team = fast_init();
  team.unit_kind = "team";
  CHECK(error_code([&] { init_store(dir.path() / "b", "pw", team, clock, random); }) ==
        "invalid_kind");
  CHECK(std::filesystem::is_empty(dir.path()));
}

TEST_CASE("an init that fails after creating the store leaves no store behind") {
  TempDir dir;
  FakeClock clock(kStartMs);
  SeededRandom random(10);
  InitOptions broken = fast_init();
  broken.password_iterations = 0;  // hashing fails once the store file exists
  CHECK(error_code([&] { init_store(dir.path(), "pw", broken, clock, random); }) ==
        "bad_iterations");
  CHECK_FALSE(std::filesystem::exists(store_path(dir.path())));
  CHECK(init_store(dir.path(), "pw", fast_init(), clock, random).store == store_path(dir.path()));
}

TEST_CASE("admin commands need an initialised data directory") {
  TempDir dir;
  FakeClock clock(kStartMs);
  SeededRandom random(9);
  CHECK(error_code([&] { Admin admin(dir.path(), clock, random); }) == "not_initialised");
  CHECK(std::filesystem::is_empty(dir.path()));
}

TEST_CASE_FIXTURE(ServerFixture, "units are added under a parent given by id or name path") {
  const UnitRecord a = admin.add_unit("Unit A", "unit", init.root_unit_id);
  const UnitRecord a1 = admin.add_unit("Team A1", "team", "Plant/Unit A");
  const UnitRecord b = admin.add_unit("Unit B", "unit", "/Plant/");
  CHECK(a.parent_id == init.root_unit_id);
  CHECK(a1.parent_id == a.id);
  CHECK(b.parent_id == init.root_unit_id);
  CHECK(admin.resolve_unit("Plant/Unit A/Team A1").id == a1.id);
  CHECK(admin.resolve_unit(a1.id).id == a1.id);

  const std::vector<UnitTreeEntry> tree = admin.unit_tree();
  REQUIRE(tree.size() == 4);
  CHECK(tree[0].unit.name == "Plant");
  CHECK(tree[0].depth == 0);
  CHECK(tree[1].unit.name == "Unit A");
  CHECK(tree[1].depth == 1);
  CHECK(tree[2].unit.name == "Team A1");
  CHECK(tree[2].depth == 2);
  CHECK(tree[3].unit.name == "Unit B");
  CHECK(tree[3].depth == 1);
}

TEST_CASE_FIXTURE(ServerFixture, "admin changes are server ops: logged, versioned, indexed") {
  const UnitRecord a = admin.add_unit("Unit A", "unit", "Plant");
  const UserRecord wang = add_user("wang", "Plant/Unit A");
  for (const std::string& id : {a.id, wang.id}) {
    CAPTURE(id);
    CHECK(query_text(db, "SELECT device_id FROM op_log WHERE row_id = '" + id + "'") ==
          server_device_id());
    CHECK(query_text(db, "SELECT user_id FROM op_log WHERE row_id = '" + id + "'") ==
          system_user_id());
    CHECK(query_int(db, "SELECT COUNT(*) FROM change_index WHERE row_id = '" + id + "'") == 1);
  }
  CHECK(query_int(db, "SELECT COUNT(*) FROM op_log WHERE outcome <> 'accepted'") == 0);
  const std::int64_t before = query_int(db, "SELECT version FROM entity_user WHERE login = 'wang'");
  admin.disable_user("wang");
  CHECK(query_int(db, "SELECT version FROM entity_user WHERE login = 'wang'") > before);
  CHECK(query_int(db, "SELECT disabled FROM entity_user WHERE login = 'wang'") == 1);
}

TEST_CASE_FIXTURE(ServerFixture, "refused unit additions change nothing") {
  admin.add_unit("Unit A", "unit", "Plant");
  check_refused_unchanged(*this, "unit_exists", [&] { admin.add_unit("Unit A", "unit", "Plant"); });
  check_refused_unchanged(*this, "invalid_kind", [&] { admin.add_unit("X", "village", "Plant"); });
  check_refused_unchanged(*this, "invalid_name", [&] { admin.add_unit("", "team", "Plant"); });
  check_refused_unchanged(*this, "invalid_name", [&] { admin.add_unit("A/B", "team", "Plant"); });
  check_refused_unchanged(*this, "unknown_unit",
                          [&] { admin.add_unit("X", "team", "Plant/Unit Z"); });
  check_refused_unchanged(*this, "unknown_unit",
                          [&] { admin.add_unit("X", "team", make_uuid_from_name("gone")); });
}

TEST_CASE_FIXTURE(ServerFixture, "a user for a unit that does not exist is refused clearly") {
  const std::string before = dump();
  const auto e = thrown_error([&] {
    admin.add_user({"wang", "Wang", "field_leader", "Plant/Unit 9"}, "pw");
  });
  REQUIRE(e);
  CHECK(e->code() == "unknown_unit");
  CHECK(e->domain() == ErrorDomain::validation);
  CHECK(e->message().find("Plant/Unit 9") != std::string::npos);
  CHECK(dump() == before);
}

TEST_CASE_FIXTURE(ServerFixture, "refused user changes change nothing") {
  add_user("wang", "Plant");
  check_refused_unchanged(*this, "login_taken", [&] { add_user("wang", "Plant"); });
  check_refused_unchanged(*this, "login_taken", [&] { add_user("admin", "Plant"); });
  check_refused_unchanged(*this, "invalid_role", [&] { add_user("li", "Plant", "boss"); });
  check_refused_unchanged(*this, "empty_password", [&] {
    admin.add_user({"li", "Li", "field_leader", "Plant"}, "");
  });
  check_refused_unchanged(*this, "invalid_name", [&] {
    admin.add_user({"", "Li", "field_leader", "Plant"}, "pw");
  });
  check_refused_unchanged(*this, "invalid_name", [&] {
    admin.add_user({std::string(65, 'x'), "Li", "field_leader", "Plant"}, "pw");
  });
  check_refused_unchanged(*this, "unknown_user", [&] { admin.disable_user("nobody"); });
  check_refused_unchanged(*this, "unknown_user", [&] { admin.reset_password("nobody", "pw"); });
  check_refused_unchanged(*this, "empty_password", [&] { admin.reset_password("wang", ""); });
  check_refused_unchanged(*this, "unknown_device",
                          [&] { admin.revoke_device(device_id("never enrolled")); });
}

TEST_CASE_FIXTURE(ServerFixture, "disabling or revoking twice changes nothing the second time") {
  add_user("wang", "Plant");
  login("wang", "w1");
  admin.disable_user("wang");
  admin.revoke_device(device_id("w1"));
  const std::string before = dump();
  admin.disable_user("wang");
  admin.revoke_device(device_id("w1"));
  CHECK(dump() == before);
}

TEST_CASE_FIXTURE(ServerFixture, "a password reset takes effect and signs the user's devices out") {
  add_user("wang", "Plant");
  const LoginResult before = login("wang", "w1");
  for (int i = 0; i < 5; ++i) CHECK(login_error("wang", "w1", "wrong") == "bad_credentials");
  admin.reset_password("wang", "new-secret");
  CHECK(auth_error(before.token) == "token_invalid");     // sign in again, no wipe
  CHECK(login_error("wang", "w1") == "bad_credentials");  // the old password; not throttled
  CHECK(login("wang", "w1", "new-secret").user_id == before.user_id);
}

TEST_CASE_FIXTURE(ServerFixture, "devices are listed with their user and unit") {
  admin.add_unit("Unit A", "unit", "Plant");
  add_user("wang", "Plant/Unit A");
  login("wang", "w1");
  login("admin", "office", kAdminPassword);
  admin.revoke_device(device_id("office"));
  const std::vector<DeviceListing> devices = admin.list_devices();
  REQUIRE(devices.size() == 2);
  for (const DeviceListing& d : devices) {
    if (d.device.id == device_id("w1")) {
      CHECK(d.user_login == "wang");
      CHECK(d.unit_name == "Unit A");
      CHECK(d.device.name == "tablet w1");
      CHECK_FALSE(d.device.revoked);
      CHECK(d.device.last_seen_at == "2026-05-28T20:26:40.000Z");
    } else {
      CHECK(d.device.id == device_id("office"));
      CHECK(d.user_login == "admin");
      CHECK(d.device.revoked);
    }
  }
}

}  // namespace
}  // namespace fieldsync::server::testing
