#pragma once
// Internal: turning SQLite result codes into fieldsync::Error (domain storage).
#include <string_view>

#include "fieldsync/core/error.h"

struct sqlite3;

namespace fieldsync::sqlite::detail {

// "busy" for SQLITE_BUSY/SQLITE_LOCKED, "constraint" for SQLITE_CONSTRAINT*, "storage_full"
// for SQLITE_FULL (disk or quota full), "io_error" for SQLITE_IOERR* (a read, write or fsync
// failed), else "sqlite_error".
std::string_view error_code_for(int result_code);

// An Error for a failed call: `what` says what was attempted, `detail` is SQLite's message,
// `sql` (may be empty) the statement involved, shortened when long.
Error make_error(int result_code, std::string_view what, std::string_view detail,
                 std::string_view sql = {});

// Throws make_error(rc, what, sqlite3_errmsg(db), sql).
[[noreturn]] void throw_error(sqlite3* db, int result_code, std::string_view what,
                              std::string_view sql = {});

}  // namespace fieldsync::sqlite::detail
