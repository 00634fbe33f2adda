// validate_op: a valid op of every (entity, kind) the model allows, and each validation
// problem code produced by a realistic op, with the field it names.
#include "fieldsync/core/validation.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "fieldsync/core/model.h"
#include "fieldsync/core/op.h"
#include "fieldsync/core/row.h"

namespace fieldsync {
namespace {

const Model& model() {
  static const Model m = Model::load_file(std::string(FIELDSYNC_SCHEMA_DIR) + "/model.json");
  return m;
}

constexpr const char* kRowId = "0192f3a4-2222-7333-a444-555555555555";
constexpr const char* kUnit = "0192f3a4-3333-7444-b555-666666666666";
constexpr const char* kOtherUnit = "0192f3a4-3333-7444-b555-777777777777";
constexpr const char* kCaseId = "0192f3a4-4444-7555-8666-777777777777";
constexpr const char* kLeader = "0192f3a4-1111-7222-9333-444444444444";
constexpr const char* kVisitId = "0192f3a4-5555-7666-9777-888888888888";

Op make_op(const std::string& entity, OpKind kind, Json fields) {
  Op op;
  op.op_id = "0192f3a4-5b6c-7d8e-9f01-23456789abcd";
  op.device_id = "0192f3a4-0000-7aaa-8bbb-cccccccccccc";
  op.user_id = kLeader;
  op.entity = entity;
  op.id = kRowId;
  op.kind = kind;
  op.fields = std::move(fields);
  op.hlc = Hlc{1764137103000, 0};
  op.base_version = kind == OpKind::create ? 0 : 40;
  op.schema_version = 1;
  op.workflow_gen = kind == OpKind::reopen ? 1 : 0;
  return op;
}

Row make_row(const std::string& entity, Json values, Json stamps = Json::object(),
             bool deleted = false) {
  Row row;
  row.entity = entity;
  row.id = kRowId;
  row.unit_id = kUnit;
  row.version = 40;
  row.deleted = deleted;
  row.values = std::move(values);
  row.stamps = std::move(stamps);
  return row;
}

Json case_create_fields() {
  return {{"unit_id", kUnit},
          {"title", "Retirees of plant 3: heating allowance"},
          {"channel", "visit"},
          {"status", "received"},
          {"received_at", "2026-11-26T06:05:03Z"}};
}

Row case_row(const std::string& status = "received", std::int64_t gen = 0) {
  Json values = case_create_fields();
  values["status"] = status;
  Json stamps = {{"status", {{"hlc", "1764137103000-0000"}, {"gen", gen}}}};
  return make_row("case", values, stamps);
}

Row conflict_row(const std::string& entity, const std::string& field,
                 const std::string& status = "open") {
  return make_row("conflict", {{"unit_id", kUnit},
                               {"entity", entity},
                               {"row_id", kCaseId},
                               {"field", field},
                               {"candidates", Json::array()},
                               {"status", status}});
}

std::vector<Problem> validate(const Op& op, const std::optional<Row>& current = std::nullopt) {
  return validate_op(model(), op, current ? &*current : nullptr);
}

std::string describe(const std::vector<Problem>& problems) {
  std::string text;
  for (const auto& p : problems) text += p.field + ": " + p.code + ": " + p.message + "\n";
  return text;
}

// The op has exactly one problem: {field, code}.
void expect_only(const std::vector<Problem>& problems, const std::string& field,
                 const std::string& code) {
  CAPTURE(describe(problems));
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].field == field);
  CHECK(problems[0].code == code);
  CHECK_FALSE(problems[0].message.empty());
}

void expect_valid(const std::vector<Problem>& problems) {
  CAPTURE(describe(problems));
  CHECK(problems.empty());
}

struct Example {
  std::string name;
  Op op;
  std::optional<Row> current;
};

std::vector<Example> valid_examples() {
  Json full_case = case_create_fields();
  full_case.update({{"summary", "Twelve retirees say the 2025 allowance was never paid."},
                    {"subjects", {{"add", {"retiree_allowance", "housing_subsidy"}}}},
                    {"kind_flags", {{"add", {"collective"}}}},
                    {"handling_path", "solve_quickly"},
                    {"responsible_leader_id", kLeader},
                    {"headcount", 12},
                    {"feedback_due", "2026-12-10"},
                    {"tags", {{"add", {"heating", "采暖"}}}},
                    {"notes", {"First contact at the plant gate."}},
                    {"follow_up_contacts", 1}});
  Op reopen_case = make_op("case", OpKind::reopen,
                           {{"status", "in_progress"}, {"reopen_reason", "payment bounced"}});
  Op reopen_commitment = make_op("commitment", OpKind::reopen, {{"status", "open"}});
  Op reopen_sign = make_op("screening_sign", OpKind::reopen, {{"status", "open"}});
  const Row petitioner = make_row("petitioner", {{"case_id", kCaseId}, {"name", "Zhang Wei"}});
  const Row commitment = make_row("commitment",
                                  {{"case_id", kCaseId},
                                   {"who", "plant 3 office"},
                                   {"how", "pay arrears"},
                                   {"due_date", "2026-12-31"},
                                   {"status", "done"}},
                                  {{"status", {{"gen", 0}}}});
  const Row sign = make_row("screening_sign", {{"unit_id", kUnit},
                                               {"description", "talk of a group visit"},
                                               {"risk_level", "medium"},
                                               {"status", "settled"}});
  const Row report = make_row("urgent_report", {{"unit_id", kUnit},
                                                {"kind", "collective_visit"},
                                                {"known_at", "2026-11-26T05:00:00Z"},
                                                {"summary", "thirty people at the gate"}});
  const Row attachment = make_row("attachment", {{"case_id", kCaseId},
                                                 {"kind", "photo"},
                                                 {"sha256", std::string(64, 'a')},
                                                 {"mime_type", "image/jpeg"},
                                                 {"size_bytes", 182000}});
  return {
      {"case create", make_op("case", OpKind::create, full_case), std::nullopt},
      {"case update",
       make_op("case", OpKind::update,
               {{"status", "assigned"},
                {"summary", nullptr},
                {"tags", {{"remove", {"heating"}}}},
                {"follow_up_contacts", -1},
                {"notes", {"Called back.", "Promised a reply by Friday."}}}),
       case_row()},
      {"case delete", make_op("case", OpKind::remove, Json::object()), case_row()},
      {"case reopen", reopen_case, case_row("closed")},
      {"petitioner create",
       make_op("petitioner", OpKind::create,
               {{"case_id", kCaseId},
                {"name", "张伟"},
                {"id_number", "11010519491231002X"},
                {"phone", "+86 138 0000 0000"}}),
       std::nullopt},
      {"petitioner update",
       make_op("petitioner", OpKind::update, {{"address", "Block 7, Room 302"}}), petitioner},
      {"petitioner delete", make_op("petitioner", OpKind::remove, Json::object()), petitioner},
      {"visit create",
       make_op("visit", OpKind::create,
               {{"case_id", kCaseId},
                {"kind", "home"},
                {"visited_at", "2026-11-25T14:30:00.000Z"},
                {"leader_ids", {{"add", {kLeader}}}},
                {"met", "Zhang Wei and his wife"},
                {"outcome", "agreed to wait for the plant's answer"}}),
       std::nullopt},
      {"commitment create",
       make_op("commitment", OpKind::create,
               {{"case_id", kCaseId},
                {"visit_id", kVisitId},
                {"who", "plant 3 office"},
                {"how", "pay arrears"},
                {"due_date", "2026-12-31"},
                {"status", "open"}}),
       std::nullopt},
      {"commitment update",
       make_op("commitment", OpKind::update,
               {{"due_date", "2027-01-15"}, {"owner_user_id", kLeader}}),
       commitment},
      {"commitment reopen", reopen_commitment, commitment},
      {"urgent_report create",
       make_op("urgent_report", OpKind::create,
               {{"unit_id", kUnit},
                {"case_id", kCaseId},
                {"kind", "skip_level_province"},
                {"known_at", "2026-11-26T05:00:00Z"},
                {"headcount", 30},
                {"summary", "thirty people plan to go to the province"}}),
       std::nullopt},
      {"urgent_report update", make_op("urgent_report", OpKind::update, {{"headcount", 45}}),
       report},
      {"case_transfer create",
       make_op("case_transfer", OpKind::create,
               {{"case_id", kCaseId},
                {"from_unit_id", kUnit},
                {"to_unit_id", kUnit},
                {"by_user_id", kLeader},
                {"transferred_at", "2026-11-26T05:00:00Z"},
                {"reason", "housing belongs to the plant office"}}),
       std::nullopt},
      {"leader_assignment create",
       make_op("leader_assignment", OpKind::create,
               {{"case_id", kCaseId},
                {"leader_id", kLeader},
                {"assigned_at", "2026-11-26T05:00:00Z"},
                {"note", "deputy director takes the case"}}),
       std::nullopt},
      {"screening_sign create",
       make_op("screening_sign", OpKind::create,
               {{"unit_id", kUnit},
                {"description", "talk of a group visit"},
                {"risk_level", "high"},
                {"status", "open"}}),
       std::nullopt},
      {"screening_sign update",
       make_op("screening_sign", OpKind::update, {{"risk_level", "low"}, {"status", "settled"}}),
       sign},
      {"screening_sign reopen", reopen_sign, sign},
      {"attachment create",
       make_op("attachment", OpKind::create,
               {{"case_id", kCaseId},
                {"visit_id", kVisitId},
                {"kind", "signature"},
                {"sha256", std::string(64, 'f')},
                {"mime_type", "image/png"},
                {"size_bytes", 0},
                {"shows_person", false}}),
       std::nullopt},
      {"attachment delete", make_op("attachment", OpKind::remove, Json::object()), attachment},
      {"conflict resolve",
       make_op("conflict", OpKind::resolve,
               {{"resolution", "by_law"}, {"resolution_note", "decided at the Monday meeting"}}),
       conflict_row("case", "handling_path")},
  };
}

TEST_CASE("validation: a valid op of every entity and kind the model allows") {
  std::set<std::pair<std::string, OpKind>> covered;
  for (const auto& ex : valid_examples()) {
    CAPTURE(ex.name);
    expect_valid(validate(ex.op, ex.current));
    covered.insert({ex.op.entity, ex.op.kind});
  }
  for (const auto& e : model().entities()) {
    for (OpKind kind : e.ops) {
      CAPTURE(e.name);
      CAPTURE(to_string(kind));
      CHECK(covered.count({e.name, kind}) == 1);
    }
  }
}

TEST_CASE("validation: unknown_entity") {
  expect_only(validate(make_op("household", OpKind::create, {{"name", "x"}})), "entity",
              "unknown_entity");
}

TEST_CASE("validation: kind_not_allowed") {
  // Visits are append-only: a correction is a new visit.
  const Row visit = make_row("visit", {{"case_id", kCaseId}, {"kind", "home"}});
  expect_only(validate(make_op("visit", OpKind::update, {{"outcome", "x"}}), visit), "kind",
              "kind_not_allowed");
  expect_only(validate(make_op("case", OpKind::resolve, {{"resolution", "x"}}), case_row()), "kind",
              "kind_not_allowed");
  expect_only(validate(make_op("unit", OpKind::create, {{"name", "plant 3"}, {"kind", "plant"}})),
              "kind", "kind_not_allowed");
}

TEST_CASE("validation: unknown_field, except from a newer schema") {
  Op op = make_op("case", OpKind::update, {{"priority", "high"}});
  expect_only(validate(op, case_row()), "fields.priority", "unknown_field");
  op.schema_version = model().schema_version() + 1;
  expect_valid(validate(op, case_row()));
  // A newer op's known fields are still checked.
  op.fields["headcount"] = "many";
  expect_only(validate(op, case_row()), "fields.headcount", "wrong_type");
}

TEST_CASE("validation: server_field") {
  const Row report = make_row("urgent_report", {{"unit_id", kUnit}});
  expect_only(validate(make_op("urgent_report", OpKind::update,
                               {{"reached_office_at", "2026-11-26T06:00:00Z"}}),
                       report),
              "fields.reached_office_at", "server_field");
}

TEST_CASE("validation: wrong_type") {
  expect_only(validate(make_op("case", OpKind::update, {{"headcount", "12"}}), case_row()),
              "fields.headcount", "wrong_type");
  expect_only(validate(make_op("case", OpKind::update, {{"headcount", 12.5}}), case_row()),
              "fields.headcount", "wrong_type");
  expect_only(validate(make_op("case", OpKind::update, {{"title", 42}}), case_row()),
              "fields.title", "wrong_type");
  expect_only(validate(make_op("case", OpKind::update, {{"status", 3}}), case_row()),
              "fields.status", "wrong_type");
  expect_only(validate(make_op("case", OpKind::update, {{"feedback_due", 20261210}}), case_row()),
              "fields.feedback_due", "wrong_type");
  Json attachment = {
      {"case_id", kCaseId},        {"kind", "photo"},    {"sha256", std::string(64, 'a')},
      {"mime_type", "image/jpeg"}, {"size_bytes", 1024}, {"shows_person", "yes"}};
  expect_only(validate(make_op("attachment", OpKind::create, attachment)), "fields.shows_person",
              "wrong_type");
}

TEST_CASE("validation: not_allowed_value") {
  expect_only(validate(make_op("case", OpKind::update, {{"channel", "email"}}), case_row()),
              "fields.channel", "not_allowed_value");
  expect_only(
      validate(make_op("case", OpKind::update, {{"subjects", {{"add", {"parking"}}}}}), case_row()),
      "fields.subjects", "not_allowed_value");
  expect_only(validate(make_op("case", OpKind::update, {{"status", "archived"}}), case_row()),
              "fields.status", "not_allowed_value");
}

TEST_CASE("validation: too_long, counted in code points") {
  const Row petitioner = make_row("petitioner", {{"case_id", kCaseId}, {"name", "Zhang Wei"}});
  expect_only(validate(make_op("petitioner", OpKind::update, {{"id_number", std::string(40, '1')}}),
                       petitioner),
              "fields.id_number", "too_long");
  // 32 CJK characters are 96 bytes but within max_length 32; 33 are not.
  std::string cjk;
  for (int i = 0; i < 32; ++i) cjk += "号";
  expect_valid(validate(make_op("petitioner", OpKind::update, {{"phone", cjk}}), petitioner));
  expect_only(validate(make_op("petitioner", OpKind::update, {{"phone", cjk + "号"}}), petitioner),
              "fields.phone", "too_long");
  expect_only(validate(make_op("case", OpKind::update,
                               {{"tags", {{"add", {"ok", std::string(201, 't')}}}}}),
                       case_row()),
              "fields.tags", "too_long");
  expect_only(
      validate(make_op("case", OpKind::update, {{"notes", {std::string(20001, 'n')}}}), case_row()),
      "fields.notes", "too_long");
  expect_only(validate(make_op("case", OpKind::update, {{"title", "bad \xff utf-8"}}), case_row()),
              "fields.title", "wrong_type");
}

TEST_CASE("validation: out_of_range") {
  expect_only(validate(make_op("case", OpKind::update, {{"headcount", 0}}), case_row()),
              "fields.headcount", "out_of_range");
  expect_only(validate(make_op("case", OpKind::update, {{"headcount", 100001}}), case_row()),
              "fields.headcount", "out_of_range");
  expect_valid(validate(make_op("case", OpKind::update, {{"headcount", 100000}}), case_row()));
  const Row attachment = make_row("attachment", {{"case_id", kCaseId}});
  Json fields = {{"case_id", kCaseId},
                 {"kind", "photo"},
                 {"sha256", std::string(64, 'a')},
                 {"mime_type", "image/jpeg"},
                 {"size_bytes", -1}};
  expect_only(validate(make_op("attachment", OpKind::create, fields)), "fields.size_bytes",
              "out_of_range");
}

TEST_CASE("validation: bad_timestamp") {
  for (const char* bad :
       {"2026-11-26 06:05:03Z", "2026-11-26T06:05:03", "2026-11-26T06:05:03+08:00",
        "2026-02-29T10:00:00Z", "2026-11-26T24:00:00Z", "2026-11-26T06:60:00Z",
        "2026-11-26T06:05:03.12Z", "2026-11-26T06:05:03.1234Z", "2026-11-26t06:05:03z", ""}) {
    CAPTURE(bad);
    expect_only(validate(make_op("case", OpKind::update, {{"received_at", bad}}), case_row()),
                "fields.received_at", "bad_timestamp");
  }
  for (const char* good :
       {"2028-02-29T23:59:59.999Z", "2000-02-29T00:00:00Z", "2026-12-31T23:59:59Z"}) {
    CAPTURE(good);
    expect_valid(validate(make_op("case", OpKind::update, {{"received_at", good}}), case_row()));
  }
}

TEST_CASE("validation: bad_date") {
  for (const char* bad : {"2026-13-01", "2026-04-31", "1900-02-29", "26-12-01", "2026-12-1",
                          "2026/12/01", "0000-01-01", "2026-12-01T00:00:00Z"}) {
    CAPTURE(bad);
    expect_only(validate(make_op("case", OpKind::update, {{"feedback_due", bad}}), case_row()),
                "fields.feedback_due", "bad_date");
  }
  expect_valid(
      validate(make_op("case", OpKind::update, {{"feedback_due", "2024-02-29"}}), case_row()));
}

TEST_CASE("validation: bad_uuid") {
  expect_only(validate(make_op("case", OpKind::update, {{"responsible_leader_id", "leader-7"}}),
                       case_row()),
              "fields.responsible_leader_id", "bad_uuid");
  expect_only(validate(make_op("case", OpKind::update,
                               {{"responsible_leader_id", "0192F3A4-1111-7222-9333-444444444444"}}),
                       case_row()),
              "fields.responsible_leader_id", "bad_uuid");
  Json visit = {{"case_id", kCaseId},
                {"kind", "home"},
                {"visited_at", "2026-11-25T14:30:00Z"},
                {"leader_ids", {{"add", {kLeader, "leader-7"}}}}};
  expect_only(validate(make_op("visit", OpKind::create, visit)), "fields.leader_ids", "bad_uuid");
}

TEST_CASE("validation: bad_set_change") {
  for (const Json& bad :
       {Json::array({"heating"}), Json{{"add", "heating"}}, Json{{"put", {"heating"}}},
        Json{{"add", {1}}}, Json::object(), Json(nullptr)}) {
    CAPTURE(bad.dump());
    expect_only(validate(make_op("case", OpKind::update, {{"tags", bad}}), case_row()),
                "fields.tags", "bad_set_change");
  }
}

TEST_CASE("validation: bad_list_items") {
  for (const Json& bad : {Json("called back"), Json::array(), Json::array({1}),
                          Json::array({"ok", nullptr}), Json(nullptr)}) {
    CAPTURE(bad.dump());
    expect_only(validate(make_op("case", OpKind::update, {{"notes", bad}}), case_row()),
                "fields.notes", "bad_list_items");
  }
}

TEST_CASE("validation: bad_counter") {
  for (const Json& bad : {Json(0), Json(1.5), Json("1"), Json(nullptr)}) {
    CAPTURE(bad.dump());
    expect_only(
        validate(make_op("case", OpKind::update, {{"follow_up_contacts", bad}}), case_row()),
        "fields.follow_up_contacts", "bad_counter");
  }
}

TEST_CASE("validation: required on create and when clearing") {
  Json fields = case_create_fields();
  fields.erase("title");
  expect_only(validate(make_op("case", OpKind::create, fields)), "fields.title", "required");
  expect_only(validate(make_op("case", OpKind::update, {{"title", nullptr}}), case_row()),
              "fields.title", "required");
  expect_only(validate(make_op("case", OpKind::update, {{"status", nullptr}}), case_row()),
              "fields.status", "required");
}

TEST_CASE("validation: exists, unknown_row, deleted") {
  expect_only(validate(make_op("case", OpKind::create, case_create_fields()), case_row()), "id",
              "exists");
  expect_only(validate(make_op("case", OpKind::update, {{"title", "x"}})), "id", "unknown_row");
  expect_only(validate(make_op("case", OpKind::remove, Json::object())), "id", "unknown_row");
  Row tombstone = case_row();
  tombstone.deleted = true;
  expect_only(validate(make_op("case", OpKind::update, {{"title", "x"}}), tombstone), "id",
              "deleted");
  expect_only(validate(make_op("case", OpKind::create, case_create_fields()), tombstone), "id",
              "deleted");
  expect_valid(validate(make_op("case", OpKind::remove, Json::object()), tombstone));
}

TEST_CASE("validation: workflow transitions") {
  SUBCASE("a forward transition the workflow allows") {
    expect_valid(validate(
        make_op("case", OpKind::update, {{"status", "resolved"}, {"handling_path", "by_law"}}),
        case_row("assigned")));
  }
  SUBCASE("a stale write to an earlier or the same state loses the merge and is accepted") {
    expect_valid(validate(make_op("case", OpKind::update, {{"status", "assigned"}}),
                          case_row("in_progress")));
    expect_valid(validate(make_op("case", OpKind::update, {{"status", "in_progress"}}),
                          case_row("in_progress")));
  }
  SUBCASE("skipping ahead is transition_not_allowed, naming from and to") {
    auto problems =
        validate(make_op("case", OpKind::update, {{"status", "closed"}}), case_row("received"));
    expect_only(problems, "fields.status", "transition_not_allowed");
    CHECK(problems[0].message.find("received") != std::string::npos);
    CHECK(problems[0].message.find("closed") != std::string::npos);
  }
}

TEST_CASE("validation: bad_initial_state") {
  Json fields = case_create_fields();
  fields["status"] = "assigned";
  expect_only(validate(make_op("case", OpKind::create, fields)), "fields.status",
              "bad_initial_state");
}

TEST_CASE("validation: bad_reopen") {
  expect_only(
      validate(make_op("case", OpKind::reopen, {{"status", "received"}}), case_row("closed")),
      "fields.status", "bad_reopen");
  expect_only(validate(make_op("case", OpKind::reopen, {{"reopen_reason", "not paid"}}),
                       case_row("closed")),
              "fields", "bad_reopen");
}

TEST_CASE("validation: bad_generation") {
  Op reopen = make_op("case", OpKind::reopen,
                      {{"status", "in_progress"}, {"reopen_reason", "not satisfied"}});
  reopen.workflow_gen = 0;
  expect_only(validate(reopen, case_row("closed")), "workflow_gen", "bad_generation");
  reopen.workflow_gen = 2;  // the row is at generation 1: a second reopen is fine
  expect_valid(validate(reopen, case_row("closed", 1)));
  reopen.workflow_gen = 3;  // skips a generation nobody has seen
  expect_only(validate(reopen, case_row("closed", 1)), "workflow_gen", "bad_generation");
  Op update = make_op("case", OpKind::update, {{"title", "renamed"}});
  update.workflow_gen = 2;
  expect_only(validate(update, case_row("in_progress", 0)), "workflow_gen", "bad_generation");
}

TEST_CASE("validation: resolve") {
  const Row open = conflict_row("case", "handling_path");
  SUBCASE("the resolution is checked as a value of the field in conflict") {
    expect_only(validate(make_op("conflict", OpKind::resolve, {{"resolution", "shout"}}), open),
                "fields.resolution", "not_allowed_value");
    expect_only(validate(make_op("conflict", OpKind::resolve, {{"resolution", "2026-13-40"}}),
                         conflict_row("case", "feedback_due")),
                "fields.resolution", "bad_date");
    expect_only(validate(make_op("conflict", OpKind::resolve, {{"resolution", nullptr}}),
                         conflict_row("case", "unit_id")),
                "fields.resolution", "required");
    expect_valid(validate(make_op("conflict", OpKind::resolve, {{"resolution", kOtherUnit}}),
                          conflict_row("case", "unit_id")));
  }
  SUBCASE("resolution is required; only resolution_note may join it") {
    expect_only(
        validate(make_op("conflict", OpKind::resolve, {{"resolution_note", "later"}}), open),
        "fields.resolution", "required");
    expect_only(validate(make_op("conflict", OpKind::resolve,
                                 {{"resolution", "by_law"}, {"status", "resolved"}}),
                         open),
                "fields.status", "field_not_allowed");
    expect_only(validate(make_op("conflict", OpKind::resolve,
                                 {{"resolution", "by_law"}, {"resolution_note", 42}}),
                         open),
                "fields.resolution_note", "wrong_type");
  }
  SUBCASE("conflict_closed") {
    expect_only(validate(make_op("conflict", OpKind::resolve, {{"resolution", "by_law"}}),
                         conflict_row("case", "handling_path", "resolved")),
                "id", "conflict_closed");
  }
  SUBCASE("unknown_row") {
    expect_only(validate(make_op("conflict", OpKind::resolve, {{"resolution", "by_law"}})), "id",
                "unknown_row");
  }
}

TEST_CASE("validation: every problem of one op is reported") {
  Json fields = case_create_fields();
  fields.erase("title");
  fields["channel"] = "email";
  fields["headcount"] = 0;
  fields["priority"] = "high";
  const auto problems = validate(make_op("case", OpKind::create, fields));
  CAPTURE(describe(problems));
  CHECK(problems.size() == 4);
  for (const auto& [field, code] :
       std::vector<std::pair<std::string, std::string>>{{"fields.title", "required"},
                                                        {"fields.channel", "not_allowed_value"},
                                                        {"fields.headcount", "out_of_range"},
                                                        {"fields.priority", "unknown_field"}}) {
    CAPTURE(field);
    CHECK(std::any_of(problems.begin(), problems.end(),
                      [&](const Problem& p) { return p.field == field && p.code == code; }));
  }
}

TEST_CASE("validation never throws on malformed rows or values") {
  Row odd = case_row();
  odd.values = Json::array();
  odd.stamps = "not an object";
  CHECK_NOTHROW(validate(make_op("case", OpKind::update, {{"status", "closed"}}), odd));
  Row odd_conflict = conflict_row("case", "handling_path");
  odd_conflict.values["entity"] = 7;
  CHECK_NOTHROW(
      validate(make_op("conflict", OpKind::resolve, {{"resolution", "x"}}), odd_conflict));
  Op not_object = make_op("case", OpKind::update, Json::array({1}));
  expect_only(validate(not_object, case_row()), "fields", "wrong_type");
}

}  // namespace
}  // namespace fieldsync
