#pragma once
// Small helpers shared by the SQLite layer tests.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fieldsync/core/error.h"
#include "fieldsync/sqlite/database.h"

namespace fieldsync::sqlite::testing {

// The fieldsync::Error `f` throws, or nullopt when it throws none.
template <typename F>
std::optional<Error> thrown_error(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  return std::nullopt;
}

// The first column of the first row of `sql` as an integer.
inline std::int64_t query_int(Database& db, std::string_view sql) {
  Statement stmt = db.prepare(sql);
  return stmt.step() ? stmt.column_int64(0) : -1;
}

inline std::string query_text(Database& db, std::string_view sql) {
  Statement stmt = db.prepare(sql);
  return stmt.step() ? stmt.column_text(0) : std::string("<no row>");
}

inline bool table_exists(Database& db, const std::string& name) {
  Statement stmt = db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name=:name");
  stmt.bind(":name", name);
  return stmt.step();
}

}  // namespace fieldsync::sqlite::testing
