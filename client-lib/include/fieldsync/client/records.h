#pragma once
// What the tablet library's reads return: rows of the local view as JSON payloads (field
// names and value forms as in schema/model.json and docs/protocol.md), grouped the way a
// leader looks at a case.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fieldsync/core/domain/case_filter.h"
#include "fieldsync/core/model.h"

namespace fieldsync::client {

// One row as the device shows it: confirmed server state with this device's pending ops
// applied on top. `local_changes` is true while some of what it shows is not confirmed yet.
// created_at / updated_at are HLC texts ("<13-digit ms>-<counter>") of the writing device.
struct Record {
  std::string entity;
  std::string id;
  std::string unit_id;
  std::int64_t version = 0;  // server version of the confirmed state it rests on (0: none)
  bool local_changes = false;
  Json values = Json::object();
  std::string created_by;
  std::string created_at;
  std::string updated_by;
  std::string updated_at;
};

// Which cases list_cases() returns. Filters combine with AND.
struct CaseQuery {
  // Cases whose responsible leader is the signed-in user, or that they created.
  bool mine = false;
  // The date overdue is judged on ("YYYY-MM-DD"); empty: today by the device clock.
  std::optional<std::string> today;
  // The reviewer's criteria, as GET /v1/cases, judged on this device with the same core rules
  // (fieldsync/core/domain/) and the device clock: status, leader, overdue (an open
  // commitment due before `today`, or a feedback date before `today` while the case is not
  // resolved or closed), collective / repeat / skip-level (the office's kind flags when it
  // has computed them, else the tablet's), late and missing urgent reports (judged with the
  // default threshold, domain::kDefaultUrgentReportThresholdMs, unless the server has stamped
  // them) and open conflicts.
  domain::CaseFilter filter;
};

struct CaseSummary {
  Record row;
  int open_commitments = 0;     // commitments not done
  int overdue_commitments = 0;  // of those, due before CaseList::today
  bool overdue = false;         // domain::case_overdue on CaseList::today
  int late_reports = 0;
  bool missing_report = false;
  int open_conflicts = 0;
  std::vector<std::string> kind_flags;  // the flags that count (the office's, else the tablet's)
};

struct CaseList {
  std::vector<CaseSummary> cases;  // ordered by received_at, newest first, then id
  std::string today;               // the date overdue was judged on
  // True when `today` came from the device clock (which may be wrong), not from the caller.
  bool today_from_device_clock = true;
};

struct VisitRecord {
  Record visit;
  // Visits recorded later that correct this one (corrects_visit_id), oldest first. A
  // correction of a correction is listed here too, under the visit first corrected.
  std::vector<Record> corrections;
};

// One change to a row of a case, as far as this device knows it:
//  - source "outbox": an op this device made, with its fields and its sync state;
//  - source "stamps": the last write of the listed fields by anyone (from the rows' per-field
//    stamps), for changes made on other devices. Older overwritten changes of other devices
//    are in the server's op log, not on the device.
struct HistoryEntry {
  std::string hlc;  // when, by the writing device's hybrid clock
  std::string device_id;
  std::string user_id;
  std::string op_id;
  std::string entity;
  std::string row_id;
  std::string kind;                 // op kind ("create", "update", ...); empty for "stamps"
  std::vector<std::string> fields;  // fields written
  Json values = Json::object();     // outbox: the op's fields as sent
  std::string source;               // "outbox" or "stamps"
  // outbox: "pending", "sent", "accepted", "conflict" or "rejected"; stamps: "confirmed" or
  // "local" (written by a pending op of this device).
  std::string state;
  std::int64_t version = 0;  // server version of the write (0: not confirmed)
};

// The kind flags as the tablet computed them (kind_flags) and as the office recomputed them
// from everything it holds (office_kind_flags, empty until the server has seen the case).
// `differ` is true when the office has computed them and they are not the tablet's: an
// earlier case of the same people that only the office holds, for instance.
struct CaseFlags {
  std::vector<std::string> tablet;
  std::vector<std::string> office;
  std::vector<std::string> repeat_of_case_ids;
  bool differ = false;
};

// Three meetings of a first letter: when the leader, the competent unit and the writer saw
// it (RFC 3339; empty: not yet).
struct Acknowledgements {
  std::string leader_at;
  std::string unit_at;
  std::string writer_at;
};

struct CaseDetail {
  Record case_row;
  CaseFlags flags;
  Acknowledgements acknowledgements;
  std::vector<Record> leader_history;  // leader_assignment rows, oldest first
  std::vector<Record> transfers;       // case_transfer rows, oldest first
  std::vector<Record> petitioners;
  std::vector<VisitRecord> visits;  // by visited_at
  std::vector<Record> commitments;  // by due_date
  std::vector<Record> urgent_reports;
  std::vector<Record> open_conflicts;  // on the case or on any of its rows
  std::vector<HistoryEntry> history;   // oldest first
};

}  // namespace fieldsync::client
