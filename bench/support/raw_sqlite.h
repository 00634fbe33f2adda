#pragma once
// Plain sqlite3 C API, for the baselines: the same rows written by hand-written SQL with
// prepared statements and nothing else, so a ratio shows what FieldSync adds on top.
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace fieldsync::bench {

class RawStatement {
 public:
  RawStatement(sqlite3* db, std::string_view sql);
  ~RawStatement();
  RawStatement(const RawStatement&) = delete;
  RawStatement& operator=(const RawStatement&) = delete;

  RawStatement& bind(int index, std::string_view text);
  RawStatement& bind(int index, std::int64_t value);
  // Steps to completion (rows are discarded) and resets.
  void run();
  // One step; true while a row is available. reset() after.
  bool step();
  std::int64_t column_int64(int index);
  void reset();

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

// A connection with WAL and the given synchronous level ("FULL" or "NORMAL").
class RawDb {
 public:
  RawDb(const std::filesystem::path& path, const char* synchronous);
  ~RawDb();
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  void exec(const std::string& sql);
  std::int64_t query_int(const std::string& sql);
  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace fieldsync::bench
