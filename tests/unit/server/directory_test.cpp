#include "fieldsync/server/directory.h"

#include <doctest/doctest.h>

#include "auth_fixture.h"

namespace fieldsync::server::testing {
namespace {

using Ids = std::set<std::string, std::less<>>;

// Plant > {Unit A > {Team A1, Team A2}, Unit B > {Team B1}}.
struct TreeFixture : ServerFixture {
  std::string plant = init.root_unit_id;
  std::string unit_a = admin.add_unit("Unit A", "unit", "Plant").id;
  std::string unit_b = admin.add_unit("Unit B", "unit", plant).id;
  std::string team_a1 = admin.add_unit("Team A1", "team", "Plant/Unit A").id;
  std::string team_a2 = admin.add_unit("Team A2", "team", unit_a).id;
  std::string team_b1 = admin.add_unit("Team B1", "team", "Plant/Unit B").id;
  Directory directory{db};
};

TEST_CASE_FIXTURE(TreeFixture, "a unit's subtree is the unit and every unit below it") {
  CHECK(directory.unit_subtree(plant) == Ids{plant, unit_a, unit_b, team_a1, team_a2, team_b1});
  CHECK(directory.unit_subtree(unit_a) == Ids{unit_a, team_a1, team_a2});
  CHECK(directory.unit_subtree(unit_b) == Ids{unit_b, team_b1});
  CHECK(directory.unit_subtree(team_a1) == Ids{team_a1});
  CHECK(directory.unit_subtree(make_uuid_from_name("no such unit")).empty());
}

TEST_CASE_FIXTURE(TreeFixture, "a parent_id cycle does not make the subtree loop") {
  db.exec("UPDATE entity_unit SET parent_id = '" + team_a1 + "' WHERE id = '" + unit_a + "'");
  CHECK(directory.unit_subtree(unit_a) == Ids{unit_a, team_a1, team_a2});
}

TEST_CASE_FIXTURE(TreeFixture, "units are read with their name, kind and parent") {
  CHECK(directory.unit(team_a1) == UnitRecord{team_a1, "Team A1", "team", unit_a});
  CHECK(directory.unit(plant) == UnitRecord{plant, "Plant", "plant", ""});
  CHECK(directory.units().size() == 6);
  CHECK_FALSE(directory.unit(make_uuid_from_name("nothing")));
}

TEST_CASE_FIXTURE(TreeFixture, "users are found by login and by id, devices by id") {
  const UserRecord added = add_user("wang", "Plant/Unit A/Team A1", "unit_reviewer");
  const UserRecord expected{added.id, "wang", "Leader wang", "unit_reviewer", team_a1, false};
  CHECK(directory.user_by_login("wang") == expected);
  CHECK(directory.user_by_id(added.id) == expected);
  CHECK_FALSE(directory.user_by_login("nobody"));
  CHECK(directory.user_by_login("admin")->role == "admin");

  login("wang", "w1");
  const std::optional<DeviceRecord> device = directory.device(device_id("w1"));
  REQUIRE(device);
  CHECK(device->user_id == added.id);
  CHECK(device->unit_id == team_a1);
  CHECK(device->name == "tablet w1");
  CHECK_FALSE(device->revoked);
  CHECK(directory.devices().size() == 1);
  CHECK_FALSE(directory.device(device_id("never seen")));
}

TEST_CASE_FIXTURE(TreeFixture, "tombstoned rows are not seen") {
  db.exec("UPDATE entity_unit SET deleted = 1 WHERE id = '" + team_a2 + "'");
  CHECK(directory.unit_subtree(unit_a) == Ids{unit_a, team_a1});
  CHECK_FALSE(directory.unit(team_a2));
}

}  // namespace
}  // namespace fieldsync::server::testing
