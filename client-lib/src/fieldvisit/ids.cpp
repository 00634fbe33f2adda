#include "fieldvisit/ids.h"

#include <algorithm>
#include <cctype>

#include "fieldsync/core/uuid.h"
#include "fieldvisit/cli.h"

namespace fieldsync::fieldvisit {
namespace {

constexpr std::size_t kMinPrefixDigits = 8;
// Ids are shown with at least the 12 digits of a UUIDv7's millisecond time, so that rows made
// at different moments look different (their first 8 digits change only every 65 s).
constexpr std::size_t kMinShownDigits = 12;
constexpr std::size_t kUuidDigits = 32;

// A readable name of a kind for messages.
std::string kind_name(const std::string& kind) {
  if (kind == "op") return "rejected op";
  if (kind == "urgent_report") return "urgent report";
  return kind;
}

// Where to look when an id is not found.
std::string not_found_hint(const std::string& kind) {
  if (kind == "case") return "see `fieldvisit case list`; run `fieldvisit sync` to fetch new cases";
  if (kind == "conflict") return "see `fieldvisit conflicts` for the open ones";
  if (kind == "op") return "see `fieldvisit status` for the rejected ops";
  return "see `fieldvisit case show CASE` for the ids of a case's " + kind_name(kind) + "s";
}

}  // namespace

std::string hex_digits_of(std::string_view text) {
  std::string digits;
  for (char c : text) {
    if (c == '-') continue;
    const auto lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!std::isxdigit(static_cast<unsigned char>(lower))) return {};
    digits.push_back(lower);
  }
  return digits;
}

void IdResolver::load_case_rows() {
  std::vector<std::string>& petitioners = known_["petitioner"];
  std::vector<std::string>& visits = known_["visit"];
  std::vector<std::string>& commitments = known_["commitment"];
  std::vector<std::string>& reports = known_["urgent_report"];
  for (const std::string& case_id : known("case")) {
    const client::CaseDetail detail = client_.get_case(case_id);
    for (const auto& r : detail.petitioners) petitioners.push_back(r.id);
    for (const auto& v : detail.visits) {
      visits.push_back(v.visit.id);
      for (const auto& c : v.corrections) visits.push_back(c.id);
    }
    for (const auto& r : detail.commitments) commitments.push_back(r.id);
    for (const auto& r : detail.urgent_reports) reports.push_back(r.id);
  }
}

const std::vector<std::string>& IdResolver::known(const std::string& kind) {
  auto found = known_.find(kind);
  if (found != known_.end()) return found->second;
  if (kind == "case") {
    std::vector<std::string> ids;
    for (const client::CaseSummary& summary : client_.list_cases().cases)
      ids.push_back(summary.row.id);
    return known_["case"] = std::move(ids);
  }
  if (kind == "conflict") {
    std::vector<std::string>& ids = known_["conflict"];
    for (const auto& r : client_.open_conflicts()) ids.push_back(r.id);
  } else if (kind == "op") {
    std::vector<std::string>& ids = known_["op"];
    for (const auto& op : client_.rejected_ops()) ids.push_back(op.op_id);
  } else if (kind == "petitioner" || kind == "visit" || kind == "commitment" ||
             kind == "urgent_report") {
    load_case_rows();
  }
  return known_[kind];  // other kinds: none known, so any 8 digits are unique
}

std::string IdResolver::resolve(const std::string& kind, const std::string& typed) {
  const std::string digits = hex_digits_of(typed);
  if (digits.size() < kMinPrefixDigits || digits.size() > kUuidDigits) {
    throw CliError("'" + typed + "' is not a " + kind_name(kind) +
                       " id: give the full id or at least its first 8 characters",
                   kExitFailed, "bad_id");
  }
  // A full id that find() knows needs no scan (conflicts and ops are checked in the list:
  // only open conflicts and rejected ops qualify).
  if (digits.size() == kUuidDigits && is_uuid(typed) && kind != "conflict" && kind != "op") {
    std::string id = typed;
    std::transform(id.begin(), id.end(), id.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (client_.find(kind, id)) return id;
  }
  std::vector<std::string> matches;
  for (const std::string& id : known(kind))
    if (hex_digits_of(id).starts_with(digits)) matches.push_back(id);
  if (matches.size() == 1) return matches.front();
  if (matches.empty()) {
    throw CliError(
        "no " + kind_name(kind) + " '" + typed + "' on this device; " + not_found_hint(kind),
        kExitFailed, "unknown_id");
  }
  std::string list;
  for (const std::string& id : matches) list += "\n  " + id;
  throw CliError("'" + typed + "' matches " + std::to_string(matches.size()) + " " +
                     kind_name(kind) + "s; type more of the id:" + list,
                 kExitFailed, "ambiguous_id");
}

int IdResolver::unique_length(const std::string& kind, const std::vector<std::string>& shown) {
  return unique_among(shown, known(kind));
}

int IdResolver::unique_among(const std::vector<std::string>& shown,
                             const std::vector<std::string>& all) const {
  std::size_t length = kMinShownDigits;
  for (const std::string& id : shown) {
    const std::string mine = hex_digits_of(id);
    for (const std::string& other : all) {
      if (other == id) continue;
      const std::string theirs = hex_digits_of(other);
      std::size_t common = 0;
      while (common < mine.size() && common < theirs.size() && mine[common] == theirs[common])
        ++common;
      length = std::max(length, std::min(common + 1, kUuidDigits));
    }
  }
  return static_cast<int>(length);
}

std::string IdResolver::shorten(const std::string& id, int hex_digits) const {
  std::string out;
  int seen = 0;
  for (char c : id) {
    if (seen >= hex_digits) break;
    out.push_back(c);
    if (c != '-') ++seen;
  }
  return out;
}

std::string IdResolver::brief(const std::string& id) const {
  return shorten(id, static_cast<int>(kMinShownDigits));
}

std::string IdResolver::short_id(const std::string& kind, const std::string& id) {
  return shorten(id, unique_length(kind, {id}));
}

}  // namespace fieldsync::fieldvisit
