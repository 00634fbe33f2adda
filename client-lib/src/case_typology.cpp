#include "case_typology.h"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "fieldsync/core/domain/typology.h"

namespace fieldsync::client {
namespace {

std::string text_or_empty(sqlite::Statement& st, int column) {
  return st.is_null(column) ? std::string() : st.column_text(column);
}

// The live petitioners of a case, read from their indexed columns: a collective case has
// dozens, and every write to it asks again, so no row is decoded whole.
std::vector<domain::PetitionerFacts> petitioners_of(LocalStore& store, const std::string& case_id) {
  sqlite::Statement& st = store.db.prepare_cached(
      "SELECT name, id_number, phone FROM entity_petitioner WHERE case_id = ?1 AND deleted = 0"
      " ORDER BY id");
  st.bind(1, case_id);
  std::vector<domain::PetitionerFacts> out;
  while (st.step())
    out.push_back({text_or_empty(st, 0), text_or_empty(st, 1), text_or_empty(st, 2)});
  st.reset();
  return out;
}

// The other cases on the device with a petitioner of one of `keys`, with all their keys. The
// device holds only its units' petitioners, so one pass over them is cheap.
std::vector<domain::OtherCase> others_sharing(LocalStore& store, const std::string& case_id,
                                              const std::set<std::string>& keys) {
  std::map<std::string, std::vector<std::string>> keys_by_case;
  sqlite::Statement& st = store.db.prepare_cached(
      "SELECT case_id, name, id_number, phone FROM entity_petitioner"
      " WHERE deleted = 0 AND case_id <> ?1");
  st.bind(1, case_id);
  while (st.step()) {
    const domain::PetitionerFacts p{text_or_empty(st, 1), text_or_empty(st, 2),
                                    text_or_empty(st, 3)};
    const std::string key = domain::identity_key(p);
    if (!key.empty()) keys_by_case[st.column_text(0)].push_back(key);
  }
  st.reset();
  std::vector<domain::OtherCase> out;
  for (auto& [id, case_keys] : keys_by_case) {
    if (std::none_of(case_keys.begin(), case_keys.end(),
                     [&](const std::string& k) { return keys.count(k) > 0; }))
      continue;
    const auto row = store.replica.find("case", id);
    if (!row || row->deleted) continue;
    domain::OtherCase o = domain::other_case(*row, {});
    o.identity_keys = std::move(case_keys);
    out.push_back(std::move(o));
  }
  return out;
}

std::string owner_kind_of(LocalStore& store, const std::string& unit_id) {
  const auto unit = store.replica.find("unit", unit_id);
  return unit && !unit->deleted ? unit->values.value("kind", "") : std::string();
}

}  // namespace

std::vector<std::string> new_case_flags(LocalStore& store, const Json& fields) {
  Row draft;
  draft.entity = "case";
  for (const char* name : {"received_at", "headcount", "highest_level_reached", "abnormal_reason",
                           "long_standing_reason"})
    if (fields.contains(name)) draft.values[name] = fields[name];
  const Json unit = fields.value("unit_id", Json());
  const std::string unit_id = unit.is_string() ? unit.get<std::string>() : std::string();
  return domain::compute_kind_flags(domain::case_profile(draft, {}), owner_kind_of(store, unit_id),
                                    {})
      .flags;
}

Json tablet_flags_change(LocalStore& store, const Row& case_row) {
  domain::CaseProfile facts = domain::case_profile(case_row, {});
  facts.petitioners = petitioners_of(store, case_row.id);
  std::set<std::string> keys;
  for (const auto& p : facts.petitioners)
    if (std::string k = domain::identity_key(p); !k.empty()) keys.insert(std::move(k));
  const std::vector<domain::OtherCase> others =
      keys.empty() ? std::vector<domain::OtherCase>{} : others_sharing(store, case_row.id, keys);
  domain::KindFlags flags =
      domain::compute_kind_flags(facts, owner_kind_of(store, case_row.unit_id), others);
  // Links to cases this device does not hold came from the office: keep them.
  const Json linked = case_row.values.value("repeat_of_case_ids", Json::array());
  if (linked.is_array())
    for (const Json& id : linked) {
      if (!id.is_string()) continue;
      const auto row = store.replica.find("case", id.get<std::string>());
      if (!row || row->deleted) flags.repeat_of_case_ids.push_back(id.get<std::string>());
    }
  std::sort(flags.repeat_of_case_ids.begin(), flags.repeat_of_case_ids.end());
  flags.repeat_of_case_ids.erase(
      std::unique(flags.repeat_of_case_ids.begin(), flags.repeat_of_case_ids.end()),
      flags.repeat_of_case_ids.end());
  return domain::kind_flags_change(case_row, flags, "kind_flags");
}

}  // namespace fieldsync::client
