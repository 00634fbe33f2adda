#pragma once
// Scoped transactions and savepoints: work is undone unless explicitly committed.
#include <string>

#include "fieldsync/sqlite/database.h"

namespace fieldsync::sqlite {

enum class TransactionMode {
  immediate,  // takes the write lock at BEGIN, so a later write cannot fail with "busy"
  deferred,   // takes locks on first read/write
};

// BEGIN on construction; commit() makes the work permanent; destruction without commit()
// (including during stack unwinding) rolls everything back. Never throws from the destructor.
// REQUIRES: no transaction is open on `db` (nest with Savepoint); `db` outlives this object.
class Transaction {
 public:
  explicit Transaction(Database& db, TransactionMode mode = TransactionMode::immediate);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // Throws on failure, leaving the transaction open (the destructor then rolls it back).
  // REQUIRES: active().
  void commit();
  // Rolls back now. REQUIRES: active().
  void rollback();
  bool active() const { return active_; }

 private:
  Database& db_;
  bool active_ = false;
};

// A named savepoint, usable inside or outside a Transaction and nested to any depth: release()
// keeps the work as part of the enclosing transaction; destruction without release() undoes
// only the work done since the savepoint was made. Outside any transaction, release() commits.
// Never throws from the destructor.
// REQUIRES: savepoints on one Database end in reverse order of creation (as scopes do); `db`
// outlives this object.
class Savepoint {
 public:
  explicit Savepoint(Database& db);
  ~Savepoint();
  Savepoint(const Savepoint&) = delete;
  Savepoint& operator=(const Savepoint&) = delete;

  // REQUIRES: active().
  void release();
  // Undoes the work since the savepoint and ends it. REQUIRES: active().
  void rollback();
  bool active() const { return active_; }
  const std::string& name() const { return name_; }

 private:
  Database& db_;
  std::string name_;
  bool active_ = false;
};

}  // namespace fieldsync::sqlite
