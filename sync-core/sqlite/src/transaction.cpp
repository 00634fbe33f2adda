#include "fieldsync/sqlite/transaction.h"
#include "fieldsync/core/error.h"

#include <sqlite3.h>

#include <atomic>
#include <cstdint>

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

std::string next_savepoint_name() {
  static std::atomic<std::uint64_t> counter{0};
  return "fieldsync_sp_" + std::to_string(counter.fetch_add(1, std::memory_order_relaxed));
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

Savepoint::Savepoint(Database& db) : db_(db), name_(next_savepoint_name()) {
  db_.exec("SAVEPOINT " + name_);
  active_ = true;
}

Savepoint::~Savepoint() {
  if (active_ && !db_.autocommit()) {
    exec_quietly(db_, "ROLLBACK TO " + name_);
    exec_quietly(db_, "RELEASE " + name_);
  }
}

void Savepoint::release() {
  require_active(active_, "release()");
  db_.exec("RELEASE " + name_);
  active_ = false;
}

void Savepoint::rollback() {
  require_active(active_, "rollback()");
  active_ = false;
  db_.exec("ROLLBACK TO " + name_);
  db_.exec("RELEASE " + name_);
}

}  // namespace fieldsync::sqlite
