#include "fieldsync/core/row.h"

#include "fieldsync/core/error.h"

namespace fieldsync {

Json row_to_json(const Row& row) {
  return {{"entity", row.entity},         {"id", row.id},
          {"unit_id", row.unit_id},       {"version", row.version},
          {"deleted", row.deleted},       {"values", row.values},
          {"stamps", row.stamps},         {"extra", row.extra},
          {"created_by", row.created_by}, {"created_at", row.created_at},
          {"updated_by", row.updated_by}, {"updated_at", row.updated_at}};
}

Row row_from_json(const Json& doc) {
  auto fail = [](const std::string& field, const std::string& message) {
    throw Error(ErrorDomain::codec, "bad_row", field + ": " + message,
                {{field, "bad_row", message}});
  };
  if (!doc.is_object()) fail("", "a row must be a JSON object");
  auto text = [&](const char* key) {
    auto it = doc.find(key);
    if (it == doc.end() || !it->is_string()) fail(key, "must be a string");
    return it->get<std::string>();
  };
  auto object = [&](const char* key) {
    auto it = doc.find(key);
    if (it == doc.end() || !it->is_object()) fail(key, "must be an object");
    return *it;
  };
  Row row;
  row.entity = text("entity");
  row.id = text("id");
  row.unit_id = text("unit_id");
  auto version = doc.find("version");
  if (version == doc.end() || !version->is_number_integer()) fail("version", "must be an integer");
  row.version = version->get<std::int64_t>();
  auto deleted = doc.find("deleted");
  if (deleted == doc.end() || !deleted->is_boolean()) fail("deleted", "must be a boolean");
  row.deleted = deleted->get<bool>();
  row.values = object("values");
  row.stamps = object("stamps");
  row.extra = object("extra");
  row.created_by = text("created_by");
  row.created_at = text("created_at");
  row.updated_by = text("updated_by");
  row.updated_at = text("updated_at");
  return row;
}

}  // namespace fieldsync
