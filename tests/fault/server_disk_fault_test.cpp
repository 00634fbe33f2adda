// Disk full and I/O errors under the server's store (fault VFS), pushes through the API router:
// a full disk answers 507 storage_full and a failing read or write 503 storage_error, nothing of
// the batch is stored, the store stays sound, and the same push is accepted exactly once when
// the disk is back (then answered duplicate).
#include <doctest/doctest.h>

#include "fault_support.h"
#include "fault_vfs.h"
#include "faulty_server.h"

namespace fieldsync::testing {
namespace {

constexpr int kVisits = 120;
constexpr std::size_t kNotesBytes = 600;

// Visit notes are personal data: they must never reach the log, also when storing them fails.
const std::string kPersonalNotes = "Wang Jianguo, Building 3, owes 4800 yuan Tz61";

nlohmann::json body_of(const server::ApiResponse& r) {
  return nlohmann::json::parse(r.body);
}

// CHECKs that `r` is the storage error `status`/`code` and that the store is as `before`.
void check_refused(FaultyServer& s, const server::ApiResponse& r, int status,
                   const std::string& code, const std::string& before) {
  INFO(r.body);
  CHECK(r.status == status);
  CHECK(body_of(r)["error"]["code"] == code);
  CHECK_FALSE(body_of(r)["error"]["message"].get<std::string>().empty());
  CHECK(r.headers.count("Retry-After") == 1);
  CHECK(s.digest() == before);
  CHECK(integrity_check(s.store()) == "ok");
  // The failure is in the server's log, without the personal values it was storing.
  CHECK(s.log_text().find(r.status == 507 ? "storage_full" : "io_error") != std::string::npos);
  CHECK(s.log_text().find(kPersonalNotes) == std::string::npos);
}

// CHECKs that pushing `ops` is accepted once, then answered duplicate.
void check_accepted_once(FaultyServer& s, const std::string& token, const std::vector<Op>& ops) {
  const server::ApiResponse first = s.push(token, ops);
  INFO(first.body);
  REQUIRE(first.status == 200);
  const nlohmann::json accepted = body_of(first);
  CHECK(accepted["results"].size() == ops.size());
  for (const auto& result : accepted["results"]) CHECK(result["status"] == "accepted");
  const server::ApiResponse again = s.push(token, ops);
  REQUIRE(again.status == 200);
  const nlohmann::json duplicates = body_of(again);
  CHECK(duplicates["results"].size() == ops.size());
  for (const auto& result : duplicates["results"]) CHECK(result["status"] == "duplicate");
  sqlite::Database reader = sqlite::Database::open(s.store(), {.read_only = true});
  for (const Op& op : ops) {
    sqlite::Statement st = reader.prepare("SELECT COUNT(*) FROM op_log WHERE op_id = ?1");
    st.bind(1, op.op_id);
    REQUIRE(st.step());
    CHECK(st.column_int64(0) == 1);
  }
  CHECK(integrity_check(s.store()) == "ok");
}

TEST_CASE("server disk full: 507 storage_full, nothing stored, accepted once when space returns") {
  FaultScope faults;
  FaultyServer s;
  const std::string token = s.login();
  const std::vector<Op> ops = s.case_with_visits(kVisits, kNotesBytes, kPersonalNotes);
  const std::uint64_t seed = suite_seed(0x5eed'0207);
  INFO("seed ", seed);
  std::mt19937_64 rng(seed);

  // Budgets from none at all to nearly enough (the batch needs more than kVisits * kNotesBytes
  // bytes of WAL): the disk fills after different numbers of the commit's WAL frames.
  const std::int64_t needed = static_cast<std::int64_t>(kVisits * kNotesBytes);
  std::vector<std::int64_t> budgets = {0, 4096};
  for (int i = 0; i < (long_mode() ? 40 : 4); ++i) budgets.push_back(uniform(rng, 1, needed - 1));
  const std::int64_t full_before = full_faults_injected();
  for (const std::int64_t budget : budgets) {
    CAPTURE(budget);
    const std::string before = s.digest();
    s.truncate_wal();
    set_growth_budget(budget);
    const server::ApiResponse r = s.push(token, ops);
    set_growth_budget(std::nullopt);
    check_refused(s, r, 507, "storage_full", before);
  }
  CHECK(full_faults_injected() - full_before >= static_cast<std::int64_t>(budgets.size()));
  add_figure("disk-full injections (SQLITE_FULL)", full_faults_injected() - full_before);
  add_figure("pushes refused on a full disk, then accepted once",
             static_cast<std::int64_t>(budgets.size()));
  check_accepted_once(s, token, ops);
}

TEST_CASE("server I/O errors: 503 storage_error on a failing write or read, nothing stored") {
  FaultScope faults;
  FaultyServer s;
  const std::string token = s.login();
  const std::int64_t io_before = io_faults_injected();

  SUBCASE("every write fails") {
    const std::vector<Op> ops = s.case_with_visits(20, 200, kPersonalNotes);
    const std::string before = s.digest();
    set_failing_op(FailingOp::write);
    const server::ApiResponse r = s.push(token, ops);
    set_failing_op(FailingOp::none);
    check_refused(s, r, 503, "storage_error", before);
    check_accepted_once(s, token, ops);
  }
  SUBCASE("every read fails") {
    const std::vector<Op> ops = s.case_with_visits(20, 200, kPersonalNotes);
    s.login();  // a write by the sign-in connection: the service must read the store again
    const std::string before = s.digest();
    set_failing_op(FailingOp::read);
    const server::ApiResponse r = s.push(token, ops);
    set_failing_op(FailingOp::none);
    check_refused(s, r, 503, "storage_error", before);
    check_accepted_once(s, token, ops);
  }
  CHECK(io_faults_injected() > io_before);
  add_figure("I/O-error injections (SQLITE_IOERR)", io_faults_injected() - io_before);
}

}  // namespace
}  // namespace fieldsync::testing
