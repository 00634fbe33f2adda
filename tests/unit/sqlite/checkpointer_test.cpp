#include <doctest/doctest.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "fieldsync/sqlite/checkpointer.h"
#include "fieldsync/sqlite/transaction.h"
#include "temp_dir.h"
#include "test_support.h"

using namespace fieldsync::sqlite;
using namespace fieldsync::sqlite::testing;

namespace {

// Frames in the WAL and how many of them are copied into the database file, read from the
// WAL-index (the -shm file; https://www.sqlite.org/walformat.html: mxFrame at byte 16 of the
// header, nBackfill at byte 96), which looking does not change as a checkpoint call would.
struct WalState {
  std::uint32_t frames = 0;
  std::uint32_t copied = 0;
};

WalState wal_state(const std::filesystem::path& db_path) {
  std::ifstream shm(db_path.string() + "-shm", std::ios::binary);
  char bytes[100] = {};
  shm.read(bytes, sizeof bytes);
  REQUIRE(shm.gcount() == static_cast<std::streamsize>(sizeof bytes));
  WalState s;
  std::memcpy(&s.frames, bytes + 16, sizeof s.frames);
  std::memcpy(&s.copied, bytes + 96, sizeof s.copied);
  return s;
}

void write_rows(Database& db, int first, int count) {
  Transaction tx(db);
  Statement& add = db.prepare_cached("INSERT INTO item (id, body) VALUES (?1, ?2)");
  for (int i = first; i < first + count; ++i) {
    add.bind(1, i);
    add.bind(2, std::string(2000, 'x'));
    add.run();
    add.reset();
  }
  tx.commit();
}

}  // namespace

TEST_CASE("checkpointer: the writer's commit leaves the copy to the thread, which makes it") {
  TempDir dir;
  Database writer = Database::open(dir.file("s.db"));
  writer.exec("CREATE TABLE item (id INTEGER PRIMARY KEY, body TEXT)");
  Checkpointer checkpoints(writer, {});
  write_rows(writer, 0, 3000);  // ~1,500 pages: past SQLite's own 1,000-page threshold

  WalState s = wal_state(dir.file("s.db"));
  // The thread copies every committed page; waited for with a bound, never timed.
  for (int i = 0; i < 1000 && s.copied < s.frames; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    s = wal_state(dir.file("s.db"));
  }
  CHECK(s.frames > 1000);
  CHECK(s.copied == s.frames);
  Database other = Database::open(dir.file("s.db"));
  CHECK(query_int(other, "SELECT count(*) FROM item") == 3000);
}

TEST_CASE("checkpointer: past its limit the writer copies the WAL itself, in its commit") {
  TempDir dir;
  Database writer = Database::open(dir.file("s.db"));
  writer.exec("CREATE TABLE item (id INTEGER PRIMARY KEY, body TEXT)");
  Checkpointer checkpoints(writer, {}, /*limit_pages=*/0);
  write_rows(writer, 0, 100);
  // No wait: the commit returned after its own checkpoint.
  const WalState s = wal_state(dir.file("s.db"));
  CHECK(s.frames > 0);
  CHECK(s.copied == s.frames);
}

TEST_CASE("checkpointer: once it is gone the writer commits and checkpoints as before") {
  TempDir dir;
  Database writer = Database::open(dir.file("s.db"));
  writer.exec("CREATE TABLE item (id INTEGER PRIMARY KEY, body TEXT)");
  { Checkpointer checkpoints(writer, {}); }
  write_rows(writer, 0, 3000);  // SQLite's automatic checkpoint, inside this commit
  const WalState s = wal_state(dir.file("s.db"));
  CHECK(s.frames > 1000);
  CHECK(s.copied == s.frames);
}
