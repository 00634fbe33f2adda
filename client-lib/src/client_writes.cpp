// Client's writes: the generic write and the domain helpers that fill in what a leader should
// not have to type (ids, the case a row belongs to, initial states, device times).
#include "client_impl.h"
#include "fieldsync/core/error.h"
#include "fieldsync/core/uuid.h"
#include "time_text.h"

namespace fieldsync::client {
namespace {

Json object_or_empty(const Json& fields) {
  return fields.is_null() ? Json::object() : fields;
}

void require_object(const Json& fields, const std::string& what) {
  if (!fields.is_object())
    throw_problems(what, {{"fields", "fields_not_object", "fields must be a JSON object"}});
}

// Sets `name` unless the caller gave it.
void default_to(Json& fields, const char* name, const Json& value) {
  if (!fields.contains(name)) fields[name] = value;
}

}  // namespace

std::string Client::write(OpKind kind, const std::string& entity, const std::string& id,
                          const Json& fields) {
  return impl_->write(kind, entity, id, object_or_empty(fields)).op_id;
}

std::string Client::create_case(const Json& given) {
  Json fields = object_or_empty(given);
  require_object(fields, "the new case");
  const std::string unit = impl_->store().state.get_or(state_key::unit_id, "");
  if (!unit.empty()) default_to(fields, "unit_id", unit);
  default_to(fields, "status", "received");
  default_to(fields, "received_at", format_time(impl_->clock->now_ms()));
  const std::string id =
      make_uuid_v7(std::max<std::int64_t>(0, impl_->clock->now_ms()), *impl_->random);
  impl_->write(OpKind::create, "case", id, fields);
  return id;
}

void Client::update_case(const std::string& case_id, const Json& fields) {
  impl_->require_row("case", case_id);
  impl_->write(OpKind::update, "case", case_id, object_or_empty(fields));
}

namespace {

// A new row of `entity` belonging to the case `case_id`, which must be on the device.
std::string add_to_case(Client::Impl& impl, const std::string& entity, const std::string& case_id,
                        Json fields) {
  impl.require_row("case", case_id);
  require_object(fields, "the new " + entity);
  fields["case_id"] = case_id;
  const std::string id =
      make_uuid_v7(std::max<std::int64_t>(0, impl.clock->now_ms()), *impl.random);
  impl.write(OpKind::create, entity, id, fields);
  return id;
}

}  // namespace

std::string Client::add_petitioner(const std::string& case_id, const Json& fields) {
  return add_to_case(*impl_, "petitioner", case_id, object_or_empty(fields));
}

std::string Client::add_visit(const std::string& case_id, const Json& given) {
  Json fields = object_or_empty(given);
  require_object(fields, "the new visit");
  default_to(fields, "visited_at", format_time(impl_->clock->now_ms()));
  return add_to_case(*impl_, "visit", case_id, fields);
}

std::string Client::correct_visit(const std::string& visit_id, const Json& given) {
  const Row original = impl_->require_row("visit", visit_id);
  Json fields = object_or_empty(given);
  require_object(fields, "the correction");
  for (const char* name : {"kind", "visited_at"})
    if (original.values.contains(name)) default_to(fields, name, original.values[name]);
  fields["corrects_visit_id"] = visit_id;
  return add_to_case(*impl_, "visit", original.values.value("case_id", ""), fields);
}

std::string Client::add_commitment(const std::string& case_id, const Json& given) {
  Json fields = object_or_empty(given);
  require_object(fields, "the new commitment");
  default_to(fields, "status", "open");
  return add_to_case(*impl_, "commitment", case_id, fields);
}

void Client::complete_commitment(const std::string& commitment_id, const std::string& done_at) {
  impl_->require_row("commitment", commitment_id);
  impl_->write(OpKind::update, "commitment", commitment_id,
               {{"status", "done"},
                {"done_at", done_at.empty() ? format_time(impl_->clock->now_ms()) : done_at}});
}

std::string Client::file_urgent_report(const std::string& case_id, const Json& given) {
  Json fields = object_or_empty(given);
  require_object(fields, "the urgent report");
  std::string unit = impl_->store().state.get_or(state_key::unit_id, "");
  if (!case_id.empty()) {
    unit = impl_->require_row("case", case_id).unit_id;
    fields["case_id"] = case_id;
  }
  if (!unit.empty()) default_to(fields, "unit_id", unit);
  default_to(fields, "known_at", format_time(impl_->clock->now_ms()));
  const std::string id =
      make_uuid_v7(std::max<std::int64_t>(0, impl_->clock->now_ms()), *impl_->random);
  impl_->write(OpKind::create, "urgent_report", id, fields);
  return id;
}

void Client::reopen_case(const std::string& case_id, const std::string& reason) {
  impl_->require_row("case", case_id);  // the core refuses an empty reason
  impl_->write(OpKind::reopen, "case", case_id,
               {{"status", "in_progress"}, {"reopen_reason", reason}});
}

void Client::resolve_conflict(const std::string& conflict_id, const Json& value,
                              const std::string& note) {
  impl_->require_row("conflict", conflict_id);
  Json fields = {{"resolution", value}};
  if (!note.empty()) fields["resolution_note"] = note;
  impl_->write(OpKind::resolve, "conflict", conflict_id, fields);
}

}  // namespace fieldsync::client
