// A device the office revokes while the server runs wipes its replica at its next sync.
#include <doctest/doctest.h>

#include "client_world.h"

namespace fieldsync::testing {
namespace {

TEST_CASE("client wipe: a device revoked while serving deletes its database, WAL and journal") {
  ClientWorld world({kLeaderA});
  Tablet a = world.signed_in("a", "leader_a");
  const std::string id = a->create_case(case_fields("Housing allocation"));
  a->sync();
  a->update_case(id, {{"summary", "written after the revocation"}});
  REQUIRE_FALSE(replica_files(a.path()).empty());

  world.api().admin({"device", "revoke", "--id", a.device_id()});
  try {
    a->sync();
    FAIL("sync went through on a revoked device");
  } catch (const Error& e) {
    CHECK(e.domain() == ErrorDomain::client);
    CHECK(e.code() == "wiped");
    CHECK(e.message().find("device_revoked") != std::string::npos);
  }
  CHECK(replica_files(a.path()).empty());
  CHECK(error_of([&] { a->status(); }) == "client/wiped");
  CHECK(error_of([&] { a->sync(); }) == "client/wiped");
  CHECK(error_of([&] { a->create_case(case_fields("after the wipe")); }) == "client/wiped");
  CHECK(replica_files(a.path()).empty());
}

}  // namespace
}  // namespace fieldsync::testing
