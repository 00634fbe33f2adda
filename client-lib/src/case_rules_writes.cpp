// The petition rules on the tablet: what follows from every case or petitioner write (origin
// unit, resolved/closed times, the tablet's kind flags) and the case's own writes (leader,
// transfer, handling path, manual flags, five packages, three meetings, follow-up, resolve,
// close). Each call writes all its ops in one transaction or nothing; the refusals come from
// the core's validation (domain/case_rules.h), so the server gives the same codes.
#include <algorithm>
#include <optional>

#include "case_typology.h"
#include "client_impl.h"
#include "fieldsync/core/domain/typology.h"
#include "fieldsync/core/error.h"
#include "fieldsync/core/uuid.h"
#include "time_text.h"

namespace fieldsync::client {
namespace {

std::string status_of(const Row& row) {
  return row.values.value("status", "");
}

// True when `fields` move the case's status to `state` from another state.
bool moves_to(const Json& fields, const std::optional<Row>& current, const char* state) {
  if (!fields.contains("status") || fields["status"] != state) return false;
  return !current || status_of(*current) != state;
}

Json reason_or_null(const std::string& reason) {
  return reason.empty() ? Json(nullptr) : Json(reason);
}

}  // namespace

Op Client::Impl::write_case_part(OpKind kind, const std::string& entity, const std::string& id,
                                 Json fields) {
  if (entity == "case" && fields.is_object()) {
    for (const auto& [computed, value] : fields.items())
      if (domain::is_computed_field(entity, computed))
        throw_problems(std::string(to_string(kind)) + " of case " + id,
                       {{std::string("fields.") + computed, "computed_field",
                         std::string(computed) +
                             " is computed from the case and its petitioners; set "
                             "abnormal_reason or long_standing_reason for the flags a person "
                             "decides"}});
    // The stored case matters only to stamp a move to resolved or closed.
    const std::optional<Row> current =
        fields.contains("status") ? store().replica.find("case", id) : std::nullopt;
    const std::string now = format_time(clock->now_ms());
    if (kind == OpKind::create && !fields.contains("origin_unit_id") && fields.contains("unit_id"))
      fields["origin_unit_id"] = fields["unit_id"];
    if (kind == OpKind::create) fields["kind_flags"] = new_case_flags(store(), fields);
    if (moves_to(fields, current, "resolved") && !fields.contains("resolved_at"))
      fields["resolved_at"] = now;
    if (moves_to(fields, current, "closed") && !fields.contains("closed_at"))
      fields["closed_at"] = now;
  }
  WriteScope tx(store().db);
  OpWriter op_writer(store(), model, hlc, *clock, *random);
  Op op = op_writer.write(writer(), kind, entity, id, fields);
  std::string case_id = id;
  if (entity == "petitioner") {
    const auto p = store().replica.find("petitioner", id);
    case_id = p ? p->values.value("case_id", "") : "";
  }
  if (!case_id.empty() && domain::affects_kind_flags(op)) refresh_kind_flags(case_id);
  tx.commit();
  return op;
}

void Client::Impl::refresh_kind_flags(const std::string& case_id) {
  const auto row = store().replica.find("case", case_id);
  if (!row || row->deleted) return;
  const Json change = tablet_flags_change(store(), *row);
  if (change.empty()) return;
  OpWriter op_writer(store(), model, hlc, *clock, *random);
  op_writer.write(writer(), OpKind::update, "case", case_id, change);
}

std::string Client::assign_leader(const std::string& case_id, const std::string& leader_id,
                                  const std::string& note) {
  const Row c = impl_->require_row("case", case_id);
  const std::int64_t now = impl_->clock->now_ms();
  Json assignment = {{"case_id", case_id},
                     {"leader_id", leader_id},
                     {"assigned_at", format_time(now)},
                     {"assigned_by_id", impl_->writer().user_id}};
  if (!note.empty()) assignment["note"] = note;
  Json change = {{"responsible_leader_id", leader_id}};
  if (status_of(c) == "received") change["status"] = "assigned";
  const std::string id = make_uuid_v7(std::max<std::int64_t>(0, now), *impl_->random);
  WriteScope tx(impl_->store().db);
  impl_->write(OpKind::create, "leader_assignment", id, assignment);
  impl_->write(OpKind::update, "case", case_id, change);
  tx.commit();
  return id;
}

std::string Client::transfer_case(const std::string& case_id, const std::string& to_unit_id,
                                  const std::string& reason) {
  const Row c = impl_->require_row("case", case_id);
  if (impl_->store().state.get_or(state_key::role, "") == "field_leader")
    throw Error(ErrorDomain::scope, "forbidden",
                "moving a case to another unit needs a unit reviewer or the central office; "
                "ask them to transfer it");
  if (c.unit_id == to_unit_id)
    throw_problems("the transfer of case " + case_id,
                   {{"fields.to_unit_id", "same_unit", "the case is owned by that unit already"}});
  const std::int64_t now = impl_->clock->now_ms();
  const Json transfer = {{"case_id", case_id},
                         {"from_unit_id", c.unit_id},
                         {"to_unit_id", to_unit_id},
                         {"by_user_id", impl_->writer().user_id},
                         {"transferred_at", format_time(now)},
                         {"reason", reason}};
  const std::string id = make_uuid_v7(std::max<std::int64_t>(0, now), *impl_->random);
  WriteScope tx(impl_->store().db);
  impl_->write(OpKind::create, "case_transfer", id, transfer);
  impl_->write(OpKind::update, "case", case_id, {{"unit_id", to_unit_id}});
  tx.commit();
  return id;
}

void Client::set_handling_path(const std::string& case_id, const std::string& path) {
  update_case(case_id, {{"handling_path", path}});
}

void Client::mark_abnormal(const std::string& case_id, const std::string& reason) {
  update_case(case_id, {{"abnormal_reason", reason_or_null(reason)}});
}

void Client::mark_long_standing(const std::string& case_id, const std::string& reason) {
  update_case(case_id, {{"long_standing_reason", reason_or_null(reason)}});
}

void Client::set_five_packages(const std::string& case_id, const std::vector<std::string>& done) {
  update_case(case_id, {{"five_packages", done}});
}

void Client::acknowledge(const std::string& case_id, const std::string& who,
                         const std::string& at) {
  if (who != "leader" && who != "unit" && who != "writer")
    throw_problems("the acknowledgement of case " + case_id,
                   {{"who", "bad_acknowledgement",
                     "a first letter is acknowledged by the leader, the unit or the writer, "
                     "not \"" +
                         who + "\""}});
  update_case(case_id,
              {{"ack_" + who + "_at", at.empty() ? format_time(impl_->clock->now_ms()) : at}});
}

void Client::record_follow_up(const std::string& case_id, bool satisfied) {
  update_case(case_id, {{"petitioner_satisfied", satisfied}, {"follow_up_contacts", 1}});
}

void Client::resolve_case(const std::string& case_id) {
  update_case(case_id, {{"status", "resolved"}});
}

void Client::close_case(const std::string& case_id) {
  update_case(case_id, {{"status", "closed"}});
}

}  // namespace fieldsync::client
