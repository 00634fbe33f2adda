#pragma once
// WAL checkpoints off the writer's path. SQLite by default makes the committing connection copy
// the WAL into the database file once it passes 1,000 pages, inside that commit; on a store that
// takes random updates, that is a second write of every page the commit wrote, paid before the
// commit returns. A Checkpointer turns that off for one writer connection and, after each of its
// commits, lets a thread with its own connection copy the committed pages (PASSIVE: it never
// blocks the writer or a reader), on the server's other core. Should the WAL still outgrow
// `limit_pages` (the thread cannot keep up), the writer checkpoints after its commit as SQLite
// would by default, so the WAL stays bounded.
#include <sqlite3.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "fieldsync/sqlite/database.h"

namespace fieldsync::sqlite {

class Checkpointer {
 public:
  // REQUIRES: `writer` is open in WAL mode and outlives the Checkpointer; `options` open the
  // same file (the same VFS). Throws as Database::open when the second connection fails.
  Checkpointer(Database& writer, const OpenOptions& options, int limit_pages = 50'000);
  // Stops the thread after a last checkpoint and gives the writer back SQLite's automatic one.
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

 private:
  static int on_commit(void* self, sqlite3* db, const char* schema, int wal_pages);
  void run();

  Database& writer_;
  Database own_;
  int limit_pages_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool pending_ = false;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace fieldsync::sqlite
