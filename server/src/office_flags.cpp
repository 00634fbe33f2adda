#include "office_flags.h"

#include <algorithm>
#include <set>
#include <string>
#include <tuple>

#include "auth/directory_writer.h"
#include "auth/time_text.h"
#include "fieldsync/core/domain/typology.h"
#include "fieldsync/core/error.h"
#include "fieldsync/core/uuid.h"
#include "fieldsync/server/server_identity.h"

namespace fieldsync::server::detail {
namespace {

bool applied(const sqlite::OpResult& r) {
  return r.status == sqlite::OpStatus::accepted || r.status == sqlite::OpStatus::conflict;
}

std::vector<std::string> column(sqlite::Statement& st) {
  std::vector<std::string> out;
  while (st.step()) out.push_back(st.column_text(0));
  st.reset();
  return out;
}

// Recomputes the cases of one batch against the identity index.
class OfficeFlags {
 public:
  OfficeFlags(sqlite::Database& db, const Model& model, sqlite::OpApplier& applier,
              std::int64_t now_ms)
      : db_(db), model_(model), applier_(applier), now_ms_(now_ms) {}

  void run(const std::vector<Op>& ops, const std::vector<sqlite::OpResult>& results) {
    std::vector<std::string> touched;
    for (std::size_t i = 0; i < ops.size() && i < results.size(); ++i) {
      if (!applied(results[i]) || !domain::affects_kind_flags(ops[i])) continue;
      std::string case_id;
      if (ops[i].entity == "case") {
        case_id = ops[i].id;
      } else if (ops[i].entity == "petitioner") {
        if (auto p = applier_.rows().find("petitioner", ops[i].id))
          case_id = p->values.value("case_id", "");
      }
      if (!case_id.empty() && std::find(touched.begin(), touched.end(), case_id) == touched.end())
        touched.push_back(case_id);
    }
    for (const std::string& id : touched) reindex(id);
    std::set<std::string> done;
    for (const std::string& id : touched) {
      if (!done.insert(id).second) continue;
      const auto later = recompute(id);
      for (const std::string& other : later)
        if (done.insert(other).second) recompute(other);
    }
  }

 private:
  std::vector<Row> petitioners_of(const std::string& case_id) {
    sqlite::Statement& st =
        db_.prepare_cached("SELECT id FROM entity_petitioner WHERE case_id = ?1 AND deleted = 0");
    st.bind(1, case_id);
    std::vector<Row> rows;
    for (const std::string& id : column(st))
      if (auto r = applier_.rows().find("petitioner", id)) rows.push_back(std::move(*r));
    return rows;
  }

  std::vector<std::string> keys_of(const std::string& case_id) {
    sqlite::Statement& st = db_.prepare_cached(
        "SELECT DISTINCT identity_key FROM petitioner_identity WHERE case_id = ?1");
    st.bind(1, case_id);
    return column(st);
  }

  // Replaces the case's entries in the identity index by those of its live petitioners.
  void reindex(const std::string& case_id) {
    sqlite::Statement& drop =
        db_.prepare_cached("DELETE FROM petitioner_identity WHERE case_id = ?1");
    drop.bind(1, case_id);
    drop.run();
    const auto case_row = applier_.rows().find("case", case_id);
    if (!case_row || case_row->deleted) return;
    sqlite::Statement& add = db_.prepare_cached(
        "INSERT OR REPLACE INTO petitioner_identity (identity_key, petitioner_id, case_id)"
        " VALUES (?1, ?2, ?3)");
    for (const Row& p : petitioners_of(case_id)) {
      const std::string key = domain::identity_key(domain::petitioner_facts(p));
      if (key.empty()) continue;
      add.bind(1, key);
      add.bind(2, p.id);
      add.bind(3, case_id);
      add.run();
    }
  }

  // Writes the case's office flags when they changed; returns the LATER cases sharing an
  // identity with it, whose repeat links may depend on it.
  std::vector<std::string> recompute(const std::string& case_id) {
    const auto row = applier_.rows().find("case", case_id);
    if (!row || row->deleted) return {};
    const std::vector<std::string> keys = keys_of(case_id);
    sqlite::Statement& same = db_.prepare_cached(
        "SELECT DISTINCT case_id FROM petitioner_identity WHERE identity_key = ?1"
        " AND case_id <> ?2");
    std::set<std::string> other_ids;
    for (const std::string& key : keys) {
      same.bind(1, key);
      same.bind(2, case_id);
      for (std::string& id : column(same)) other_ids.insert(std::move(id));
    }
    std::vector<domain::OtherCase> others;
    std::vector<std::string> later;
    const domain::CaseProfile facts = domain::case_profile(*row, petitioners_of(case_id));
    for (const std::string& id : other_ids) {
      const auto other = applier_.rows().find("case", id);
      if (!other || other->deleted) continue;
      domain::OtherCase o = domain::other_case(*other, {});
      o.identity_keys = keys_of(id);
      if (std::tie(o.received_at, o.id) > std::tie(facts.received_at, facts.id))
        later.push_back(id);
      others.push_back(std::move(o));
    }
    std::string owner_kind;
    if (auto unit = applier_.rows().find("unit", row->unit_id))
      owner_kind = unit->values.value("kind", "");
    const domain::KindFlags flags = domain::compute_kind_flags(facts, owner_kind, others);
    Json fields = domain::kind_flags_change(*row, flags, "office_kind_flags");
    if (!fields.empty()) write(*row, std::move(fields));
    return later;
  }

  void write(const Row& row, Json fields) {
    Op op;
    op.entity = "case";
    op.id = row.id;
    op.kind = OpKind::update;
    op.fields = std::move(fields);
    op.user_id = system_user_id();
    op.device_id = server_device_id();
    op.base_version = row.version;
    op.schema_version = model_.schema_version();
    op.hlc = next_server_stamp(db_, now_ms_);
    op.op_id = make_uuid_from_name("office_kind_flags|" + row.id + "|" + op.hlc.to_string());
    const sqlite::OpResult r = applier_.apply_within(op, utc_text(now_ms_), Author::server);
    if (r.status != sqlite::OpStatus::accepted) {
      std::string text = "the store refused the office flags of case " + row.id + ":";
      for (const Problem& p : r.problems) text += " " + p.field + ": " + p.message + ";";
      throw Error(ErrorDomain::internal, "op_rejected", text, r.problems);
    }
  }

  sqlite::Database& db_;
  const Model& model_;
  sqlite::OpApplier& applier_;
  std::int64_t now_ms_;
};

}  // namespace

void refresh_office_flags(sqlite::Database& db, const Model& model, sqlite::OpApplier& applier,
                          const std::vector<Op>& ops, const std::vector<sqlite::OpResult>& results,
                          std::int64_t now_ms) {
  OfficeFlags(db, model, applier, now_ms).run(ops, results);
}

}  // namespace fieldsync::server::detail
