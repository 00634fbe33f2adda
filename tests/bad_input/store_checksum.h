#pragma once
// A checksum of a server store, to show that a refused request changed nothing (and that a
// replayed one doubled nothing): SHA-256 over every table's rows in a fixed order, read through
// a read-only SQLite connection.
#include <filesystem>
#include <string>

namespace fieldsync::testing {

// Lower-case hex SHA-256 of every row of every table of the store at `db_file`, tables by name,
// rows by all their columns. Left out, because a refused request legitimately writes them:
// op_log rows with outcome 'rejected' (a rejected op is logged so a resend gets the same answer)
// and login_failures (a wrong password counts towards throttling).
std::string store_checksum(const std::filesystem::path& db_file);

}  // namespace fieldsync::testing
