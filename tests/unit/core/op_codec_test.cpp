// The Op JSON codec: exact round trips of every op kind in both directions, and refusal of
// malformed input with one distinct code per kind of problem, every problem reported, and
// the input left as it was.
#include "fieldsync/core/op_codec.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "fieldsync/core/error.h"
#include "fieldsync/core/limits.h"
#include "fieldsync/core/model.h"

namespace fieldsync {
namespace {

const Model& model() {
  static const Model m = Model::load_file(std::string(FIELDSYNC_SCHEMA_DIR) + "/model.json");
  return m;
}

constexpr const char* kOpId = "0192f3a4-5b6c-7d8e-9f01-23456789abcd";
constexpr const char* kDevice = "0192f3a4-0000-7aaa-8bbb-cccccccccccc";
constexpr const char* kUser = "0192f3a4-1111-7222-9333-444444444444";
constexpr const char* kRow = "0192f3a4-2222-7333-a444-555555555555";
constexpr const char* kUnit = "0192f3a4-3333-7444-b555-666666666666";
constexpr const char* kCase = "0192f3a4-4444-7555-8666-777777777777";

Op make_op(const char* entity, OpKind kind, Json fields) {
  Op op;
  op.op_id = kOpId;
  op.device_id = kDevice;
  op.user_id = kUser;
  op.entity = entity;
  op.id = kRow;
  op.kind = kind;
  op.fields = std::move(fields);
  op.hlc = Hlc{1764137103000, 7};
  op.base_version = kind == OpKind::create ? 0 : 41;
  op.schema_version = 1;
  op.workflow_gen = kind == OpKind::reopen ? 1 : 0;
  return op;
}

// One realistic op per kind, with fields of every merge policy the model has.
std::vector<Op> realistic_ops() {
  return {
      make_op("case", OpKind::create,
              {{"unit_id", kUnit},
               {"title", "宿舍分配遗留问题 (dormitory allocation)"},
               {"channel", "home_visit"},
               {"status", "received"},
               {"received_at", "2026-11-26T06:05:03.120Z"},
               {"subjects", {{"add", {"housing_allocation", "housing_subsidy"}}}},
               {"kind_flags", {{"add", {"first_time", "collective"}}}},
               {"headcount", 12},
               {"feedback_due", "2026-12-10"},
               {"notes", {"Met at the gate; twelve retirees present."}},
               {"follow_up_contacts", 1},
               {"responsible_leader_id", nullptr}}),
      make_op("case", OpKind::update,
              {{"status", "assigned"},
               {"handling_path", "counselling"},
               {"tags", {{"add", {"dormitory"}}, {"remove", {"unsorted"}}}},
               {"follow_up_contacts", 2}}),
      make_op("petitioner", OpKind::remove, Json::object()),
      make_op("case", OpKind::reopen,
              {{"status", "in_progress"}, {"reopen_reason", "the agreement was not honoured"}}),
      make_op("conflict", OpKind::resolve,
              {{"resolution", kUnit}, {"resolution_note", "the plant keeps it, agreed by phone"}}),
  };
}

// Runs decode_op on `doc` and returns the refusal; fails the test if it was accepted.
Error refusal(const Json& doc) {
  try {
    decode_op(doc);
  } catch (const Error& e) {
    return e;
  }
  FAIL("the malformed op was accepted: " << doc.dump());
  throw;  // unreachable
}

Error text_refusal(std::string_view text) {
  try {
    decode_op_text(text);
  } catch (const Error& e) {
    return e;
  }
  FAIL("the malformed op text was accepted");
  throw;  // unreachable
}

bool has_problem(const Error& e, const std::string& field, const std::string& code) {
  for (const auto& p : e.problems())
    if (p.field == field && p.code == code && !p.message.empty()) return true;
  return false;
}

// Decoding `doc` fails with exactly the one problem {field, code} in domain codec, and
// `doc` is unchanged afterwards.
void expect_single(const Json& doc, const std::string& code, const std::string& field) {
  const Json before = doc;
  Error e = refusal(doc);
  CAPTURE(e.what());
  CHECK(e.domain() == ErrorDomain::codec);
  CHECK(e.code() == code);
  REQUIRE(e.problems().size() == 1);
  CHECK(e.problems()[0].field == field);
  CHECK(e.problems()[0].code == code);
  CHECK_FALSE(e.problems()[0].message.empty());
  CHECK(doc == before);
}

Json valid_doc() {
  return encode_op(realistic_ops()[0]);
}

Json with(Json doc, const std::string& key, Json value) {
  doc[key] = std::move(value);
  return doc;
}

Json nested_arrays(int depth) {
  Json v = "leaf";
  for (int i = 0; i < depth; ++i) {
    Json outer = Json::array();
    outer.push_back(std::move(v));
    v = std::move(outer);
  }
  return v;
}

TEST_CASE("op codec: the realistic ops fit the model") {
  // Keeps the round-trip fixtures honest if the model changes.
  for (const Op& op : realistic_ops()) {
    const EntityDef& e = model().require_entity(op.entity);
    CAPTURE(op.entity);
    CHECK(e.allows(op.kind));
    for (const auto& [name, value] : op.fields.items()) {
      CAPTURE(name);
      CHECK(e.field(name) != nullptr);
    }
  }
}

TEST_CASE("op codec: encode writes all eleven members with wire names") {
  const Op op = realistic_ops()[2];
  const Json doc = encode_op(op);
  CHECK(doc == Json::parse(R"({
    "op_id": "0192f3a4-5b6c-7d8e-9f01-23456789abcd",
    "device_id": "0192f3a4-0000-7aaa-8bbb-cccccccccccc",
    "user_id": "0192f3a4-1111-7222-9333-444444444444",
    "entity": "petitioner", "id": "0192f3a4-2222-7333-a444-555555555555",
    "kind": "delete", "fields": {}, "hlc": "1764137103000-0007",
    "base_version": 41, "schema_version": 1, "workflow_gen": 0})"));
}

TEST_CASE("op codec: decode(encode(op)) == op for every op kind") {
  std::vector<OpKind> kinds;
  for (const Op& op : realistic_ops()) {
    CAPTURE(to_string(op.kind));
    const Json doc = encode_op(op);
    CHECK(doc["kind"] == std::string(to_string(op.kind)));
    CHECK(decode_op(doc) == op);
    CHECK(decode_op_text(doc.dump()) == op);
    CHECK(decode_op_text(doc.dump(2)) == op);
    kinds.push_back(op.kind);
  }
  CHECK(kinds == std::vector<OpKind>{OpKind::create, OpKind::update, OpKind::remove, OpKind::reopen,
                                     OpKind::resolve});
}

TEST_CASE("op codec: encode(decode(json)) == json for every op kind") {
  const std::vector<std::string> texts = {
      R"({"op_id": "0192f3a4-5b6c-7d8e-9f01-23456789abcd", "device_id": "0192f3a4-0000-7aaa-8bbb-cccccccccccc",
          "user_id": "0192f3a4-1111-7222-9333-444444444444", "entity": "visit",
          "id": "0192f3a4-2222-7333-a444-555555555555", "kind": "create",
          "fields": {"case_id": "0192f3a4-4444-7555-8666-777777777777", "kind": "home",
                     "visited_at": "2026-11-26T06:05:03Z", "met": "Wang and his wife",
                     "leader_ids": {"add": ["0192f3a4-1111-7222-9333-444444444444"]},
                     "outcome": "Agreed to meet the plant director on Monday."},
          "hlc": "1764137103000-0000", "base_version": 0, "schema_version": 1, "workflow_gen": 0})",
      R"({"op_id": "0192f3a4-5b6c-7d8e-9f01-23456789abce", "device_id": "0192f3a4-0000-7aaa-8bbb-cccccccccccc",
          "user_id": "0192f3a4-1111-7222-9333-444444444444", "entity": "commitment",
          "id": "0192f3a4-2222-7333-a444-555555555556", "kind": "update",
          "fields": {"status": "done", "done_at": "2026-12-01T09:30:00.000Z", "how": "paid in full"},
          "hlc": "1764500000000-00ff", "base_version": 17, "schema_version": 1, "workflow_gen": 2})",
      R"({"op_id": "0192f3a4-5b6c-7d8e-9f01-23456789abcf", "device_id": "0192f3a4-0000-7aaa-8bbb-cccccccccccc",
          "user_id": "0192f3a4-1111-7222-9333-444444444444", "entity": "attachment",
          "id": "0192f3a4-2222-7333-a444-555555555557", "kind": "delete", "fields": {},
          "hlc": "1764500000001-0000", "base_version": 3, "schema_version": 1, "workflow_gen": 0})",
      R"({"op_id": "0192f3a4-5b6c-7d8e-9f01-23456789abd0", "device_id": "0192f3a4-0000-7aaa-8bbb-cccccccccccc",
          "user_id": "0192f3a4-1111-7222-9333-444444444444", "entity": "screening_sign",
          "id": "0192f3a4-2222-7333-a444-555555555558", "kind": "reopen",
          "fields": {"status": "open", "people": "three families from block 7"},
          "hlc": "1764500000002-0001", "base_version": 9, "schema_version": 1, "workflow_gen": 1})",
      R"({"op_id": "0192f3a4-5b6c-7d8e-9f01-23456789abd1", "device_id": "0192f3a4-0000-7aaa-8bbb-cccccccccccc",
          "user_id": "0192f3a4-1111-7222-9333-444444444444", "entity": "conflict",
          "id": "0192f3a4-2222-7333-a444-555555555559", "kind": "resolve",
          "fields": {"resolution": "2026-12-24", "resolution_note": "the later date is realistic"},
          "hlc": "1764500000003-0000", "base_version": 5, "schema_version": 2, "workflow_gen": 0})",
  };
  for (const auto& text : texts) {
    const Json doc = Json::parse(text);
    CAPTURE(doc["kind"]);
    CHECK(encode_op(decode_op(doc)) == doc);
    CHECK(encode_op(decode_op_text(text)) == doc);
  }
}

TEST_CASE("op codec: decoded members carry the document's values") {
  const Op op = decode_op(with(with(valid_doc(), "base_version", 12), "workflow_gen", 3));
  CHECK(op.op_id == kOpId);
  CHECK(op.entity == "case");
  CHECK(op.kind == OpKind::create);
  CHECK(op.hlc == Hlc{1764137103000, 7});
  CHECK(op.base_version == 12);
  CHECK(op.workflow_gen == 3);
  CHECK(op.fields.at("title") == "宿舍分配遗留问题 (dormitory allocation)");
}

TEST_CASE("op codec: limits are inclusive") {
  Json many = Json::object();
  for (std::size_t i = 0; i < kMaxFieldsPerOp; ++i) many["f" + std::to_string(i)] = 1;
  CHECK_NOTHROW(decode_op(with(valid_doc(), "fields", many)));
  CHECK_NOTHROW(decode_op(with(valid_doc(), "fields", {{"notes", nested_arrays(kMaxDepth)}})));
  CHECK_NOTHROW(decode_op(with(valid_doc(), "fields", {{"summary", Json::object()}})));
}

TEST_CASE("op codec malformed: not an object") {
  expect_single(Json::array({valid_doc()}), "not_object", "");
  expect_single(Json("op"), "not_object", "");
}

TEST_CASE("op codec malformed: a required member is missing") {
  Json doc = valid_doc();
  doc.erase("hlc");
  expect_single(doc, "missing", "hlc");
  doc = valid_doc();
  doc.erase("workflow_gen");
  expect_single(doc, "missing", "workflow_gen");
}

TEST_CASE("op codec malformed: a required member is null") {
  expect_single(with(valid_doc(), "user_id", nullptr), "null_member", "user_id");
  expect_single(with(valid_doc(), "fields", nullptr), "null_member", "fields");
}

TEST_CASE("op codec malformed: a member of the wrong JSON type") {
  expect_single(with(valid_doc(), "op_id", 42), "wrong_type", "op_id");
  expect_single(with(valid_doc(), "base_version", "3"), "wrong_type", "base_version");
  expect_single(with(valid_doc(), "base_version", 3.0), "wrong_type", "base_version");
  expect_single(with(valid_doc(), "schema_version", true), "wrong_type", "schema_version");
  expect_single(with(valid_doc(), "kind", Json::array({"create"})), "wrong_type", "kind");
}

TEST_CASE("op codec malformed: ids that are not canonical UUIDs") {
  expect_single(with(valid_doc(), "device_id", "tablet-17"), "invalid_uuid", "device_id");
  expect_single(with(valid_doc(), "id", "0192F3A4-2222-7333-A444-555555555555"), "invalid_uuid",
                "id");
  expect_single(with(valid_doc(), "op_id", "{0192f3a4-5b6c-7d8e-9f01-23456789abcd}"),
                "invalid_uuid", "op_id");
}

TEST_CASE("op codec malformed: unknown kind") {
  expect_single(with(valid_doc(), "kind", "upsert"), "unknown_kind", "kind");
  expect_single(with(valid_doc(), "kind", "remove"), "unknown_kind", "kind");
}

TEST_CASE("op codec malformed: invalid hlc") {
  expect_single(with(valid_doc(), "hlc", "2026-11-26T06:05:03Z"), "invalid_hlc", "hlc");
  expect_single(with(valid_doc(), "hlc", "1764137103000-00FF"), "invalid_hlc", "hlc");
}

TEST_CASE("op codec malformed: negative counters") {
  expect_single(with(valid_doc(), "base_version", -1), "negative", "base_version");
  expect_single(with(valid_doc(), "workflow_gen", -2), "negative", "workflow_gen");
}

TEST_CASE("op codec malformed: numbers beyond the integer range") {
  expect_single(with(valid_doc(), "base_version", std::uint64_t{18446744073709551615u}),
                "out_of_range", "base_version");
}

TEST_CASE("op codec malformed: bad schema_version") {
  expect_single(with(valid_doc(), "schema_version", 0), "bad_schema_version", "schema_version");
}

TEST_CASE("op codec malformed: unknown top-level member") {
  expect_single(with(valid_doc(), "priority", "high"), "unknown_member", "priority");
}

TEST_CASE("op codec malformed: empty entity") {
  expect_single(with(valid_doc(), "entity", ""), "empty", "entity");
}

TEST_CASE("op codec malformed: entity that is not a lower_snake_case name") {
  expect_single(with(valid_doc(), "entity", "Case"), "bad_entity_name", "entity");
  expect_single(with(valid_doc(), "entity", "urgent-report"), "bad_entity_name", "entity");
}

TEST_CASE("op codec malformed: fields that are not an object") {
  expect_single(with(valid_doc(), "fields", Json::array({"title"})), "fields_not_object", "fields");
}

TEST_CASE("op codec malformed: a field name that is not lower_snake_case") {
  expect_single(with(valid_doc(), "fields", {{"Title", "x"}}), "bad_field_name", "fields.Title");
}

TEST_CASE("op codec malformed: a change op with no fields") {
  Json doc = encode_op(realistic_ops()[1]);
  expect_single(with(doc, "fields", Json::object()), "fields_required", "fields");
  doc = encode_op(realistic_ops()[4]);
  expect_single(with(doc, "fields", Json::object()), "fields_required", "fields");
}

TEST_CASE("op codec malformed: a delete op with fields") {
  Json doc = encode_op(realistic_ops()[2]);
  expect_single(with(doc, "fields", {{"name", "Li"}}), "fields_forbidden", "fields");
}

TEST_CASE("op codec malformed: too many fields") {
  Json many = Json::object();
  for (std::size_t i = 0; i <= kMaxFieldsPerOp; ++i) many["f" + std::to_string(i)] = 1;
  expect_single(with(valid_doc(), "fields", many), "too_many_fields", "fields");
}

TEST_CASE("op codec malformed: a field value nested too deep") {
  expect_single(with(valid_doc(), "fields", {{"notes", nested_arrays(kMaxDepth + 1)}}), "too_deep",
                "fields.notes");
}

TEST_CASE("op codec malformed text: nesting far deeper than a recursive walk survives") {
  const int depth = 100'000;  // ~200 KB of text, under kMaxOpBytes
  std::string text = valid_doc().dump();
  const std::string key = "\"notes\":";
  const auto at = text.find(key);
  REQUIRE(at != std::string::npos);
  text.insert(at + key.size(), std::string(depth, '[') + "1" + std::string(depth, ']') + ",\"x\":");
  REQUIRE(text.size() < kMaxOpBytes);
  Error e = text_refusal(text);
  CHECK(e.domain() == ErrorDomain::codec);
  CHECK(e.code() == "too_deep");
  CHECK(has_problem(e, "fields.notes", "too_deep"));
}

TEST_CASE("op codec malformed: a field value too large") {
  const std::string big(kMaxOpBytes, 'x');  // serialised with quotes: 2 bytes over
  expect_single(with(valid_doc(), "fields", {{"summary", big}}), "too_large", "fields.summary");
}

TEST_CASE("op codec malformed: the whole op too large") {
  const std::string half(kMaxOpBytes / 2, 'x');
  expect_single(with(valid_doc(), "fields", {{"summary", half}, {"title", half}}), "too_large", "");
}

TEST_CASE("op codec malformed text: not JSON") {
  Error e = text_refusal(R"({"op_id": "0192f3a4-5b6c-7d8e-9f01-23456789abcd", )");
  CHECK(e.domain() == ErrorDomain::codec);
  CHECK(e.code() == "invalid_json");
  CHECK(has_problem(e, "", "invalid_json"));
  CHECK(text_refusal("").code() == "invalid_json");
  CHECK(text_refusal("{\"title\": \"\xff\"}").code() == "invalid_json");  // not UTF-8
}

TEST_CASE("op codec malformed text: over the size limit, refused before parsing") {
  // Not JSON either: too_large rather than invalid_json shows the parser never ran.
  const std::string text(kMaxOpBytes + 1, '[');
  Error e = text_refusal(text);
  CHECK(e.domain() == ErrorDomain::codec);
  CHECK(e.code() == "too_large");
  CHECK(has_problem(e, "", "too_large"));
}

TEST_CASE("op codec malformed text: a member named twice") {
  std::string text = valid_doc().dump();
  text.insert(1, "\"kind\": \"delete\", ");
  Error e = text_refusal(text);
  CHECK(e.domain() == ErrorDomain::codec);
  CHECK(e.code() == "duplicate_member");
  CHECK(has_problem(e, "kind", "duplicate_member"));
}

TEST_CASE("op codec: every problem in one op is reported") {
  Json doc = valid_doc();
  doc["op_id"] = 42;
  doc["entity"] = "";
  doc["kind"] = "upsert";
  doc["base_version"] = -1;
  doc.erase("hlc");
  doc["color"] = "red";
  doc["fields"]["Bad"] = 1;
  doc["fields"]["notes"] = nested_arrays(kMaxDepth + 3);
  const Json before = doc;
  Error e = refusal(doc);
  CAPTURE(e.what());
  CHECK(e.domain() == ErrorDomain::codec);
  CHECK(e.code() == "wrong_type");  // the first problem found: op_id
  CHECK(e.problems().size() == 8);
  CHECK(has_problem(e, "op_id", "wrong_type"));
  CHECK(has_problem(e, "entity", "empty"));
  CHECK(has_problem(e, "kind", "unknown_kind"));
  CHECK(has_problem(e, "base_version", "negative"));
  CHECK(has_problem(e, "hlc", "missing"));
  CHECK(has_problem(e, "color", "unknown_member"));
  CHECK(has_problem(e, "fields.Bad", "bad_field_name"));
  CHECK(has_problem(e, "fields.notes", "too_deep"));
  CHECK(std::string(e.what()).find("8 problems") != std::string::npos);
  CHECK(doc == before);
}

TEST_CASE("op codec: a failed decode changes nothing") {
  // decode_op is pure: the same malformed input gives the same refusal twice and is left as
  // it was; a valid document decodes to the same op before and after a failure.
  const std::vector<Json> bad = {
      with(valid_doc(), "op_id", 42),
      with(valid_doc(), "kind", "upsert"),
      with(valid_doc(), "fields", Json::array()),
      with(valid_doc(), "extra", {{"a", 1}}),
      with(valid_doc(), "hlc", nullptr),
  };
  const Op good = decode_op(valid_doc());
  for (const Json& doc : bad) {
    const Json before = doc;
    const Error first = refusal(doc);
    const Error second = refusal(doc);
    CHECK(doc == before);
    CHECK(first.code() == second.code());
    CHECK(first.problems() == second.problems());
    CHECK(decode_op(valid_doc()) == good);
  }
}

}  // namespace
}  // namespace fieldsync
