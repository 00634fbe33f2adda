// A server fault on one op never wedges a tablet. The real server app behind its real HTTP edge
// on loopback, with one fault injected at SyncService's seam (the kind of bug that answered 500
// to every push of a case with two petitioners with phones), and a real tablet over libcurl: the
// op it cannot take and the ops that depend on it are answered "failed", everything else goes
// through, pulls go on, after three failures they are held aside (shown in status, not sent),
// and once the fault is mended `retry_failed` sends them and nothing is lost or doubled.
#include <algorithm>
#include <atomic>
#include <stdexcept>
#include <string>

#include <doctest/doctest.h>

#include "client_world.h"
#include "fieldsync/server/admin.h"
#include "fieldsync/server/http_server.h"
#include "fieldsync/server/server_app.h"
#include "fieldsync/sqlite/database.h"
#include "fieldvisit_runner.h"
#include "password_cost.h"

namespace fieldsync::testing {
namespace {

constexpr const char* kPoison = "【注入故障】";  // a case create whose title holds it fails

// Units Plant > Unit A, field leaders leader_a and leader_a2 there, a ServerApp whose sync
// service fails on every op that creates a case titled with kPoison while `poisoned` holds, and
// an HttpServer on 127.0.0.1.
struct FaultyOpWorld {
  TempDir dir{"op-failure"};
  SystemClock wall;
  SecureRandom random;
  std::filesystem::path data = dir.path() / "data";
  std::atomic<bool> poisoned{true};
  std::atomic<int> faults{0};
  std::unique_ptr<server::ServerApp> app;
  std::unique_ptr<server::HttpServer> http;

  FaultyOpWorld() {
    server::InitOptions init;
    init.password_iterations = kTestPasswordIterations;
    server::init_store(data, "admin-secret", init, wall, random);
    server::Admin admin(data, wall, random, kTestPasswordIterations);
    admin.add_unit("Unit A", "unit", "Plant");
    admin.add_user({"leader_a", "王建国", "field_leader", "Plant/Unit A"}, kUserPassword);
    admin.add_user({"leader_a2", "李春梅", "field_leader", "Plant/Unit A"}, kUserPassword);
    server::AuthPolicy policy;
    policy.password_iterations = kTestPasswordIterations;
    app = std::make_unique<server::ServerApp>(data, wall, random, policy);
    app->sync_service().set_op_fault([this](const Op& op) {
      if (!poisoned || op.entity != "case" || op.kind != OpKind::create) return;
      if (op.fields.value("title", "").find(kPoison) == std::string::npos) return;
      ++faults;
      throw std::runtime_error("injected fault while applying a case create");
    });
    http = std::make_unique<server::HttpServer>("127.0.0.1:0", app->handler());
    http->start();
  }

  // op_log rows of one device (each op is logged once, on the first answer).
  std::int64_t ops_logged(const std::string& device_id) {
    sqlite::OpenOptions read_only;
    read_only.read_only = true;
    sqlite::Database db = sqlite::Database::open(data / "fieldsync.db", read_only);
    sqlite::Statement st =
        db.prepare("SELECT COUNT(*), COUNT(DISTINCT op_id) FROM op_log WHERE device_id = ?1");
    st.bind(1, device_id);
    REQUIRE(st.step());
    CHECK(st.column_int64(0) == st.column_int64(1));
    return st.column_int64(0);
  }

  Tablet tablet(const std::string& name, const std::string& login) {
    Tablet t(dir.path() / (name + ".db"), http->base_url());
    t.login(login);
    return t;
  }
};

nlohmann::json petitioner(const std::string& name, const std::string& phone) {
  return {{"name", name}, {"phone", phone}};
}

TEST_CASE("server op failure: the op and its dependents are held aside; the rest syncs") {
  FaultyOpWorld world;
  Tablet a = world.tablet("a", "leader_a");
  Tablet b = world.tablet("b", "leader_a2");

  const std::string before = a->create_case(case_fields("三号院供暖不热"));
  a->add_petitioner(before, petitioner("赵丽华", "13900000001"));
  const std::string poisoned = a->create_case(case_fields(std::string(kPoison) + "安置房漏水"));
  const std::string victim = a->add_petitioner(poisoned, petitioner("钱伟", "13900000002"));
  a->add_visit(poisoned, {{"kind", "home"}, {"notes", "入户查看，卫生间顶板渗水"}});
  const std::string after = a->create_case(case_fields("退休人员体检安排"));
  a->add_petitioner(after, petitioner("孙桂英", "139-0000-0003"));
  const std::int64_t written = a->status().pending_ops;

  // Another device's work must keep arriving while a's op fails.
  const std::string from_b = b->create_case(case_fields("职工食堂价格"));
  b->sync();

  // The create, its petitioner, its visit (and any kind-flag update of that case) fail each time.
  std::int64_t failing = 0;
  for (int round = 1; round <= client::kHoldAfterServerFailures; ++round) {
    CAPTURE(round);
    const client::SyncReport report = a->sync();
    if (round == 1) failing = report.failed;
    CHECK(report.failed == failing);
    CHECK(report.rejected == 0);
    CHECK(report.held == (round == client::kHoldAfterServerFailures ? failing : 0));
    REQUIRE(a->find("case", from_b));  // the pull went on
  }
  CHECK(failing >= 3);
  CHECK(world.faults >= client::kHoldAfterServerFailures);
  b->sync();
  CHECK(b->find("case", before));
  CHECK(b->find("case", after));
  CHECK_FALSE(b->find("case", poisoned));

  client::SyncStatus status = a->status();
  CHECK(status.pending_ops == failing);
  REQUIRE(status.held.size() == static_cast<std::size_t>(failing));
  CHECK(status.held[0].row_id == poisoned);
  CHECK(status.held[0].server_failures == client::kHoldAfterServerFailures);
  CHECK(status.held[0].message.find("fault of its own") != std::string::npos);
  CHECK(std::any_of(status.held.begin(), status.held.end(),
                    [&](const client::HeldOp& op) { return op.row_id == victim; }));
  // The tablet still shows what was recorded, and a held op is not sent again.
  CHECK(a->find("case", poisoned));
  const int faults_when_held = world.faults;
  const client::SyncReport quiet = a->sync();
  CHECK(quiet.failed == 0);
  CHECK(world.faults == faults_when_held);

  // The server is mended; the person asks for the held ops to go again.
  world.poisoned = false;
  CHECK(a->retry_failed() == failing);
  const client::SyncReport mended = a->sync();
  CHECK(mended.accepted == failing);
  CHECK(mended.failed == 0);
  status = a->status();
  CHECK(status.pending_ops == 0);
  CHECK(status.held.empty());
  CHECK(status.rejected.empty());
  b->sync();
  REQUIRE(b->find("case", poisoned));
  CHECK(b->get_case(poisoned).petitioners.size() == 1);
  CHECK(b->get_case(poisoned).visits.size() == 1);
  // Every op a wrote is on the server exactly once: nothing lost, nothing doubled.
  CHECK(world.ops_logged(a.device_id()) == written);
}

TEST_CASE("server op failure: fieldvisit says the server failed, shows what is held, retries") {
  FaultyOpWorld world;
  const std::string db = (world.dir.path() / "fv.db").string();
  const auto fv = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db});
    const CommandResult r = run_fieldvisit(args, {{"FIELDVISIT_PASSWORD", kUserPassword}});
    INFO("fieldvisit " << args[2] << "\nstdout:\n" << r.out << "\nstderr:\n" << r.err);
    CHECK(r.exit_status >= 0);
    return r;
  };
  REQUIRE(fv({"login", "--server", world.http->base_url(), "--user", "leader_a"}).exit_status == 0);
  REQUIRE(
      fv({"case", "new", "--title", std::string(kPoison) + "锅炉房噪音", "--channel", "home_visit",
          "--petitioner", "周建华,13900000011", "--petitioner", "吴秀兰,13900000012"})
          .exit_status == 0);
  REQUIRE(fv({"case", "new", "--title", "小区路灯不亮", "--channel", "phone"}).exit_status == 0);

  const CommandResult first = fv({"sync"});
  CHECK(first.exit_status == 0);  // not held yet: sent again at the next sync
  CHECK(first.out.find("The server failed on") != std::string::npos);
  CHECK(first.out.find("sends them again at the next sync") != std::string::npos);
  CHECK(first.err.find("could not reach") == std::string::npos);
  fv({"sync"});
  const CommandResult third = fv({"sync"});
  CHECK(third.exit_status == 3);  // completed, and something needs a person
  CHECK(third.out.find("held aside") != std::string::npos);

  const CommandResult status = fv({"status"});
  CHECK(status.out.find("Held aside") != std::string::npos);
  CHECK(status.out.find("fault of its own") != std::string::npos);
  CHECK(status.out.find("fieldvisit retry") != std::string::npos);

  world.poisoned = false;
  const CommandResult retry = fv({"retry"});
  CHECK(retry.exit_status == 0);
  CHECK(retry.out.find("will be sent again") != std::string::npos);
  const CommandResult mended = fv({"sync"});
  CHECK(mended.exit_status == 0);
  CHECK(mended.out.find("Everything is in step with the server.") != std::string::npos);
}

}  // namespace
}  // namespace fieldsync::testing
