#pragma once
// Versioned, re-runnable schema migrations, recorded in a schema_migrations table.
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fieldsync/sqlite/database.h"

namespace fieldsync::sqlite {

struct Migration {
  int version = 0;
  std::string name;
  std::string sql;  // a script; REQUIRES: no BEGIN/COMMIT/ROLLBACK of its own
};

struct MigrationResult {
  std::vector<int> applied;  // versions applied by this run, in order
};

// Applies the migrations of `migrations` not yet recorded in schema_migrations(version, name,
// checksum, applied_at), in list order. Contract:
//  - versions must be >= 1 and strictly increasing, else "migration_order" before anything is
//    touched;
//  - a recorded migration whose checksum differs from migration_checksum(sql) is refused with
//    "migration_changed" naming its version, before anything is applied;
//  - each pending migration runs in its own IMMEDIATE transaction together with its
//    bookkeeping row; one that fails is rolled back entirely and reported as
//    "migration_failed" with its version and name; migrations before it stay applied;
//  - running the same list again applies nothing. Recorded versions absent from the list are
//    left alone, so several lists may share one database if their versions do not overlap.
// All errors are fieldsync::Error, domain storage.
MigrationResult run_migrations(Database& db, std::span<const Migration> migrations);

// The checksum recorded for a migration: "fnv1a64:" + 16 lower-case hex digits of the 64-bit
// FNV-1a hash of the SQL text, with CRLF line ends read as LF.
std::string migration_checksum(std::string_view sql);

// Reads the migration files of `dir`: regular files named NNNN_name.sql (NNNN decimal digits,
// name non-empty), sorted by version; other files are ignored. A .sql file not named so gives
// "migration_file", two files with one version give "migration_order", an unreadable directory
// or file gives "migration_file".
std::vector<Migration> load_sql_migrations(const std::filesystem::path& dir);

}  // namespace fieldsync::sqlite
