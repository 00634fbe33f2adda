#pragma once
// A prepared SQLite statement: bind parameters, step through rows, read columns.
#include <concepts>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "fieldsync/core/error.h"

struct sqlite3_stmt;

namespace fieldsync::sqlite {

// Owns one sqlite3_stmt and finalizes it on destruction. Move-only.
// Contract:
//  - parameter indexes are 1-based (as in SQLite), column indexes 0-based;
//  - text and blobs are copied at bind time, so the argument need not outlive the call;
//  - json is bound as its dump() text and read back by parsing the column text;
//  - every failure throws fieldsync::Error, domain storage, code "busy" (SQLITE_BUSY/LOCKED),
//    "constraint" (SQLITE_CONSTRAINT*), "storage_full" (SQLITE_FULL), "io_error"
//    (SQLITE_IOERR*) or "sqlite_error"; the message holds SQLite's message and the SQL;
//  - binding after a step starts a new execution: the statement is reset first (other
//    parameters keep their values until bound again), and run() resets once it is done, so a
//    statement reused in a loop (a cached one above all) needs no reset at the call site.
// REQUIRES: one thread at a time. Destroying the Database first is safe (the connection closes
// when its last statement is finalized), but the statement may then only be destroyed.
class Statement {
 public:
  // Takes ownership of a prepared statement (normally made by Database::prepare).
  explicit Statement(sqlite3_stmt* stmt) noexcept : stmt_(stmt) {}
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binding by 1-based index.
  template <std::integral T>
  void bind(int index, T value) {
    bind_int64(index, static_cast<std::int64_t>(value));
  }
  void bind(int index, double value);
  void bind(int index, std::string_view text);
  void bind(int index, const std::string& text) { bind(index, std::string_view(text)); }
  void bind(int index, const char* text) { bind(index, std::string_view(text)); }
  void bind(int index, std::span<const std::uint8_t> blob);
  void bind(int index, const std::vector<std::uint8_t>& blob) {
    bind(index, std::span<const std::uint8_t>(blob));
  }
  void bind(int index, std::nullptr_t);
  void bind(int index, std::nullopt_t) { bind(index, nullptr); }
  // Only an actual nlohmann::json binds as JSON; nothing converts to it implicitly.
  template <typename J>
  requires std::same_as<J, nlohmann::json>
  void bind(int index, const J& json) { bind_json(index, json); }
  template <typename T>
  void bind(int index, const std::optional<T>& value) {
    if (value) {
      bind(index, *value);
    } else {
      bind(index, nullptr);
    }
  }

  // Binding by name, spelled as in the SQL including its prefix (":name"). Throws when the
  // SQL has no such parameter.
  template <typename T>
  void bind(std::string_view name, T&& value) {
    bind(parameter_index(name), std::forward<T>(value));
  }
  int parameter_index(std::string_view name) const;

  // Unbinds all parameters (they become NULL).
  void clear_bindings();

  // Runs to the next row: true when a row is available, false when done. On failure the
  // statement is reset before the Error is thrown.
  bool step();
  // Steps until done, ignoring any rows (for INSERT/UPDATE/DELETE/DDL), then resets.
  void run();
  // Back to the start so it can run again; bindings are kept. Also ends a read of rows not
  // read to the end (releasing its read snapshot).
  void reset();

  // Columns of the current row (REQUIRES: the last step() returned true).
  int column_count() const;
  std::string column_name(int column) const;
  bool is_null(int column) const;
  std::int64_t column_int64(int column) const;
  std::optional<std::int64_t> column_optional_int64(int column) const;
  double column_double(int column) const;
  // NULL reads as "".
  std::string column_text(int column) const;
  std::optional<std::string> column_optional_text(int column) const;
  std::vector<std::uint8_t> column_blob(int column) const;
  // Parses the column text; NULL reads as a json null. Throws code "bad_json" when the text
  // is not JSON.
  nlohmann::json column_json(int column) const;

  // The SQL text as prepared.
  std::string_view sql() const;
  sqlite3_stmt* handle() const noexcept { return stmt_; }

 private:
  void bind_int64(int index, std::int64_t value);
  void bind_json(int index, const nlohmann::json& json);
  void check_bind(int rc, int index) const;
  void reset_if_stepped();

  sqlite3_stmt* stmt_ = nullptr;
  bool stepped_ = false;  // stepped since prepared or last reset: a bind must reset first
};

}  // namespace fieldsync::sqlite
