#include "sqlite_error.h"

#include <sqlite3.h>

#include <string>

namespace fieldsync::sqlite::detail {
namespace {

constexpr std::size_t kMaxSqlInMessage = 300;

}  // namespace

std::string_view error_code_for(int result_code) {
  switch (result_code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return "busy";
    case SQLITE_CONSTRAINT: return "constraint";
    case SQLITE_FULL: return "storage_full";
    case SQLITE_IOERR: return "io_error";
    default: return "sqlite_error";
  }
}

Error make_error(int result_code, std::string_view what, std::string_view detail,
                 std::string_view sql) {
  std::string message(what);
  message += ": ";
  message += detail;
  message += " (";
  message += sqlite3_errstr(result_code);
  message += ")";
  if (!sql.empty()) {
    message += " in SQL: ";
    if (sql.size() > kMaxSqlInMessage) {
      message += sql.substr(0, kMaxSqlInMessage);
      message += "...";
    } else {
      message += sql;
    }
  }
  return Error(ErrorDomain::storage, std::string(error_code_for(result_code)), std::move(message));
}

void throw_error(sqlite3* db, int result_code, std::string_view what, std::string_view sql) {
  throw make_error(result_code, what, db != nullptr ? sqlite3_errmsg(db) : "", sql);
}

}  // namespace fieldsync::sqlite::detail
