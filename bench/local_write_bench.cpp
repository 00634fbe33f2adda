// Benchmark 1, local write on the tablet: Client::update_case (validated op, view row,
// confirmed copy, outbox op and device HLC in one transaction, synchronous=FULL) against raw
// SQLite doing the same row writes in the same transaction pattern (one transaction per
// update: UPDATE of the case row, INSERT of an outbox op of the same size, UPSERT of the HLC)
// on the same disk, also with WAL and synchronous=FULL. Rounds alternate between the two so
// load from other processes hits both alike; the median round of each is reported.
// Target: at most 1.5x the raw time.
#include <string>
#include <vector>

#include "bench_store.h"
#include "fieldsync/client/client.h"
#include "fieldsync/client/curl_transport.h"
#include "fieldsync/core/op_codec.h"
#include "measure.h"
#include "raw_sqlite.h"
#include "report.h"
#include "sim_device.h"

namespace fieldsync::bench {
namespace {

constexpr const char* kRawSchema = R"sql(
CREATE TABLE entity_case (id TEXT PRIMARY KEY NOT NULL, unit_id TEXT NOT NULL,
  version INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, created_by TEXT, created_at TEXT,
  updated_by TEXT, updated_at TEXT, stamps TEXT NOT NULL, extra TEXT NOT NULL DEFAULT '{}',
  title TEXT, channel TEXT, status TEXT, received_at TEXT);
CREATE INDEX entity_case_by_unit ON entity_case (unit_id, version);
CREATE INDEX entity_case_by_version ON entity_case (version);
CREATE TABLE outbox (local_seq INTEGER PRIMARY KEY AUTOINCREMENT, op_id TEXT NOT NULL UNIQUE,
  op_json TEXT NOT NULL, state TEXT NOT NULL, result_json TEXT, created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL);
CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql";

// The same writes by hand: per update one transaction of three statements.
class RawTablet {
  static const std::filesystem::path& with_schema(const std::filesystem::path& path) {
    RawDb(path, "FULL").exec(kRawSchema);
    return path;
  }
  RawDb db_;

 public:
  RawTablet(const std::filesystem::path& path, std::size_t cases)
      : db_(with_schema(path), "FULL"),
        begin_(db_.handle(), "BEGIN IMMEDIATE"),
        commit_(db_.handle(), "COMMIT"),
        update_(db_.handle(),
                "UPDATE entity_case SET title = ?2, stamps = ?3, updated_by = ?4,"
                " updated_at = ?5 WHERE id = ?1"),
        outbox_(db_.handle(),
                "INSERT INTO outbox (op_id, op_json, state, created_at, updated_at)"
                " VALUES (?1, ?2, 'pending', ?3, ?3)"),
        hlc_(db_.handle(),
             "INSERT INTO sync_state (key, value) VALUES ('hlc', ?1)"
             " ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
        device_("http://127.0.0.1:1", 7) {
    db_.exec("BEGIN");
    RawStatement insert(db_.handle(),
                        "INSERT INTO entity_case (id, unit_id, version, stamps, title, channel,"
                        " status, received_at) VALUES (?1, 'unit', 0, '{}', 't', 'home_visit',"
                        " 'received', '2026-11-26T08:00:00Z')");
    for (std::size_t i = 0; i < cases; ++i) {
      ids_.push_back(device_.new_case("unit", "t").id);
      insert.bind(1, ids_.back()).run();
    }
    db_.exec("COMMIT");
  }

  void update(std::size_t n, const std::string& title) {
    const Op op = device_.update_case(ids_[n % ids_.size()], 0, title);
    const std::string op_json = encode_op(op).dump();
    const std::string stamps = R"({"title":{"hlc":")" + op.hlc.to_string() + R"(","dev":")" +
                               op.device_id + R"(","op":")" + op.op_id + R"("}})";
    begin_.run();
    update_.bind(1, op.id).bind(2, title).bind(3, stamps).bind(4, op.user_id);
    update_.bind(5, op.hlc.to_string()).run();
    outbox_.bind(1, op.op_id).bind(2, op_json).bind(3, "2026-11-26T08:00:00.000Z").run();
    hlc_.bind(1, op.hlc.to_string()).run();
    commit_.run();
  }

  std::int64_t outbox_rows() { return db_.query_int("SELECT COUNT(*) FROM outbox"); }

 private:
  RawStatement begin_, commit_, update_, outbox_, hlc_;
  SimDevice device_;
  std::vector<std::string> ids_;
};

int run(const Args& args) {
  const std::size_t cases = args.pick<std::size_t>(1000, 200, 20);
  const std::size_t updates = args.pick<std::size_t>(1000, 300, 20);
  const int rounds = args.pick(5, 3, 1);

  TempDir dir("local-write");
  const BenchStore store = BenchStore::create(dir.path() / "server", 1);
  std::vector<std::string> ids;
  client::Client tablet = client::Client::open(dir.path() / "tablet.db");
  {
    ServerRun server(store.data_dir);
    client::CurlOptions curl;
    curl.base_url = server.base_url();
    client::CurlTransport transport(curl);
    tablet.set_transport(&transport);
    tablet.login(BenchStore::leader(0), kBenchPassword);
    tablet.set_transport(nullptr);  // every write below is offline, as in the field
  }
  for (std::size_t i = 0; i < cases; ++i)
    ids.push_back(
        tablet.create_case({{"title", "Case " + std::to_string(i)}, {"channel", "home_visit"}}));
  RawTablet raw(dir.path() / "raw.db", cases);

  std::vector<double> library_ms, raw_ms;
  std::size_t written = 0;
  for (int round = 0; round < rounds; ++round) {
    Stopwatch lib;
    for (std::size_t i = 0; i < updates; ++i)
      tablet.update_case(ids[(written + i) % ids.size()],
                         {{"title", "Round " + std::to_string(round) + " " + std::to_string(i)}});
    library_ms.push_back(lib.ms() / static_cast<double>(updates));
    Stopwatch base;
    for (std::size_t i = 0; i < updates; ++i)
      raw.update(written + i, "Round " + std::to_string(round) + " " + std::to_string(i));
    raw_ms.push_back(base.ms() / static_cast<double>(updates));
    written += updates;
  }

  // Every write is in the outbox, and the view shows the last one.
  const auto status = tablet.status();
  check(status.pending_ops == static_cast<std::int64_t>(cases + written),
        "outbox holds " + std::to_string(status.pending_ops) + " ops, expected " +
            std::to_string(cases + written));
  check(raw.outbox_rows() == static_cast<std::int64_t>(written), "raw outbox count");
  const std::size_t last = written - 1;
  const auto row = tablet.find("case", ids[last % ids.size()]);
  check(row && row->values.value("title", "") ==
                   "Round " + std::to_string(rounds - 1) + " " + std::to_string(updates - 1),
        "the last update is what the view shows");

  const double lib = median(library_ms), base = median(raw_ms);
  note("local write: " + std::to_string(rounds) + " rounds of " + std::to_string(updates) +
       " updates over " + std::to_string(cases) + " cases, WAL + synchronous=FULL on both");
  print_figure({"1 local write (update_case)", lib, "ms/op", base, lib / base, "<= 1.5x raw",
                lib / base <= 1.5});
  return 0;
}

}  // namespace
}  // namespace fieldsync::bench

int main(int argc, char** argv) {
  return fieldsync::bench::run_bench(argc, argv, "local_write_bench", fieldsync::bench::run);
}
