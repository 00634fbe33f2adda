// Volume: a day of offline work on one tablet syncs in batches and arrives whole.
#include <doctest/doctest.h>

#include "client_fixture.h"

namespace fieldsync::client::testing {
namespace {

TEST_CASE("client: 1000 offline ops sync in batches and reach another device whole") {
  World world;
  ClientOptions tuning;
  tuning.push_batch_ops = 300;
  Device a(world, "a.db", 1, tuning);
  Device b(world, "b.db", 2);
  a.login("leader1");
  b.login("leader2");
  a.transport.offline = true;
  std::vector<std::string> cases;
  for (int i = 0; i < 100; ++i)
    cases.push_back(a->create_case(case_fields("case " + std::to_string(i))));
  for (int i = 0; i < 900; ++i)
    a->update_case(cases[static_cast<std::size_t>(i % 100)],
                   {{"notes", {"note " + std::to_string(i)}}});
  CHECK(a->status().pending_ops == 1000);

  a.transport.offline = false;
  const SyncReport report = a->sync();
  CHECK(report.accepted == 1000);
  CHECK(a.transport.delivered_count("/v1/sync/push") == 4);
  CHECK(a->status().pending_ops == 0);
  b->sync();
  CHECK(b->list_cases().cases.size() == 100);
  for (const std::string& id : cases) CHECK(b->find("case", id)->values["notes"].size() == 9);
  CHECK(a->find("case", cases[7])->values == b->find("case", cases[7])->values);
}

}  // namespace
}  // namespace fieldsync::client::testing
