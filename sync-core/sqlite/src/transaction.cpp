#include "fieldsync/sqlite/transaction.h"
#include "fieldsync/core/error.h"

#include <sqlite3.h>

#include <string>

namespace fieldsync::sqlite {
namespace {

void require_active(bool active, const char* what) {
  if (!active) {
    throw Error(ErrorDomain::internal, "transaction_finished",
                std::string(what) + " called on a transaction or savepoint that already ended");
  }
}

// Best-effort, for destructors: errors are ignored.
void exec_quietly(Database& db, const std::string& sql) {
  sqlite3_exec(db.handle(), sql.c_str(), nullptr, nullptr, nullptr);
}

// Savepoints open on this thread. A savepoint is named after its depth, so nested savepoints
// have distinct names while their SQL stays a handful of cached, prepared statements (a push
// opens one per op; parsing fresh SQL for each was a measurable part of its cost).
thread_local int open_savepoints = 0;

// Runs one of the savepoint statements through the connection's statement cache.
void run_cached(Database& db, const std::string& sql) {
  db.prepare_cached(sql).run();
}

// Best-effort, for destructors: errors are ignored.
void run_cached_quietly(Database& db, const std::string& sql) {
  try {
    run_cached(db, sql);
  } catch (...) {
  }
}

}  // namespace

Transaction::Transaction(Database& db, TransactionMode mode) : db_(db) {
  db_.exec(mode == TransactionMode::immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
  active_ = true;
}

Transaction::~Transaction() {
  // SQLite may already have rolled back by itself (e.g. after a failed COMMIT on a full disk).
  if (active_ && !db_.autocommit()) exec_quietly(db_, "ROLLBACK");
}

void Transaction::commit() {
  require_active(active_, "commit()");
  db_.exec("COMMIT");
  active_ = false;
}

void Transaction::rollback() {
  require_active(active_, "rollback()");
  active_ = false;
  if (!db_.autocommit()) db_.exec("ROLLBACK");
}

Savepoint::Savepoint(Database& db)
    : db_(db), name_("fieldsync_sp_" + std::to_string(open_savepoints)) {
  run_cached(db_, "SAVEPOINT " + name_);
  active_ = true;
  ++open_savepoints;
}

Savepoint::~Savepoint() {
  if (!active_) return;
  --open_savepoints;
  if (!db_.autocommit()) {
    run_cached_quietly(db_, "ROLLBACK TO " + name_);
    run_cached_quietly(db_, "RELEASE " + name_);
  }
}

void Savepoint::release() {
  require_active(active_, "release()");
  run_cached(db_, "RELEASE " + name_);
  active_ = false;
  --open_savepoints;
}

void Savepoint::rollback() {
  require_active(active_, "rollback()");
  active_ = false;
  --open_savepoints;
  run_cached(db_, "ROLLBACK TO " + name_);
  run_cached(db_, "RELEASE " + name_);
}

}  // namespace fieldsync::sqlite
