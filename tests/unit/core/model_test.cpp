#include <doctest/doctest.h>

#include <fstream>

#include "fieldsync/core/error.h"
#include "fieldsync/core/model.h"

using namespace fieldsync;

namespace {

Model real_model() {
  return Model::load_file(std::string(FIELDSYNC_SCHEMA_DIR) + "/model.json");
}

Json small_model() {
  return Json::parse(R"({
    "schema_version": 1,
    "workflows": {"st": {"states": ["a", "b"], "transitions": {"a": ["b"]}}},
    "entities": {
      "unit": {"scope": {"field": "id"}, "ops": [], "fields": {"name": {"type": "string", "policy": "lww"}}},
      "case": {"scope": {"field": "unit_id"}, "ops": ["create"], "fields": {
        "unit_id": {"type": "id", "ref": "unit", "required": true, "policy": "flag"},
        "status": {"type": "enum", "policy": "workflow", "workflow": "st"}}}
    }})");
}

// Loads `doc` and returns the refusal; fails the test if the model was accepted.
Error refusal(const Json& doc) {
  try {
    Model::from_json(doc);
  } catch (const Error& e) {
    return e;
  }
  FAIL("the broken model was accepted");
  throw;  // unreachable
}

}  // namespace

TEST_CASE("the real model loads with every entity the domain needs") {
  Model m = real_model();
  CHECK(m.schema_version() >= 1);
  for (const char* name : {"unit", "user", "device", "case", "petitioner", "visit", "commitment",
                           "urgent_report", "conflict", "screening_sign", "attachment"}) {
    CAPTURE(name);
    CHECK(m.entity(name) != nullptr);
  }
  const EntityDef& c = m.require_entity("case");
  CHECK(c.scope.field == "unit_id");
  CHECK(c.field("status")->policy == MergePolicy::workflow);
  CHECK(c.field("status")->workflow->rank("closed") >
        c.field("status")->workflow->rank("resolved"));
  CHECK(c.field("responsible_leader_id")->policy == MergePolicy::flag);
  CHECK(c.field("subjects")->policy == MergePolicy::set);
  CHECK(c.field("notes")->policy == MergePolicy::append);
  CHECK(c.field("follow_up_contacts")->policy == MergePolicy::counter);
  CHECK(c.field("title")->policy == MergePolicy::lww);
  const EntityDef& p = m.require_entity("petitioner");
  CHECK(p.scope.through_parent());
  CHECK(p.scope.via == "case_id");
  CHECK(p.field("id_number")->personal);
  CHECK_FALSE(m.require_entity("case").field("channel")->personal);
  CHECK(m.require_entity("visit").append_only());
  CHECK_FALSE(c.append_only());
  CHECK(m.require_entity("conflict").allows(OpKind::resolve));
  CHECK(m.require_entity("urgent_report").field("reached_office_at")->server_origin);
}

TEST_CASE("every workflow transition goes forward and reopen states exist") {
  Model m = real_model();
  const Workflow* wf = m.workflow("case_status");
  REQUIRE(wf != nullptr);
  CHECK(wf->allows("received", "assigned"));
  CHECK(wf->allows("resolved", "closed"));
  CHECK_FALSE(wf->allows("closed", "received"));
  CHECK_FALSE(wf->allows("received", "closed"));
  CHECK(wf->reopen_to.count("in_progress") == 1);
}

TEST_CASE("the small model is valid, so each broken variant below fails for its own reason") {
  CHECK_NOTHROW(Model::from_json(small_model()));
}

TEST_CASE("a broken model is refused with a message naming the entity and field") {
  struct Breakage {
    const char* what;
    const char* pointer;
    Json value;
    const char* code;
    const char* names;
  };
  const Breakage cases[] = {
      {"unknown policy", "/entities/case/fields/status/policy", "newest", "bad_policy",
       "case.status"},
      {"policy does not fit type", "/entities/unit/fields/name/policy", "counter",
       "policy_type_mismatch", "unit.name"},
      {"unknown type", "/entities/unit/fields/name/type", "blob", "bad_type", "unit.name"},
      {"unknown ref", "/entities/case/fields/unit_id/ref", "region", "unknown_ref", "case.unit_id"},
      {"unknown workflow", "/entities/case/fields/status/workflow", "nope", "unknown_workflow",
       "case.status"},
      {"unknown member", "/entities/unit/fields/name/colour", "red", "unknown_member", "unit.name"},
      {"reserved column", "/entities/unit/fields/version",
       Json{{"type", "integer"}, {"policy", "lww"}}, "reserved_name", "unit.version"},
      {"backward transition", "/workflows/st/transitions/b", Json::array({"a"}), "bad_workflow",
       "workflows.st"},
      {"scope through a missing field", "/entities/case/scope/field", "owner", "bad_scope", "case"},
      {"required flag of the wrong type", "/entities/unit/fields/name/required", "yes",
       "wrong_type", "unit.name.required"},
      {"bad field name", "/entities/unit/fields/Name", Json{{"type", "string"}, {"policy", "lww"}},
       "bad_name", "unit.Name"},
  };
  for (const auto& b : cases) {
    CAPTURE(b.what);
    Json doc = small_model();
    doc[Json::json_pointer(b.pointer)] = b.value;
    Error e = refusal(doc);
    CHECK(e.domain() == ErrorDomain::model);
    CHECK(e.code() == b.code);
    CHECK(e.message().find(b.names) != std::string::npos);
    REQUIRE(e.problems().size() == 1);
    CHECK(e.problems()[0].field.find(b.names) != std::string::npos);
  }
}

TEST_CASE("a missing type is refused naming the field") {
  Json doc = small_model();
  doc["entities"]["unit"]["fields"]["name"].erase("type");
  Error e = refusal(doc);
  CHECK(e.code() == "missing_member");
  CHECK(e.message().find("unit.name") != std::string::npos);
}

TEST_CASE("a model file that is not JSON is refused") {
  const auto path = std::filesystem::temp_directory_path() / "fieldsync_broken_model.json";
  std::ofstream(path) << "{ \"schema_version\": 1, ";
  try {
    Model::load_file(path);
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(e.code() == "invalid_json");
  }
  std::filesystem::remove(path);
  CHECK_THROWS_AS(Model::load_file(path), Error);
}
