// Disk full and I/O errors under a tablet's replica (fault VFS), the real server over libcurl:
// a local write fails with Error{storage, storage_full | io_error}, nothing of it is written
// (no row, no outbox op), the replica stays sound, and once the disk is back the work goes on
// and every op reaches the server exactly once, also when storing the server's answers failed.
#include <doctest/doctest.h>

#include "client_world.h"
#include "fault_support.h"
#include "fault_vfs.h"
#include "fieldsync/client/curl_transport.h"

namespace fieldsync::testing {
namespace {

client::ClientOptions through_fault_vfs() {
  register_fault_vfs();
  client::ClientOptions options;
  options.storage_vfs = kFaultVfsName;
  return options;
}

// The real transport, except that the disk starts failing writes the moment the server's
// answer to a push arrives (before the library stores it).
struct DiskFailsOnAnswer final : client::Transport {
  explicit DiskFailsOnAnswer(client::CurlOptions options) : curl(std::move(options)) {}
  client::HttpResponse send(const client::HttpRequest& request) override {
    client::HttpResponse response = curl.send(request);
    if (request.path.rfind("/v1/sync/push", 0) == 0 && response.status == 200) {
      set_failing_op(FailingOp::write);
      armed = true;
    }
    return response;
  }
  client::CurlTransport curl;
  bool armed = false;
};

// What the tablet shows of its case: the number of visits and of pending ops.
struct Shown {
  std::size_t visits = 0;
  std::int64_t pending = 0;
  bool operator==(const Shown&) const = default;
};

Shown shown(Tablet& t, const std::string& case_id) {
  return {t->get_case(case_id).visits.size(), t->status().pending_ops};
}

TEST_CASE("tablet disk full and I/O errors: a storage error, nothing half-written, work resumes") {
  FaultScope faults;
  ClientWorld world({kLeaderA});
  Tablet a(world.files() / "a.db", world.base_url(), through_fault_vfs());
  a.login("leader_a");
  const std::string case_id = a->create_case(case_fields("written on a failing disk"));
  a->sync();
  const std::string device = a.device_id();
  const std::uint64_t seed = suite_seed(0x5eed'0307);
  INFO("seed ", seed);
  std::mt19937_64 rng(seed);
  const std::int64_t full_before = full_faults_injected();
  const std::int64_t io_before = io_faults_injected();
  std::int64_t refused_writes = 0;

  const auto refused = [&](FailingOp op, std::optional<std::int64_t> budget,
                           const std::string& expected) {
    const Shown before = shown(a, case_id);
    set_failing_op(op);
    set_growth_budget(budget);
    const std::string error = error_of([&] {
      a->add_visit(case_id, {{"kind", "home"}, {"notes", "on a bad disk"}});
    });
    set_failing_op(FailingOp::none);
    set_growth_budget(std::nullopt);
    CHECK(error == expected);
    CHECK(shown(a, case_id) == before);
    CHECK(integrity_check(a.path()) == "ok");
    ++refused_writes;
  };

  {  // disk full at different points of a write
    for (int i = 0; i < (long_mode() ? 40 : 5); ++i) {
      a.reopen();  // closing removes the WAL: the next write grows it from nothing
      const std::int64_t budget = i == 0 ? 0 : uniform(rng, 1, 4000);
      CAPTURE(budget);
      refused(FailingOp::none, budget, "storage/storage_full");
    }
  }
  {  // a failing write, fsync or read
    refused(FailingOp::write, std::nullopt, "storage/io_error");
    refused(FailingOp::sync, std::nullopt, "storage/io_error");
    a.reopen();  // an empty page cache: the next call reads the file
    set_failing_op(FailingOp::read);
    const std::string read_error = error_of([&] { a->get_case(case_id); });
    set_failing_op(FailingOp::none);
    CHECK(read_error == "storage/io_error");
  }
  {  // the server's answers cannot be stored: the next sync finishes, nothing is doubled
    const std::string visit = a->add_visit(case_id, {{"kind", "home"}, {"notes", "pushed"}});
    DiskFailsOnAnswer failing(quick_curl(world.base_url()));
    a->set_transport(&failing);
    const std::string error = error_of([&] { a->sync(); });
    set_failing_op(FailingOp::none);
    a.connect(world.base_url());
    CHECK(failing.armed);
    CHECK(error == "storage/io_error");
    CHECK(world.server_rows("visit", "id", visit) == 1);  // the server took it
    CHECK(a->status().pending_ops == 1);                  // the tablet could not record that
    CHECK(integrity_check(a.path()) == "ok");
  }

  // The disk is back: the same work succeeds and reaches the server exactly once.
  const std::string visit = a->add_visit(case_id, {{"kind", "home"}, {"notes", "disk is back"}});
  a->sync();
  CHECK(a->status().pending_ops == 0);
  CHECK(a->status().rejected.empty());
  CHECK(world.server_rows("visit", "id", visit) == 1);
  CHECK(world.ops_logged(device) == world.ops_logged(device, "accepted"));
  CHECK(world.server_int("SELECT COUNT(*) FROM entity_visit WHERE case_id = ?1", {case_id}) ==
        static_cast<std::int64_t>(a->get_case(case_id).visits.size()));
  CHECK(integrity_check(a.path()) == "ok");

  add_figure("disk-full injections (SQLITE_FULL)", full_faults_injected() - full_before);
  add_figure("I/O-error injections (SQLITE_IOERR)", io_faults_injected() - io_before);
  add_figure("tablet writes refused by a failing disk, nothing half-written", refused_writes);
}

}  // namespace
}  // namespace fieldsync::testing
