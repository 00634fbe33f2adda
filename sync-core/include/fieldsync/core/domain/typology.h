#pragma once
// The kind flags of a case (collective, repeat, skip-level, first-time, abnormal,
// long-standing), computed, never typed in. Pure functions over plain facts: the tablet
// computes them from its replica, the server from everything it holds, with the same code.
//
// Rules (docs/architecture.md, "Petition rules"):
//  - collective    max(headcount, number of petitioners) >= 5;
//  - repeat        a petitioner has the same identity as a petitioner of an EARLIER case
//                  (earlier received_at; equal times: smaller id) that shares a subject; the
//                  earlier cases are listed in repeat_of_case_ids;
//  - skip_level    highest_level_reached is bureau, province or capital and above the level of
//                  the owner unit's kind;
//  - first_time    none of collective, repeat, skip_level;
//  - abnormal / long_standing exactly when their reason is set (by a person).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fieldsync/core/model.h"
#include "fieldsync/core/op.h"
#include "fieldsync/core/row.h"

namespace fieldsync::domain {

struct PetitionerFacts {
  std::string name;
  std::string id_number;
  std::string phone;
};

// A petitioner's normalised identity, the key repeat petitions are matched on:
//  - "id:<ID number>" when the ID number is known: full-width forms folded, ASCII uppercased,
//    spaces and hyphens removed;
//  - otherwise "name:<name>|phone:<digits>": the name trimmed, inner whitespace collapsed to
//    one space, ASCII case-folded and full-width forms folded, plus the phone's digits only;
//  - "" (matches nothing) when neither an ID number nor both a name and a phone are known: a
//    name alone is too common to call two petitions the same person's.
std::string identity_key(const PetitionerFacts& petitioner);

// Folds full-width ASCII forms (U+FF01..U+FF5E) and the ideographic space (U+3000) to ASCII.
// Other text is kept byte for byte.
std::string fold_full_width(std::string_view utf8);

struct CaseProfile {
  std::string id;
  std::string received_at;  // RFC 3339 UTC; compared as text (same format on both sides)
  std::vector<std::string> subjects;
  std::int64_t headcount = 0;                // 0: not given
  std::string highest_level_reached;         // "", unit, plant, bureau, province, capital
  bool abnormal = false;                     // abnormal_reason is set
  bool long_standing = false;                // long_standing_reason is set
  std::vector<PetitionerFacts> petitioners;  // the live ones
};

// Another case that may be an earlier petition of the same people.
struct OtherCase {
  std::string id;
  std::string received_at;
  std::vector<std::string> subjects;
  std::vector<std::string> identity_keys;  // of its live petitioners
};

struct KindFlags {
  std::vector<std::string> flags;               // sorted
  std::vector<std::string> repeat_of_case_ids;  // sorted

  bool operator==(const KindFlags&) const = default;
};

// The flags of `the_case` owned by a unit of kind `owner_unit_kind` (a unit kind of the model;
// "" when unknown: taken as below the plant). `others` may hold any cases, including the case
// itself and later ones: only earlier cases sharing a subject and an identity count.
KindFlags compute_kind_flags(const CaseProfile& the_case, std::string_view owner_unit_kind,
                             const std::vector<OtherCase>& others);

// Whether a field is computed by these rules on the tablet (a case's kind_flags and
// repeat_of_case_ids), so that no person or caller sets it.
bool is_computed_field(std::string_view entity, std::string_view field);

// Whether an applied op on a case or a petitioner can change the kind flags of a case: a
// create or a delete, or a change to one of the facts the rules above read (a case's
// received_at, subjects, headcount, highest_level_reached, abnormal/long-standing reasons and
// owner unit; a petitioner's name, ID number, phone and case). Any other op, and any op on
// another entity, leaves every case's flags as they were.
bool affects_kind_flags(const Op& op);

// Facts of stored rows: a case row and its petitioner rows (deleted ones are skipped).
CaseProfile case_profile(const Row& case_row, const std::vector<Row>& petitioners);
OtherCase other_case(const Row& case_row, const std::vector<Row>& petitioners);
PetitionerFacts petitioner_facts(const Row& petitioner_row);

// The fields of an update op that bring the row's `flags_field` ("kind_flags" or
// "office_kind_flags") and repeat_of_case_ids to `flags`, as set changes
// ({"add": [...], "remove": [...]}); an empty object when the row shows them already.
Json kind_flags_change(const Row& case_row, const KindFlags& flags, std::string_view flags_field);

}  // namespace fieldsync::domain
