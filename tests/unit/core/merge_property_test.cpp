#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "merge_fixture.h"

using namespace fieldsync;
using namespace fieldsync::testing;

namespace {

// What a person can see of the store: every row's unit, tombstone, values and kept extra
// fields. Versions and stamps depend on arrival order by design and are left out, and so is a
// conflict's addressed_to, which is read from the row when the record is written.
Json visible_state(const MemoryStore& store) {
  Json out = Json::object();
  for (const auto& [key, row] : store.rows()) {
    Json values = row.values;
    if (row.entity == "conflict") values.erase("addressed_to");
    out[row.entity + "/" + row.id] = {{"unit_id", row.unit_id},
                                      {"deleted", row.deleted},
                                      {"values", values},
                                      {"extra", row.extra}};
  }
  return out;
}

template <typename T>
const T& pick(std::mt19937_64& rng, const std::vector<T>& options) {
  return options[std::uniform_int_distribution<std::size_t>(0, options.size() - 1)(rng)];
}

bool coin(std::mt19937_64& rng, int percent) {
  return std::uniform_int_distribution<int>(1, 100)(rng) <= percent;
}

// One op written offline by `device` against version 1 of the case.
Op random_concurrent_op(std::mt19937_64& rng, int device) {
  const std::vector<std::string> titles = {"roof leaks", "allowance late", "wages owed"};
  const std::vector<std::string> paths = {"solve_quickly", "flexible_solution", "counselling",
                                          "by_law"};
  const std::vector<std::string> leaders = {test_id("l1"), test_id("l2"), test_id("l3")};
  const std::vector<std::string> dates = {"2026-12-01", "2026-12-15", "2027-01-10"};
  const std::vector<std::string> states = {"assigned", "in_progress", "resolved"};
  const std::vector<std::string> subjects = {"housing_allocation", "pension_insurance", "other"};

  Json fields = Json::object();
  OpKind kind = OpKind::update;
  std::int64_t gen = 0;
  while (fields.empty()) {
    if (coin(rng, 40)) fields["title"] = pick(rng, titles);
    if (coin(rng, 40)) fields["handling_path"] = pick(rng, paths);
    if (coin(rng, 30)) fields["responsible_leader_id"] = pick(rng, leaders);
    if (coin(rng, 30)) fields["feedback_due"] = pick(rng, dates);
    if (coin(rng, 40)) {
      if (coin(rng, 25)) {
        kind = OpKind::reopen;
        gen = 1;
        fields["status"] = "in_progress";
        fields["reopen_reason"] = "petitioner not satisfied";
      } else {
        fields["status"] = pick(rng, states);
      }
    }
    if (coin(rng, 40)) {
      Json change = Json::object();
      if (coin(rng, 60)) change["add"] = {pick(rng, subjects)};
      if (coin(rng, 50)) change["remove"] = {pick(rng, subjects)};
      if (!change.empty()) fields["subjects"] = change;
    }
    if (coin(rng, 30)) fields["notes"] = {"note from device " + std::to_string(device)};
    if (coin(rng, 30)) fields["follow_up_contacts"] = std::uniform_int_distribution<int>(1, 5)(rng);
  }
  Op op = case_update(fields, "p" + std::to_string(device),
                      std::uniform_int_distribution<std::int64_t>(2000, 2600)(rng));
  op.kind = kind;
  op.workflow_gen = gen;
  op.hlc.counter = std::uniform_int_distribution<std::uint32_t>(0, 3)(rng);
  if (coin(rng, 20)) {
    op.schema_version = 2;  // a newer tablet also writes a field this model does not know
    op.fields["satisfaction"] = pick(rng, titles);
  }
  return op;
}

}  // namespace

TEST_CASE(
    "merge property: concurrent ops applied in every order give the same rows and conflicts") {
  constexpr int kCases = 1000;
  int orders_checked = 0;
  int with_conflicts = 0;
  for (int seed = 1; seed <= kCases; ++seed) {
    std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
    const int count = std::uniform_int_distribution<int>(2, 4)(rng);
    std::vector<Op> ops;
    for (int d = 0; d < count; ++d) ops.push_back(random_concurrent_op(rng, d));

    std::vector<int> order(ops.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    std::optional<Json> expected;
    do {
      MemoryStore store = store_with_case();
      for (int i : order) store.apply(ops[static_cast<std::size_t>(i)]);
      Json state = visible_state(store);
      if (!expected) {
        expected = state;
        for (const auto& [key, row] : store.rows())
          if (row.entity == "conflict") ++with_conflicts;
      } else if (state != *expected) {
        INFO("seed " << seed << ", order differs:\n"
                     << state.dump(1) << "\nvs\n"
                     << expected->dump(1));
        FAIL("order changed the result");
      }
      ++orders_checked;
    } while (std::next_permutation(order.begin(), order.end()));
  }
  CHECK(orders_checked > kCases * 2);
  CHECK(with_conflicts > kCases / 10);  // the generator really makes conflicts
}

TEST_CASE("merge property: applying every op a second time changes nothing a person can see") {
  for (int seed = 1; seed <= 1000; ++seed) {
    std::mt19937_64 rng(static_cast<std::uint64_t>(seed) * 7919);
    std::vector<Op> ops;
    for (int d = 0; d < 4; ++d) ops.push_back(random_concurrent_op(rng, d));
    MemoryStore store = store_with_case();
    for (const Op& op : ops) store.apply(op);
    const Json once = visible_state(store);
    for (const Op& op : ops) store.apply(op);
    if (visible_state(store) != once) {
      INFO("seed " << seed);
      FAIL("a replayed op changed the state");
    }
  }
}
