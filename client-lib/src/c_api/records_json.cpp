#include "records_json.h"

namespace fieldsync::client::c_api {
namespace {

Json to_json(const HistoryEntry& entry) {
  return {{"hlc", entry.hlc},       {"device_id", entry.device_id}, {"user_id", entry.user_id},
          {"op_id", entry.op_id},   {"entity", entry.entity},       {"row_id", entry.row_id},
          {"kind", entry.kind},     {"fields", entry.fields},       {"values", entry.values},
          {"source", entry.source}, {"state", entry.state},         {"version", entry.version}};
}

Json to_json(const Problem& problem) {
  return {{"field", problem.field}, {"code", problem.code}, {"message", problem.message}};
}

Json to_json(const RejectedOp& op) {
  Json problems = Json::array();
  for (const Problem& p : op.problems) problems.push_back(to_json(p));
  return {{"op_id", op.op_id},   {"entity", op.entity}, {"row_id", op.row_id}, {"kind", op.kind},
          {"fields", op.fields}, {"hlc", op.hlc},       {"problems", problems}};
}

Json to_json(const LastError& error) {
  return {
      {"domain", error.domain}, {"code", error.code}, {"message", error.message}, {"at", error.at}};
}

}  // namespace

Json to_json(const Record& record) {
  return {{"entity", record.entity},
          {"id", record.id},
          {"unit_id", record.unit_id},
          {"version", record.version},
          {"local_changes", record.local_changes},
          {"values", record.values},
          {"created_by", record.created_by},
          {"created_at", record.created_at},
          {"updated_by", record.updated_by},
          {"updated_at", record.updated_at}};
}

Json to_json(const std::vector<Record>& records) {
  Json out = Json::array();
  for (const Record& r : records) out.push_back(to_json(r));
  return out;
}

Json to_json(const CaseList& list) {
  Json out = Json::array();
  for (const CaseSummary& s : list.cases)
    out.push_back({{"case", to_json(s.row)},
                   {"open_commitments", s.open_commitments},
                   {"overdue_commitments", s.overdue_commitments},
                   {"overdue", s.overdue},
                   {"late_reports", s.late_reports},
                   {"missing_report", s.missing_report},
                   {"open_conflicts", s.open_conflicts},
                   {"kind_flags", s.kind_flags}});
  return out;
}

Json to_json(const CaseDetail& detail) {
  Json visits = Json::array();
  for (const VisitRecord& v : detail.visits)
    visits.push_back({{"visit", to_json(v.visit)}, {"corrections", to_json(v.corrections)}});
  Json history = Json::array();
  for (const HistoryEntry& h : detail.history) history.push_back(to_json(h));
  return {{"case", to_json(detail.case_row)},
          {"petitioners", to_json(detail.petitioners)},
          {"visits", visits},
          {"commitments", to_json(detail.commitments)},
          {"urgent_reports", to_json(detail.urgent_reports)},
          {"open_conflicts", to_json(detail.open_conflicts)},
          {"history", history},
          {"flags",
           {{"tablet", detail.flags.tablet},
            {"office", detail.flags.office},
            {"repeat_of_case_ids", detail.flags.repeat_of_case_ids},
            {"flags_differ", detail.flags.differ}}},
          {"acknowledgements",
           {{"leader_at", detail.acknowledgements.leader_at},
            {"unit_at", detail.acknowledgements.unit_at},
            {"writer_at", detail.acknowledgements.writer_at}}},
          {"leader_history", to_json(detail.leader_history)},
          {"transfers", to_json(detail.transfers)}};
}

Json to_json(const SyncReport& report) {
  return {{"accepted", report.accepted},
          {"conflicts", report.conflicts},
          {"duplicates", report.duplicates},
          {"rejected", report.rejected},
          {"failed", report.failed},
          {"held", report.held},
          {"rows_received", report.rows_received},
          {"cursor", report.cursor},
          {"snapshot", report.snapshot},
          {"cancelled", report.cancelled}};
}

Json to_json(const HeldOp& op) {
  return {{"op_id", op.op_id},
          {"entity", op.entity},
          {"row_id", op.row_id},
          {"kind", op.kind},
          {"server_failures", op.server_failures},
          {"message", op.message},
          {"at", op.at}};
}

Json to_json(const SyncStatus& status) {
  Json rejected = Json::array();
  for (const RejectedOp& op : status.rejected) rejected.push_back(to_json(op));
  Json held = Json::array();
  for (const HeldOp& op : status.held) held.push_back(to_json(op));
  return {{"device_id", status.device_id},
          {"user_id", status.user_id},
          {"unit_id", status.unit_id},
          {"role", status.role},
          {"signed_in", status.signed_in},
          {"pending_ops", status.pending_ops},
          {"rejected", rejected},
          {"held", held},
          {"open_conflicts", status.open_conflicts},
          {"snapshot_done", status.snapshot_done},
          {"cursor", status.cursor},
          {"last_sync_at", status.last_sync_at ? Json(*status.last_sync_at) : Json(nullptr)},
          {"last_error", status.last_error ? to_json(*status.last_error) : Json(nullptr)}};
}

}  // namespace fieldsync::client::c_api
