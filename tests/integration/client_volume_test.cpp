// A day of offline work on one tablet (1,000 ops) goes up in one sync() and reaches another
// device whole; the server logged each op exactly once.
#include <doctest/doctest.h>

#include "client_world.h"

namespace fieldsync::testing {
namespace {

constexpr int kOps = 1000;

TEST_CASE("client volume: 1,000 offline ops, one sync, every op accepted once, seen elsewhere") {
  ClientWorld world({kLeaderA, kLeaderA2});
  Tablet a = world.signed_in("a", "leader_a");
  Tablet b = world.signed_in("b", "leader_a2");

  // A group from the start (5 people), so no write below changes its kind flags: every op
  // counted is one of the test's own writes.
  nlohmann::json fields = case_fields("Restructuring of the plant");
  fields["headcount"] = 5;
  const std::string id = a->create_case(fields);
  int last_update = 0, visits = 0, petitioners = 0;
  for (int i = 1; i < kOps; ++i) {
    const std::string n = std::to_string(i);
    switch (i % 3) {
      case 0:
        a->update_case(id, {{"summary", "summary " + n}, {"headcount", 5 + i}});
        last_update = i;
        break;
      case 1:
        a->add_visit(id, {{"kind", "home"}, {"notes", "visit " + n}});
        ++visits;
        break;
      default: a->add_petitioner(id, {{"name", "petitioner " + n}}); ++petitioners;
    }
  }
  REQUIRE(a->status().pending_ops == kOps);

  const client::SyncReport report = a->sync();
  CHECK(report.accepted == kOps);
  CHECK(report.rejected == 0);
  CHECK(report.duplicates == 0);
  CHECK(a->status().pending_ops == 0);
  CHECK(world.ops_logged(a.device_id()) == kOps);
  CHECK(world.ops_logged(a.device_id(), "accepted") == kOps);
  CHECK(world.server_rows("visit", "case_id", id) == visits);
  CHECK(world.server_rows("petitioner", "case_id", id) == petitioners);

  b->sync();
  const auto on_a = case_picture(a.client(), id);
  const auto on_b = case_picture(b.client(), id);
  CHECK_MESSAGE(on_a == on_b, "the devices differ:\n" << picture_difference(on_a, on_b));
  CHECK(on_b["visits"].size() == static_cast<std::size_t>(visits));
  CHECK(on_b["petitioners"].size() == static_cast<std::size_t>(petitioners));
  CHECK(on_b["case"]["values"]["summary"] == "summary " + std::to_string(last_update));
  CHECK(on_b["case"]["values"]["headcount"] == 5 + last_update);
  CHECK_FALSE(on_b["case"]["local_changes"].get<bool>());
}

}  // namespace
}  // namespace fieldsync::testing
