// Kind flags of a case (domain/typology.h): identities, collective, repeat, skip-level,
// first-time and the manual flags, on the edge cases petition work meets.
#include "fieldsync/core/domain/typology.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace fieldsync::domain {
namespace {

constexpr const char* kCase = "0192f3a4-0000-7000-8000-000000000010";
constexpr const char* kEarlier = "0192f3a4-0000-7000-8000-000000000001";
constexpr const char* kLater = "0192f3a4-0000-7000-8000-000000000020";

CaseProfile a_case(std::vector<PetitionerFacts> people = {}) {
  CaseProfile c;
  c.id = kCase;
  c.received_at = "2026-11-20T09:00:00.000Z";
  c.subjects = {"retiree_allowance"};
  c.petitioners = std::move(people);
  return c;
}

OtherCase other(const char* id, const char* received_at, std::vector<std::string> subjects,
                std::vector<PetitionerFacts> people) {
  OtherCase o;
  o.id = id;
  o.received_at = received_at;
  o.subjects = std::move(subjects);
  for (const auto& p : people) o.identity_keys.push_back(identity_key(p));
  return o;
}

bool has(const KindFlags& f, const std::string& flag) {
  for (const auto& x : f.flags)
    if (x == flag) return true;
  return false;
}

TEST_CASE("typology: an ID number is the identity, however it is typed") {
  CHECK(identity_key({"Zhang Wei", "11010519491231002x", ""}) == "id:11010519491231002X");
  CHECK(identity_key({"", " 110105-1949 1231-002X ", ""}) == "id:11010519491231002X");
  // Full-width digits and letters, as a Chinese input method types them.
  CHECK(identity_key({"", "１１０１０５１９４９１２３１００２ｘ", ""}) == "id:11010519491231002X");
}

TEST_CASE("typology: without an ID number, the normalised name plus the phone's digits") {
  CHECK(identity_key({"  Zhang   Wei ", "", "+86 138-0000-0000"}) ==
        "name:zhang wei|phone:8613800000000");
  CHECK(identity_key({"ZHANG\tWEI", "", "(86) 13800000000"}) ==
        identity_key({"zhang wei", "", "86 138 0000 0000"}));
  CHECK(identity_key({"张伟", "", "138 0000 0000"}) ==
        identity_key({"　张伟　", "", "13800000000"}));
  CHECK(identity_key({"ＺＨＡＮＧ　Ｗｅｉ", "", "１３８００００００００"}) ==
        identity_key({"zhang wei", "", "13800000000"}));
  SUBCASE("a name alone, or a phone alone, matches nobody") {
    CHECK(identity_key({"Zhang Wei", "", ""}).empty());
    CHECK(identity_key({"", "", "13800000000"}).empty());
    CHECK(identity_key({"Zhang Wei", " - ", "no phone"}).empty());
  }
}

TEST_CASE("typology: collective from 5 people, counting the headcount or the petitioners") {
  CaseProfile c = a_case();
  c.headcount = 4;
  CHECK(compute_kind_flags(c, "unit", {}).flags == std::vector<std::string>{"first_time"});
  c.headcount = 5;
  CHECK(compute_kind_flags(c, "unit", {}).flags == std::vector<std::string>{"collective"});
  SUBCASE("five petitioner rows with a headcount of 1 are a group") {
    c.headcount = 1;
    for (int i = 0; i < 5; ++i) c.petitioners.push_back({"p" + std::to_string(i), "", ""});
    CHECK(has(compute_kind_flags(c, "unit", {}), "collective"));
    c.petitioners.pop_back();
    CHECK_FALSE(has(compute_kind_flags(c, "unit", {}), "collective"));
  }
}

TEST_CASE("typology: repeat when the same person has an earlier case on a shared subject") {
  const CaseProfile c = a_case({{"Zhang  Wei", "110105 19491231 002x", ""}});
  SUBCASE("the same ID number under another spelling of the name is the same person") {
    const auto f = compute_kind_flags(
        c, "unit",
        {other(kEarlier, "2026-03-01T08:00:00.000Z", {"retiree_allowance", "pension_insurance"},
               {{"张伟", "11010519491231002X", ""}})});
    CHECK(f.flags == std::vector<std::string>{"repeat"});
    CHECK(f.repeat_of_case_ids == std::vector<std::string>{kEarlier});
  }
  SUBCASE("the same name and phone without an ID number") {
    const CaseProfile by_phone = a_case({{"Li Na", "", "139 1111 2222"}});
    const auto f =
        compute_kind_flags(by_phone, "unit",
                           {other(kEarlier, "2026-03-01T08:00:00.000Z", {"retiree_allowance"},
                                  {{"LI NA", "", "13911112222"}})});
    CHECK(f.repeat_of_case_ids == std::vector<std::string>{kEarlier});
    const auto other_phone =
        compute_kind_flags(by_phone, "unit",
                           {other(kEarlier, "2026-03-01T08:00:00.000Z", {"retiree_allowance"},
                                  {{"Li Na", "", "13911113333"}})});
    CHECK(other_phone.flags == std::vector<std::string>{"first_time"});
  }
  SUBCASE("an earlier case of the same person on another subject is not a repeat") {
    const auto f =
        compute_kind_flags(c, "unit",
                           {other(kEarlier, "2026-03-01T08:00:00.000Z", {"housing_allocation"},
                                  {{"Zhang Wei", "11010519491231002X", ""}})});
    CHECK(f.flags == std::vector<std::string>{"first_time"});
    CHECK(f.repeat_of_case_ids.empty());
  }
  SUBCASE("a later case, or the case itself, does not make it a repeat") {
    const auto f =
        compute_kind_flags(c, "unit",
                           {other(kLater, "2026-11-21T08:00:00.000Z", {"retiree_allowance"},
                                  {{"Zhang Wei", "11010519491231002X", ""}}),
                            other(kCase, c.received_at.c_str(), {"retiree_allowance"},
                                  {{"Zhang Wei", "11010519491231002X", ""}})});
    CHECK(f.flags == std::vector<std::string>{"first_time"});
  }
  SUBCASE("received at the same time: the smaller id is the earlier") {
    const auto f = compute_kind_flags(c, "unit",
                                      {other(kEarlier, c.received_at.c_str(), {"retiree_allowance"},
                                             {{"", "11010519491231002X", ""}}),
                                       other(kLater, c.received_at.c_str(), {"retiree_allowance"},
                                             {{"", "11010519491231002X", ""}})});
    CHECK(f.repeat_of_case_ids == std::vector<std::string>{kEarlier});
  }
  SUBCASE("a case without subjects repeats nothing") {
    CaseProfile bare = c;
    bare.subjects.clear();
    CHECK(compute_kind_flags(bare, "unit",
                             {other(kEarlier, "2026-03-01T08:00:00.000Z", {"retiree_allowance"},
                                    {{"", "11010519491231002X", ""}})})
              .repeat_of_case_ids.empty());
  }
}

TEST_CASE("typology: skip-level per level reached and owner unit") {
  CaseProfile c = a_case();
  auto skip = [&](const char* reached, const char* owner) {
    c.highest_level_reached = reached;
    return has(compute_kind_flags(c, owner, {}), "skip_level");
  };
  CHECK_FALSE(skip("", "team"));
  CHECK_FALSE(skip("unit", "team"));
  CHECK_FALSE(skip("plant", "team"));  // the plant is the unit's own organisation
  CHECK(skip("bureau", "team"));
  CHECK(skip("bureau", "unit"));
  CHECK(skip("bureau", "department_system"));
  CHECK(skip("bureau", "plant"));
  CHECK(skip("province", "plant"));
  CHECK(skip("capital", "unit"));
  CHECK(skip("bureau", ""));  // owner unit not on the device: taken as below the plant
  CHECK_FALSE(skip("bureau", "bureau"));
  CHECK(skip("province", "bureau"));
  CHECK(skip("capital", "bureau"));
}

TEST_CASE("typology: first-time only when none of collective, repeat and skip-level") {
  CaseProfile c = a_case();
  c.headcount = 7;
  c.highest_level_reached = "capital";
  c.abnormal = true;
  c.long_standing = true;
  CHECK(compute_kind_flags(c, "team", {}).flags ==
        std::vector<std::string>{"abnormal", "collective", "long_standing", "skip_level"});
  c.headcount = 1;
  c.highest_level_reached = "unit";
  CHECK(compute_kind_flags(c, "team", {}).flags ==
        std::vector<std::string>{"abnormal", "first_time", "long_standing"});
}

TEST_CASE("typology: facts from rows, and the set changes that bring a row to its flags") {
  Row case_row;
  case_row.entity = "case";
  case_row.id = kCase;
  case_row.values = {{"received_at", "2026-11-20T09:00:00.000Z"},
                     {"subjects", {"retiree_allowance"}},
                     {"headcount", 2},
                     {"abnormal_reason", "banners at the gate"},
                     {"long_standing_reason", ""},
                     {"kind_flags", {"first_time", "long_standing"}}};
  Row alive, gone;
  alive.values = {{"name", "Zhang Wei"}, {"id_number", "11010519491231002X"}};
  gone.values = {{"name", "Li Na"}, {"phone", "13911112222"}};
  gone.deleted = true;
  const CaseProfile f = case_profile(case_row, {alive, gone});
  CHECK(f.headcount == 2);
  CHECK(f.abnormal);
  CHECK_FALSE(f.long_standing);  // an empty reason is no reason
  REQUIRE(f.petitioners.size() == 1);
  CHECK(other_case(case_row, {alive, gone}).identity_keys ==
        std::vector<std::string>{"id:11010519491231002X"});

  const KindFlags wanted{{"abnormal", "first_time"}, {kEarlier}};
  CHECK(kind_flags_change(case_row, wanted, "kind_flags") ==
        Json{{"kind_flags", {{"add", {"abnormal"}}, {"remove", {"long_standing"}}}},
             {"repeat_of_case_ids", {{"add", {kEarlier}}}}});
  case_row.values["kind_flags"] = {"abnormal", "first_time"};
  case_row.values["repeat_of_case_ids"] = {kEarlier};
  CHECK(kind_flags_change(case_row, wanted, "kind_flags").empty());
  CHECK(kind_flags_change(case_row, wanted, "office_kind_flags") ==
        Json{{"office_kind_flags", {{"add", {"abnormal", "first_time"}}}}});
}

TEST_CASE("typology: which ops can change a case's kind flags") {
  auto op = [](const char* entity, OpKind kind, Json fields) {
    Op o;
    o.entity = entity;
    o.kind = kind;
    o.fields = std::move(fields);
    return o;
  };
  // Creates and deletes of cases and petitioners always may.
  CHECK(affects_kind_flags(op("case", OpKind::create, {{"title", "Roof"}})));
  CHECK(affects_kind_flags(op("case", OpKind::remove, Json::object())));
  CHECK(affects_kind_flags(op("petitioner", OpKind::create, {{"note", "x"}})));
  CHECK(affects_kind_flags(op("petitioner", OpKind::remove, Json::object())));
  // Each fact the rules read, alone.
  for (const char* field : {"received_at", "subjects", "headcount", "highest_level_reached",
                            "abnormal_reason", "long_standing_reason", "unit_id"})
    CHECK_MESSAGE(affects_kind_flags(op("case", OpKind::update, {{field, nullptr}})), field);
  for (const char* field : {"name", "id_number", "phone", "case_id"})
    CHECK_MESSAGE(affects_kind_flags(op("petitioner", OpKind::update, {{field, ""}})), field);
  // Anything else leaves the flags as they are.
  CHECK_FALSE(affects_kind_flags(op("case", OpKind::update, {{"title", "Roof"}, {"notes", "n"}})));
  CHECK_FALSE(affects_kind_flags(op("case", OpKind::reopen, {{"reopen_reason", "back"}})));
  CHECK_FALSE(affects_kind_flags(op("petitioner", OpKind::update, {{"address", "Gate 3"}})));
  CHECK_FALSE(affects_kind_flags(op("visit", OpKind::create, {{"case_id", kCase}})));
  CHECK_FALSE(affects_kind_flags(op("commitment", OpKind::update, {{"subjects", Json::array()}})));
}

}  // namespace
}  // namespace fieldsync::domain
