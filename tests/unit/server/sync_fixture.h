#pragma once
// A server store with a unit tree (plant P with sibling units A and B, team A1 under A) and a
// SyncService over it, plus callers of each role, for sync service tests.
#include <string>

#include "../core/fakes.h"
#include "../core/merge_fixture.h"
#include "../sqlite/temp_dir.h"
#include "fieldsync/core/op_codec.h"
#include "fieldsync/server/sync_service.h"
#include "fieldsync/sqlite/row_store.h"

namespace fieldsync::server::testing {

using fieldsync::testing::real_model;
using fieldsync::testing::test_id;

inline const std::string kPlant = test_id("plant");
inline const std::string kUnitA = test_id("unit-a");
inline const std::string kUnitB = test_id("unit-b");
inline const std::string kTeamA1 = test_id("team-a1");

struct SyncFixture {
  sqlite::testing::TempDir dir;
  sqlite::Database db = sqlite::open_store(dir.file("server.db"), real_model());
  fieldsync::testing::FakeClock wall{1'780'000'000'000};
  SyncService service{db, real_model(), wall};
  int ms = 0;

  SyncFixture() {
    sqlite::RowStore rows(db, real_model());
    auto unit = [&](const std::string& id, const std::string& name, const std::string& kind,
                    const std::string& parent) {
      Row r;
      r.entity = "unit";
      r.id = id;
      r.unit_id = id;
      r.version = 1;  // as if made by the first admin op
      r.values = {{"name", name}, {"kind", kind}};
      if (!parent.empty()) r.values["parent_id"] = parent;
      rows.put(r);
    };
    unit(kPlant, "Plant", "plant", "");
    unit(kUnitA, "Unit A", "unit", kPlant);
    unit(kUnitB, "Unit B", "unit", kPlant);
    unit(kTeamA1, "Team A1", "team", kUnitA);
  }

  static Access caller(const std::string& name, Role role,
                       std::set<std::string, std::less<>> units) {
    Access a;
    a.user_id = test_id("user-" + name);
    a.device_id = test_id(name);
    a.role = role;
    a.unit_id = *units.begin();
    a.units = std::move(units);
    return a;
  }
  Access leader_a() const { return caller("leader-a", Role::field_leader, {kUnitA, kTeamA1}); }
  Access leader_b() const { return caller("leader-b", Role::field_leader, {kUnitB}); }
  Access office() const {
    return caller("office", Role::central_office, {kPlant, kUnitA, kUnitB, kTeamA1});
  }

  // An op as `who`'s device would write it.
  Op op(const Access& who, OpKind kind, const std::string& entity, const std::string& id,
        Json fields, std::int64_t base_version = 0) {
    Op o = fieldsync::testing::make_op(kind, entity, id, std::move(fields), "x",
                                       1'780'000'000'000 + ++ms, base_version);
    o.device_id = who.device_id;
    o.user_id = who.user_id;
    return o;
  }
  Op new_case(const Access& who, const std::string& id, const std::string& unit) {
    return op(who, OpKind::create, "case", id,
              {{"unit_id", unit},
               {"title", "Retiree allowance"},
               {"channel", "home_visit"},
               {"status", "received"},
               {"received_at", "2026-11-20T09:00:00Z"}});
  }

  Json push(const Access& who, const std::vector<Op>& ops, std::int64_t cursor = 0) {
    Json docs = Json::array();
    for (const Op& o : ops) docs.push_back(encode_op(o));
    return service.push(who, {{"cursor", cursor}, {"ops", docs}});
  }
  std::string status_of(const Access& who, const Op& o, std::int64_t cursor = 0) {
    return push(who, {o}, cursor)["results"][0]["status"].get<std::string>();
  }
};

}  // namespace fieldsync::server::testing
