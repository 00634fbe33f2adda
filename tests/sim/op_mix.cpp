#include "op_mix.h"

#include <ctime>

#include "fieldsync/core/error.h"
#include "fieldsync/core/uuid.h"

namespace fieldsync::sim {
namespace {

const char* const kHandlingPaths[] = {"solve_quickly", "flexible_solution", "counselling",
                                      "by_law"};
const char* const kTags[] = {"pension", "housing", "retiree", "family", "urgent", "follow-up"};
const char* const kSubjects[] = {"housing_allocation",    "restructuring",     "retiree_allowance",
                                 "medical_reimbursement", "pension_insurance", "other"};
const char* const kChannels[] = {"letter", "visit", "phone", "home_visit", "screening"};
const char* const kLevels[] = {"unit", "plant", "bureau", "province", "capital"};
const char* const kVisitKinds[] = {"home", "reception", "bring_back"};
const char* const kReportKinds[] = {"collective_visit", "skip_level_bureau", "skip_level_province",
                                    "coordinated_group"};

template <std::size_t N>
const char* any(const char* const (&values)[N], int r) {
  return values[static_cast<std::size_t>(r) % N];
}

bool may_move(const SimDevice& d) {
  return d.role != "field_leader";
}

}  // namespace

int OpMix::roll(int n) {
  return static_cast<int>(world_.random()() % static_cast<unsigned>(n));
}

std::string OpMix::device_time(SimDevice& d) const {
  const std::int64_t ms = d.clock->now_ms();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[40];
  std::snprintf(out, sizeof out, "%s.%03dZ", text, static_cast<int>(ms % 1000));
  return out;
}

std::string OpMix::some_date() {
  const int month = 6 + roll(6);
  const int day = 1 + roll(28);
  return "2026-" + std::string(month < 10 ? "0" : "") + std::to_string(month) + "-" +
         std::string(day < 10 ? "0" : "") + std::to_string(day);
}

std::string OpMix::pick_case(SimDevice& d) {
  return pick_row(d, "case", "");
}

std::string OpMix::pick_row(SimDevice& d, const std::string& entity, const std::string& case_id) {
  const std::string where = " FROM entity_" + entity + " WHERE deleted = 0" +
                            (case_id.empty() ? "" : " AND case_id = ?1");
  sqlite::Statement count = d.inspector->prepare("SELECT COUNT(*)" + where);
  if (!case_id.empty()) count.bind(1, case_id);
  count.step();
  const std::int64_t n = count.column_int64(0);
  if (n == 0) return "";
  sqlite::Statement pick =
      d.inspector->prepare("SELECT id" + where + " ORDER BY id LIMIT 1 OFFSET " +
                           std::to_string(world_.random()() % static_cast<std::uint64_t>(n)));
  if (!case_id.empty()) pick.bind(1, case_id);
  return pick.step() ? pick.column_text(0) : "";
}

std::string OpMix::pick_leader(const SimDevice& d) {
  const SimUnit& mine = world_.unit(d.unit_id);
  std::vector<std::string> ids;
  for (const auto& u : world_.users())
    if (mine.subtree.count(u.unit_id)) ids.push_back(u.id);
  return ids.empty() ? d.user_id
                     : ids[static_cast<std::size_t>(roll(static_cast<int>(ids.size())))];
}

std::string OpMix::pick_unit_in_scope(const SimDevice& d, const std::string& not_this) {
  const SimUnit& mine = world_.unit(d.unit_id);
  std::vector<std::string> ids;
  for (const auto& u : mine.subtree)
    if (u != not_this) ids.push_back(u);
  return ids.empty() ? "" : ids[static_cast<std::size_t>(roll(static_cast<int>(ids.size())))];
}

void OpMix::create_case(SimDevice& d) {
  Json fields = {{"title", "case " + std::to_string(world_.random()() % 100000)},
                 {"channel", any(kChannels, roll(100))}};
  if (roll(2)) fields["subjects"] = Json::array({any(kSubjects, roll(100))});
  if (roll(3) == 0) fields["headcount"] = 1 + roll(12);
  if (roll(3) == 0) fields["handling_path"] = any(kHandlingPaths, roll(100));
  // The office and reviewers sometimes open a case directly in a unit below them.
  if (may_move(d) && roll(2)) fields["unit_id"] = pick_unit_in_scope(d, "");
  d.client->create_case(fields);
}

void OpMix::update_lww(SimDevice& d, const std::string& id) {
  switch (roll(5)) {
    case 0: d.client->update_case(id, {{"title", "title " + std::to_string(roll(1000))}}); break;
    case 1: d.client->update_case(id, {{"summary", "summary by " + d.login}}); break;
    case 2: d.client->update_case(id, {{"highest_level_reached", any(kLevels, roll(100))}}); break;
    case 3: d.client->update_case(id, {{"notes", {"note by " + d.login}}}); break;  // append
    default: d.client->update_case(id, {{"follow_up_contacts", 1}}); break;         // counter
  }
}

void OpMix::update_flag(SimDevice& d, const std::string& id) {
  switch (roll(4)) {
    case 0: d.client->update_case(id, {{"handling_path", any(kHandlingPaths, roll(100))}}); break;
    case 1: d.client->update_case(id, {{"responsible_leader_id", pick_leader(d)}}); break;
    case 2: d.client->update_case(id, {{"feedback_due", some_date()}}); break;
    default: d.client->update_case(id, {{"petitioner_satisfied", roll(3) != 0}}); break;
  }
}

void OpMix::update_set(SimDevice& d, const std::string& id) {
  const std::string tag = any(kTags, roll(100));
  if (roll(3) == 0)
    d.client->update_case(id, {{"tags", {{"remove", {tag}}}}});
  else if (roll(2))
    d.client->update_case(id, {{"tags", {{"add", {tag}}}}});
  else
    d.client->update_case(id, {{"subjects", {{"add", {any(kSubjects, roll(100))}}}}});
}

void OpMix::advance_status(SimDevice& d, const std::string& id) {
  const auto row = d.client->find("case", id);
  if (!row) return;
  const std::string status = row->values.value("status", "received");
  if (status == "resolved" || status == "closed") {
    if (roll(3) == 0) {
      d.client->reopen_case(id, "the petitioner came back: " + d.login);
      return;
    }
    if (status == "closed") return;
    // Closing rests on a follow-up contact that found the petitioner satisfied.
    d.client->update_case(id, {{"status", "closed"}, {"petitioner_satisfied", true}});
    return;
  }
  static const char* const kNext[] = {"assigned", "in_progress", "resolved"};
  std::string next = kNext[roll(3)];
  if (status == "assigned" && next == "assigned") next = "in_progress";
  if (status == "in_progress") next = "resolved";
  Json fields = {{"status", next}};
  // Resolving needs a handling path.
  if (next == "resolved" && row->values.value("handling_path", Json()).is_null())
    fields["handling_path"] = any(kHandlingPaths, roll(100));
  d.client->update_case(id, fields);
}

void OpMix::visit(SimDevice& d, const std::string& id) {
  const std::string earlier = roll(4) == 0 ? pick_row(d, "visit", id) : "";
  if (!earlier.empty()) {
    d.client->correct_visit(earlier, {{"notes", "correction by " + d.login}});
    return;
  }
  d.client->add_visit(id, {{"kind", any(kVisitKinds, roll(100))},
                           {"notes", "visit by " + d.login},
                           {"leader_ids", {d.user_id}}});
}

void OpMix::commitment(SimDevice& d, const std::string& id) {
  const std::string existing = roll(2) ? pick_row(d, "commitment", id) : "";
  if (existing.empty()) {
    d.client->add_commitment(
        id, {{"who", "team of " + d.login}, {"how", "arrange it"}, {"due_date", some_date()}});
    return;
  }
  const auto row = d.client->find("commitment", existing);
  if (row && row->values.value("status", "") == "open" && roll(2)) {
    d.client->complete_commitment(existing);
    return;
  }
  // A flag field of a child row: concurrent edits of it must be held as conflicts too.
  d.client->write(OpKind::update, "commitment", existing, {{"due_date", some_date()}});
}

void OpMix::move_case(SimDevice& d, const std::string& id) {
  const auto row = d.client->find("case", id);
  if (!row) return;
  const std::string to = pick_unit_in_scope(d, row->unit_id);
  if (to.empty()) return;
  // The transfer record first (while the case is still here), then the move itself.
  d.client->write(OpKind::create, "case_transfer",
                  make_uuid_v7(std::max<std::int64_t>(0, d.clock->now_ms()), *d.random),
                  {{"case_id", id},
                   {"from_unit_id", row->unit_id},
                   {"to_unit_id", to},
                   {"by_user_id", d.user_id},
                   {"transferred_at", device_time(d)},
                   {"reason", "handed over by " + d.login}});
  d.client->update_case(id, {{"unit_id", to}});
}

void OpMix::assign_leader(SimDevice& d, const std::string& id) {
  const std::string leader = pick_leader(d);
  d.client->write(OpKind::create, "leader_assignment",
                  make_uuid_v7(std::max<std::int64_t>(0, d.clock->now_ms()), *d.random),
                  {{"case_id", id},
                   {"leader_id", leader},
                   {"assigned_at", device_time(d)},
                   {"assigned_by_id", d.user_id}});
  d.client->update_case(id, {{"responsible_leader_id", leader}});
}

void OpMix::decide_conflict(SimDevice& d) {
  const std::vector<client::Record> open = d.client->open_conflicts();
  if (open.empty()) return;
  const client::Record& c = open[static_cast<std::size_t>(roll(static_cast<int>(open.size())))];
  const Json& candidates = c.values.value("candidates", Json::array());
  if (!candidates.is_array() || candidates.empty()) return;
  const Json& pick =
      candidates[static_cast<std::size_t>(roll(static_cast<int>(candidates.size())))];
  d.client->resolve_conflict(c.id, pick.value("value", Json()), "decided by " + d.login);
}

bool OpMix::write_one(SimDevice& d) {
  try {
    const int r = roll(100);
    if (r < 10) {
      create_case(d);
      return true;
    }
    if (r < 13) {
      d.client->file_urgent_report(roll(2) ? pick_case(d) : "",
                                   {{"kind", any(kReportKinds, roll(100))},
                                    {"summary", "reported by " + d.login},
                                    {"headcount", 5 + roll(30)}});
      return true;
    }
    if (r < 16 && d.role != "field_leader") {
      decide_conflict(d);
      return true;
    }
    const std::string id = pick_case(d);
    if (id.empty()) {
      create_case(d);
      return true;
    }
    if (r < 28)
      update_lww(d, id);
    else if (r < 46)
      update_flag(d, id);
    else if (r < 54)
      update_set(d, id);
    else if (r < 66)
      advance_status(d, id);
    else if (r < 76)
      visit(d, id);
    else if (r < 85)
      commitment(d, id);
    else if (r < 89)
      d.client->add_petitioner(id, {{"name", "petitioner of " + d.login}});
    else if (r < 93)
      assign_leader(d, id);
    else if (r < 97 && may_move(d))
      move_case(d, id);
    else if (r < 98 && d.role == "central_office")
      d.client->write(OpKind::remove, "case", id, {});
    else
      decide_conflict(d);
    return true;
  } catch (const Error& e) {
    if (e.domain() == ErrorDomain::validation ||
        (e.domain() == ErrorDomain::client && e.code() != "wiped")) {
      ++world_.figures.writes_refused_on_device;
      return false;
    }
    world_.on_client_error(d, e, "write");
    return false;
  }
}

}  // namespace fieldsync::sim
