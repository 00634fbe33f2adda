#include "raw_sqlite.h"

#include <stdexcept>

namespace fieldsync::bench {
namespace {
void ok(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
}
}  // namespace

RawStatement::RawStatement(sqlite3* db, std::string_view sql) {
  ok(db,
     sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                        &stmt_, nullptr),
     "prepare");
}

RawStatement::~RawStatement() {
  sqlite3_finalize(stmt_);
}

RawStatement& RawStatement::bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

RawStatement& RawStatement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

void RawStatement::run() {
  while (step()) {
  }
  reset();
}

bool RawStatement::step() {
  const int rc = sqlite3_step(stmt_);
  ok(sqlite3_db_handle(stmt_), rc, "step");
  return rc == SQLITE_ROW;
}

std::int64_t RawStatement::column_int64(int index) {
  return sqlite3_column_int64(stmt_, index);
}

void RawStatement::reset() {
  sqlite3_reset(stmt_);
}

RawDb::RawDb(const std::filesystem::path& path, const char* synchronous) {
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK)
    throw std::runtime_error("cannot open " + path.string());
  exec("PRAGMA journal_mode = WAL");
  exec(std::string("PRAGMA synchronous = ") + synchronous);
}

RawDb::~RawDb() {
  sqlite3_close_v2(db_);
}

void RawDb::exec(const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error ? error : "unknown";
    sqlite3_free(error);
    throw std::runtime_error(sql.substr(0, 60) + ": " + message);
  }
}

std::int64_t RawDb::query_int(const std::string& sql) {
  RawStatement s(db_, sql);
  const std::int64_t v = s.step() ? s.column_int64(0) : 0;
  s.reset();
  return v;
}

}  // namespace fieldsync::bench
