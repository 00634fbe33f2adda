// The kind-flag rules (typology.h).
#include "fieldsync/core/domain/typology.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace fieldsync::domain {
namespace {

constexpr std::int64_t kCollectiveHeadcount = 5;

// Organisation levels, lowest first: a unit kind or a level a petition reached.
int level_rank(std::string_view level) {
  if (level == "team") return 0;
  if (level == "unit" || level == "department_system") return 1;
  if (level == "plant") return 2;
  if (level == "bureau") return 3;
  if (level == "province") return 4;
  if (level == "capital") return 5;
  return -1;
}

bool shares_any(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return std::any_of(a.begin(), a.end(), [&](const std::string& x) {
    return std::find(b.begin(), b.end(), x) != b.end();
  });
}

std::string text(const Row& row, const char* field) {
  if (!row.values.is_object()) return {};
  auto it = row.values.find(field);
  return it != row.values.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> strings(const Row& row, std::string_view field) {
  std::vector<std::string> out;
  if (!row.values.is_object()) return out;
  auto it = row.values.find(std::string(field));
  if (it == row.values.end() || !it->is_array()) return out;
  for (const Json& v : *it)
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

std::vector<PetitionerFacts> live_petitioners(const std::vector<Row>& rows) {
  std::vector<PetitionerFacts> out;
  for (const Row& r : rows)
    if (!r.deleted) out.push_back(petitioner_facts(r));
  return out;
}

// {"add": [...], "remove": [...]} turning `now` into `wanted`; empty when they are equal.
Json set_change(const std::vector<std::string>& now, const std::vector<std::string>& wanted) {
  Json add = Json::array(), remove = Json::array();
  for (const auto& w : wanted)
    if (std::find(now.begin(), now.end(), w) == now.end()) add.push_back(w);
  for (const auto& n : now)
    if (std::find(wanted.begin(), wanted.end(), n) == wanted.end()) remove.push_back(n);
  Json change = Json::object();
  if (!add.empty()) change["add"] = add;
  if (!remove.empty()) change["remove"] = remove;
  return change;
}

}  // namespace

KindFlags compute_kind_flags(const CaseProfile& c, std::string_view owner_unit_kind,
                             const std::vector<OtherCase>& others) {
  std::set<std::string> flags;
  const auto people =
      std::max<std::int64_t>(c.headcount, static_cast<std::int64_t>(c.petitioners.size()));
  if (people >= kCollectiveHeadcount) flags.insert("collective");

  std::set<std::string> keys;
  for (const PetitionerFacts& p : c.petitioners)
    if (std::string k = identity_key(p); !k.empty()) keys.insert(std::move(k));
  std::set<std::string> repeats;
  for (const OtherCase& o : others) {
    if (o.id == c.id) continue;
    if (std::tie(o.received_at, o.id) >= std::tie(c.received_at, c.id)) continue;  // not earlier
    if (!shares_any(o.subjects, c.subjects)) continue;
    if (std::any_of(o.identity_keys.begin(), o.identity_keys.end(),
                    [&](const std::string& k) { return keys.count(k) > 0; }))
      repeats.insert(o.id);
  }
  if (!repeats.empty()) flags.insert("repeat");

  const int reached = level_rank(c.highest_level_reached);
  const int owner = std::max(level_rank(owner_unit_kind), level_rank("unit"));
  if (reached >= level_rank("bureau") && reached > owner) flags.insert("skip_level");

  if (flags.empty()) flags.insert("first_time");
  if (c.abnormal) flags.insert("abnormal");
  if (c.long_standing) flags.insert("long_standing");
  return {{flags.begin(), flags.end()}, {repeats.begin(), repeats.end()}};
}

bool affects_kind_flags(const Op& op) {
  static const std::vector<std::string_view> case_fields = {
      "received_at",          "subjects", "headcount", "highest_level_reached", "abnormal_reason",
      "long_standing_reason", "unit_id"};
  static const std::vector<std::string_view> petitioner_fields = {"name", "id_number", "phone",
                                                                  "case_id"};
  const std::vector<std::string_view>* facts = op.entity == "case"         ? &case_fields
                                               : op.entity == "petitioner" ? &petitioner_fields
                                                                           : nullptr;
  if (!facts) return false;
  if (op.kind == OpKind::create || op.kind == OpKind::remove) return true;
  if (!op.fields.is_object()) return false;
  for (std::string_view name : *facts)
    if (op.fields.contains(name)) return true;
  return false;
}

bool is_computed_field(std::string_view entity, std::string_view field) {
  return entity == "case" && (field == "kind_flags" || field == "repeat_of_case_ids");
}

PetitionerFacts petitioner_facts(const Row& p) {
  return {text(p, "name"), text(p, "id_number"), text(p, "phone")};
}

CaseProfile case_profile(const Row& case_row, const std::vector<Row>& petitioners) {
  CaseProfile f;
  f.id = case_row.id;
  f.received_at = text(case_row, "received_at");
  f.subjects = strings(case_row, "subjects");
  if (case_row.values.is_object()) {
    auto h = case_row.values.find("headcount");
    if (h != case_row.values.end() && h->is_number_integer()) f.headcount = h->get<std::int64_t>();
  }
  f.highest_level_reached = text(case_row, "highest_level_reached");
  f.abnormal = !text(case_row, "abnormal_reason").empty();
  f.long_standing = !text(case_row, "long_standing_reason").empty();
  f.petitioners = live_petitioners(petitioners);
  return f;
}

OtherCase other_case(const Row& case_row, const std::vector<Row>& petitioners) {
  OtherCase o;
  o.id = case_row.id;
  o.received_at = text(case_row, "received_at");
  o.subjects = strings(case_row, "subjects");
  for (const PetitionerFacts& p : live_petitioners(petitioners))
    if (std::string k = identity_key(p); !k.empty()) o.identity_keys.push_back(std::move(k));
  return o;
}

Json kind_flags_change(const Row& case_row, const KindFlags& flags, std::string_view flags_field) {
  Json fields = Json::object();
  Json f = set_change(strings(case_row, flags_field), flags.flags);
  if (!f.empty()) fields[std::string(flags_field)] = f;
  Json r = set_change(strings(case_row, "repeat_of_case_ids"), flags.repeat_of_case_ids);
  if (!r.empty()) fields["repeat_of_case_ids"] = r;
  return fields;
}

}  // namespace fieldsync::domain
