// The office's kind flags (server/src/office_flags.h): recomputed after each push batch from
// everything the server holds, written as server ops only when they change.
#include <doctest/doctest.h>

#include "fieldsync/server/server_identity.h"
#include "sync_fixture.h"

namespace fieldsync::server::testing {
namespace {

const std::string kEarly = test_id("case-early");
const std::string kLate = test_id("case-late");

Op case_on(SyncFixture& f, const Access& who, const std::string& id, const std::string& unit,
           const char* received_at, const char* subject) {
  Op o = f.new_case(who, id, unit);
  o.fields["received_at"] = received_at;
  o.fields["subjects"] = {{"add", {subject}}};
  return o;
}

Op petitioner(SyncFixture& f, const Access& who, const std::string& case_id,
              const std::string& name, Json more) {
  Json fields = {{"case_id", case_id}, {"name", name}};
  fields.update(more);
  return f.op(who, OpKind::create, "petitioner", test_id("p-" + case_id + name), fields);
}

Json values_of(SyncFixture& f, const std::string& id) {
  return sqlite::RowStore(f.db, real_model()).find("case", id).value().values;
}

std::int64_t server_ops(SyncFixture& f) {
  sqlite::Statement st = f.db.prepare("SELECT COUNT(*) FROM op_log WHERE device_id = ?1");
  st.bind(1, server_device_id());
  st.step();
  return st.column_int64(0);
}

void require_accepted(const Json& answer) {
  for (const Json& r : answer["results"]) {
    INFO(r.dump());
    REQUIRE(r["status"] == "accepted");
  }
}

TEST_CASE("office flags: a repeat across units is found by the server, not by the tablet") {
  SyncFixture f;
  require_accepted(
      f.push(f.leader_a(),
             {case_on(f, f.leader_a(), kEarly, kUnitA, "2026-03-01T08:00:00Z", "retiree_allowance"),
              petitioner(f, f.leader_a(), kEarly, "张伟", {{"id_number", "11010519491231002X"}})}));
  CHECK(values_of(f, kEarly)["office_kind_flags"] == Json{"first_time"});

  // Unit B's tablet cannot see unit A's case; the server matches the ID number plant-wide.
  require_accepted(f.push(
      f.leader_b(),
      {case_on(f, f.leader_b(), kLate, kUnitB, "2026-11-20T09:00:00Z", "retiree_allowance"),
       petitioner(f, f.leader_b(), kLate, "Zhang Wei", {{"id_number", "110105 19491231 002x"}})}));
  const Json late = values_of(f, kLate);
  CHECK(late["office_kind_flags"] == Json{"repeat"});
  CHECK(late["repeat_of_case_ids"] == Json{kEarly});
  CHECK(values_of(f, kEarly)["office_kind_flags"] == Json{"first_time"});

  // Leader B pulls the office's flags.
  const Json pulled = f.service.pull(f.leader_b(), 0, 100);
  bool seen = false;
  for (const Json& c : pulled["changes"])
    if (c.contains("upsert") && c["upsert"]["id"] == kLate)
      seen = c["upsert"]["values"]["office_kind_flags"] == Json{"repeat"};
  CHECK(seen);
}

TEST_CASE("office flags: written only when they change") {
  SyncFixture f;
  require_accepted(f.push(f.leader_a(), {case_on(f, f.leader_a(), kEarly, kUnitA,
                                                 "2026-03-01T08:00:00Z", "housing_subsidy")}));
  const std::int64_t after_create = server_ops(f);
  CHECK(after_create == 1);
  const std::int64_t version = sqlite::RowStore(f.db, real_model()).find("case", kEarly)->version;
  require_accepted(f.push(f.leader_a(), {f.op(f.leader_a(), OpKind::update, "case", kEarly,
                                              {{"title", "Housing subsidy, block 7"}}, version)}));
  CHECK(server_ops(f) == after_create);
  // Five people make it collective: one more server op.
  const std::int64_t v2 = sqlite::RowStore(f.db, real_model()).find("case", kEarly)->version;
  require_accepted(f.push(
      f.leader_a(), {f.op(f.leader_a(), OpKind::update, "case", kEarly, {{"headcount", 5}}, v2)}));
  CHECK(server_ops(f) == after_create + 1);
  CHECK(values_of(f, kEarly)["office_kind_flags"] == Json{"collective"});
}

TEST_CASE("office flags: an earlier case that reaches the server late makes the later a repeat") {
  SyncFixture f;
  require_accepted(
      f.push(f.leader_b(),
             {case_on(f, f.leader_b(), kLate, kUnitB, "2026-11-20T09:00:00Z", "pension_insurance"),
              petitioner(f, f.leader_b(), kLate, "Li Na", {{"phone", "139 1111 2222"}})}));
  CHECK(values_of(f, kLate)["office_kind_flags"] == Json{"first_time"});
  // Unit A's tablet was offline since March.
  require_accepted(
      f.push(f.leader_a(),
             {case_on(f, f.leader_a(), kEarly, kUnitA, "2026-03-01T08:00:00Z", "pension_insurance"),
              petitioner(f, f.leader_a(), kEarly, "LI  NA", {{"phone", "13911112222"}})}));
  CHECK(values_of(f, kLate)["office_kind_flags"] == Json{"repeat"});
  CHECK(values_of(f, kLate)["repeat_of_case_ids"] == Json{kEarly});
  CHECK(values_of(f, kEarly)["office_kind_flags"] == Json{"first_time"});
}

TEST_CASE("office flags: a removed petitioner leaves the identity index and the repeat goes") {
  SyncFixture f;
  require_accepted(f.push(
      f.leader_a(),
      {case_on(f, f.leader_a(), kEarly, kUnitA, "2026-03-01T08:00:00Z", "reemployment"),
       petitioner(f, f.leader_a(), kEarly, "Wang Fang", {{"id_number", "220102198001011234"}}),
       case_on(f, f.leader_a(), kLate, kUnitA, "2026-11-20T09:00:00Z", "reemployment")}));
  Op repeat =
      petitioner(f, f.leader_a(), kLate, "Wang Fang", {{"id_number", "220102198001011234"}});
  require_accepted(f.push(f.leader_a(), {repeat}));
  CHECK(values_of(f, kLate)["office_kind_flags"] == Json{"repeat"});
  sqlite::Statement count =
      f.db.prepare("SELECT COUNT(*) FROM petitioner_identity WHERE identity_key = ?1");
  count.bind(1, "id:220102198001011234");
  count.step();
  CHECK(count.column_int64(0) == 2);
  count.reset();

  const std::int64_t v =
      sqlite::RowStore(f.db, real_model()).find("petitioner", repeat.id)->version;
  require_accepted(f.push(f.leader_a(), {f.op(f.leader_a(), OpKind::remove, "petitioner", repeat.id,
                                              Json::object(), v)}));
  CHECK(values_of(f, kLate)["office_kind_flags"] == Json{"first_time"});
  CHECK(values_of(f, kLate)["repeat_of_case_ids"] == Json::array());
  count.bind(1, "id:220102198001011234");
  count.step();
  CHECK(count.column_int64(0) == 1);
}

TEST_CASE("office flags: a rejected op changes nothing and writes no server op") {
  SyncFixture f;
  Op bad = case_on(f, f.leader_a(), kEarly, kUnitA, "2026-03-01T08:00:00Z", "reemployment");
  bad.fields["headcount"] = 0;
  const Json answer = f.push(f.leader_a(), {bad});
  CHECK(answer["results"][0]["status"] == "rejected");
  CHECK(server_ops(f) == 0);
}

}  // namespace
}  // namespace fieldsync::server::testing
