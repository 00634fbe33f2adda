#pragma once
// A connection to one SQLite database file, set up the way every FieldSync store needs it.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "fieldsync/sqlite/statement.h"

struct sqlite3;

namespace fieldsync::sqlite {

enum class Synchronous {
  normal,  // durable up to the last checkpoint-safe commit; the usual choice with WAL
  full,    // every commit reaches the disk before it returns
};

struct OpenOptions {
  bool read_only = false;
  bool create = true;  // create the file when missing (ignored when read_only)
  int busy_timeout_ms = 5000;
  Synchronous synchronous = Synchronous::normal;
  // The name of a registered sqlite3_vfs to open the file through; empty: SQLite's default.
  // Production leaves it empty; tests name a fault-injecting VFS (tests/fault).
  std::string vfs = {};
};

// Owns one sqlite3 connection and closes it on destruction. Move-only.
// Contract after open():
//  - journal_mode is WAL (":memory:" databases keep "memory"), foreign_keys is ON,
//    synchronous is as requested, and a lock held by another connection is waited for up to
//    busy_timeout_ms before "busy" is thrown;
//  - prepare_cached(sql) returns the same Statement object for the same SQL text for the
//    life of the Database (also across moves), reset and with bindings cleared;
//  - failures throw fieldsync::Error (domain storage; see statement.h for the codes).
// REQUIRES: one thread at a time. Cached SQL is fixed text (values go in parameters), since
// the cache keeps every statement until the Database is destroyed. A cached statement must not
// be used for a second query while its rows are still being read.
class Database {
 public:
  static Database open(const std::filesystem::path& path, const OpenOptions& options = {});

  ~Database();
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs a script of zero or more ';'-separated statements, discarding any rows.
  void exec(std::string_view sql);

  // A statement from the cache, prepared on first use; reset, bindings cleared.
  Statement& prepare_cached(std::string_view sql);
  // A fresh statement owned by the caller, for SQL run once. REQUIRES: exactly one statement.
  Statement prepare(std::string_view sql);

  std::int64_t last_insert_rowid() const;
  // Rows changed by the last INSERT/UPDATE/DELETE.
  std::int64_t changes() const;
  // True when no transaction is open.
  bool autocommit() const;
  std::size_t cached_statement_count() const { return cache_.size(); }

  const std::filesystem::path& path() const { return path_; }
  sqlite3* handle() const noexcept { return db_; }

 private:
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const {
      return std::hash<std::string_view>{}(sql);
    }
  };
  using Cache =
      std::unordered_map<std::string, std::unique_ptr<Statement>, SqlHash, std::equal_to<>>;

  Database(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}
  void close() noexcept;

  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
  Cache cache_;
};

}  // namespace fieldsync::sqlite
