// The petition rules on the tablet: kind flags computed offline in the write's transaction,
// refusals before anything is written, leader history and transfers, and the office's flags
// coming back by sync (agreeing with the tablet's, or visibly differing).
#include <doctest/doctest.h>

#include "client_fixture.h"

namespace fieldsync::client::testing {
namespace {

Json case_on(const std::string& title, const char* subject, const char* received_at) {
  Json fields = case_fields(title);
  fields["subjects"] = {subject};
  fields["received_at"] = received_at;
  return fields;
}

Json flags_of(Device& d, const std::string& id) {
  return d->find("case", id)->values.value("kind_flags", Json::array());
}

TEST_CASE("client rules: kind flags are computed offline from the replica") {
  World world;
  Device a(world, "a.db", 1);
  a.login("leader1");
  const std::string first =
      a->create_case(case_on("Allowance", "retiree_allowance", "2026-03-01T08:00:00Z"));
  CHECK(flags_of(a, first) == Json{"first_time"});
  a->add_petitioner(first, {{"name", "张伟"}, {"id_number", "11010519491231002X"}});

  const std::string second =
      a->create_case(case_on("Allowance again", "retiree_allowance", "2026-05-20T08:00:00Z"));
  CHECK(flags_of(a, second) == Json{"first_time"});
  a->add_petitioner(second, {{"name", " Zhang  Wei "}, {"id_number", "110105-19491231-002x"}});
  CHECK(flags_of(a, second) == Json{"repeat"});
  CHECK(a->find("case", second)->values["repeat_of_case_ids"] == Json{first});
  CHECK(flags_of(a, first) == Json{"first_time"});  // the earlier case is not a repeat

  SUBCASE("another subject is not a repeat") {
    const std::string other =
        a->create_case(case_on("Housing", "housing_allocation", "2026-05-21T08:00:00Z"));
    a->add_petitioner(other, {{"name", "Zhang Wei"}, {"id_number", "11010519491231002X"}});
    CHECK(flags_of(a, other) == Json{"first_time"});
  }
  SUBCASE("four people, then five; manual flags with their reasons, then cleared") {
    a->update_case(first, {{"headcount", 4}});
    CHECK(flags_of(a, first) == Json{"first_time"});
    a->update_case(first, {{"headcount", 5}});
    CHECK(flags_of(a, first) == Json{"collective"});
    a->mark_abnormal(first, "banners at the plant gate");
    a->mark_long_standing(first, "petitioning since 2019");
    CHECK(flags_of(a, first) == Json{"abnormal", "collective", "long_standing"});
    a->mark_abnormal(first, "");
    CHECK(flags_of(a, first) == Json{"collective", "long_standing"});
    CHECK(a->find("case", first)->values["abnormal_reason"].is_null());
  }
  SUBCASE("removing the petitioner takes the repeat away") {
    const auto detail = a->get_case(second);
    REQUIRE(detail.petitioners.size() == 1);
    a->write(OpKind::remove, "petitioner", detail.petitioners[0].id, {});
    CHECK(flags_of(a, second) == Json{"first_time"});
    CHECK(a->find("case", second)->values["repeat_of_case_ids"] == Json::array());
  }
  SUBCASE("flags are computed, not typed in") {
    const auto pending = a->status().pending_ops;
    CHECK(error_of([&] {
            a->update_case(first, {{"kind_flags", {"repeat"}}});
          }) == "validation/computed_field");
    CHECK(error_of([&] {
            a->write(OpKind::update, "case", first, {{"repeat_of_case_ids", {second}}});
          }) == "validation/computed_field");
    CHECK(a->status().pending_ops == pending);
  }
  SUBCASE("a new case records the unit where it arose") {
    CHECK(a->find("case", first)->values["origin_unit_id"] == world.unit1.id);
  }
}

TEST_CASE("client rules: refusals come before anything is written") {
  World world;
  Device a(world, "a.db", 1);
  a.login("leader1");
  const std::string id = a->create_case(case_fields("Wages of internal retirees"));
  const auto pending = a->status().pending_ops;
  const Json before = a->find("case", id)->values;

  CHECK(error_of([&] { a->resolve_case(id); }) == "validation/handling_path_required");
  CHECK(error_of([&] { a->reopen_case(id, ""); }) == "validation/reopen_reason_required");
  CHECK(error_of([&] { a->acknowledge(id, "neighbour"); }) == "validation/bad_acknowledgement");
  CHECK(error_of([&] { a->transfer_case(id, world.unit2.id, "theirs"); }) == "scope/forbidden");
  CHECK(error_of([&] { a->set_handling_path(id, "ignore_it"); }) == "validation/not_allowed_value");
  CHECK(a->status().pending_ops == pending);
  CHECK(a->find("case", id)->values == before);

  a->set_handling_path(id, "flexible_solution");
  a.clock.advance(kMinute);
  a->resolve_case(id);
  CHECK(a->find("case", id)->values["status"] == "resolved");
  CHECK(a->find("case", id)->values["resolved_at"] == "2026-05-28T20:27:40.000Z");

  const auto after_resolve = a->status().pending_ops;
  CHECK(error_of([&] { a->close_case(id); }) == "validation/not_satisfied");
  a->record_follow_up(id, false);  // handled, but not satisfied: stays open
  CHECK(error_of([&] { a->close_case(id); }) == "validation/not_satisfied");
  CHECK(a->status().pending_ops == after_resolve + 1);
  a->record_follow_up(id, true);
  a->close_case(id);
  const Json closed = a->find("case", id)->values;
  CHECK(closed["status"] == "closed");
  CHECK(closed["follow_up_contacts"] == 2);
  CHECK(closed.contains("closed_at"));

  // The server applies the same rules: everything sent is accepted.
  a->sync();
  CHECK(a->status().pending_ops == 0);
  CHECK(a->rejected_ops().empty());
}

TEST_CASE("client rules: leader history and transfers are kept in order") {
  World world;
  Device a(world, "a.db", 1);
  Device office(world, "office.db", 2);
  a.login("leader1");
  office.login("office");
  const std::string id = a->create_case(case_fields("Veteran housing"));
  a->assign_leader(id, world.leader1.id, "first contact");
  CHECK(a->find("case", id)->values["status"] == "assigned");
  a.clock.advance(kDay);
  a->assign_leader(id, world.leader2.id);
  a->acknowledge(id, "leader");
  a->acknowledge(id, "writer", "2026-05-30T10:00:00Z");

  CaseDetail d = a->get_case(id);
  REQUIRE(d.leader_history.size() == 2);
  CHECK(d.leader_history[0].values["leader_id"] == world.leader1.id);
  CHECK(d.leader_history[0].values["note"] == "first contact");
  CHECK(d.leader_history[1].values["leader_id"] == world.leader2.id);
  CHECK(d.leader_history[1].values["assigned_by_id"] == world.leader1.id);
  CHECK(d.case_row.values["responsible_leader_id"] == world.leader2.id);
  CHECK_FALSE(d.acknowledgements.leader_at.empty());
  CHECK(d.acknowledgements.unit_at.empty());
  CHECK(d.acknowledgements.writer_at == "2026-05-30T10:00:00Z");

  // A field leader does not move cases; the office does.
  CHECK(error_of([&] { a->transfer_case(id, world.unit2.id, "not mine"); }) == "scope/forbidden");
  a->sync();
  office->sync();
  office.clock.advance(kDay);
  CHECK(error_of([&] { office->transfer_case(id, world.unit1.id, "already there"); }) ==
        "validation/same_unit");
  office->transfer_case(id, world.unit2.id, "the pension office is in Unit 2");
  office.clock.advance(kMinute);
  office->transfer_case(id, world.unit1.id, "Unit 2 says it is ours after all");
  d = office->get_case(id);
  REQUIRE(d.transfers.size() == 2);
  CHECK(d.transfers[0].values["from_unit_id"] == world.unit1.id);
  CHECK(d.transfers[0].values["to_unit_id"] == world.unit2.id);
  CHECK(d.transfers[1].values["to_unit_id"] == world.unit1.id);
  CHECK(d.transfers[1].values["by_user_id"] == world.office.id);
  CHECK(d.case_row.values["origin_unit_id"] == world.unit1.id);
  CHECK(d.leader_history.size() == 2);

  office->sync();
  CHECK(office->rejected_ops().empty());
  a->sync();
  const CaseDetail seen = a->get_case(id);
  CHECK(seen.leader_history.size() == 2);
  CHECK(seen.transfers.size() == 2);
  CHECK(seen.case_row.unit_id == world.unit1.id);
}

TEST_CASE("client rules: the office's flags agree with the tablet's when it holds everything") {
  World world;
  Device a(world, "a.db", 1);
  a.login("leader1");
  const std::string first =
      a->create_case(case_on("Allowance", "retiree_allowance", "2026-03-01T08:00:00Z"));
  a->add_petitioner(first, {{"name", "Li Na"}, {"phone", "139 1111 2222"}});
  const std::string second =
      a->create_case(case_on("Allowance again", "retiree_allowance", "2026-05-20T08:00:00Z"));
  a->add_petitioner(second, {{"name", "LI NA"}, {"phone", "13911112222"}});
  a->sync();
  a->sync();  // the office's flags were written after the push: the next pull brings them
  for (const std::string& id : {first, second}) {
    const CaseDetail d = a->get_case(id);
    CHECK(d.flags.office == d.flags.tablet);
    CHECK_FALSE(d.flags.differ);
  }
  CHECK(a->get_case(second).flags.tablet == std::vector<std::string>{"repeat"});
}

TEST_CASE("client rules: an earlier case only the office holds makes the flags differ") {
  World world;
  Device other_unit(world, "u2.db", 1);
  Device a(world, "a.db", 2);
  other_unit.login("leader3");
  a.login("leader1");
  const std::string earlier = other_unit->create_case(
      case_on("Medical bills", "medical_reimbursement", "2026-02-01T08:00:00Z"));
  other_unit->add_petitioner(earlier, {{"name", "Wang Fang"}, {"id_number", "220102198001011234"}});
  other_unit->sync();

  const std::string later = a->create_case(
      case_on("Medical bills again", "medical_reimbursement", "2026-05-20T08:00:00Z"));
  a->add_petitioner(later, {{"name", "王芳"}, {"id_number", "220102198001011234"}});
  CHECK(a->get_case(later).flags.tablet == std::vector<std::string>{"first_time"});
  a->sync();
  a->sync();
  CaseDetail d = a->get_case(later);
  CHECK(d.flags.tablet == std::vector<std::string>{"first_time"});
  CHECK(d.flags.office == std::vector<std::string>{"repeat"});
  CHECK(d.flags.differ);
  CHECK(d.flags.repeat_of_case_ids == std::vector<std::string>{earlier});
  CHECK_FALSE(a->find("case", earlier).has_value());

  // A later write on the tablet keeps the office's link to the case it cannot see.
  a->update_case(later, {{"title", "Medical bills, third letter"}});
  CHECK(a->get_case(later).flags.repeat_of_case_ids == std::vector<std::string>{earlier});
  a->sync();
  CHECK(a->rejected_ops().empty());
}

}  // namespace
}  // namespace fieldsync::client::testing
