#include "fieldsync/sqlite/statement.h"

#include <sqlite3.h>

#include <utility>

#include "sqlite_error.h"

namespace fieldsync::sqlite {
namespace {

// A non-null pointer for empty text, so SQLite binds "" rather than NULL.
const char* text_data(std::string_view text) {
  return text.data() != nullptr ? text.data() : "";
}

}  // namespace

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), stepped_(std::exchange(other.stepped_, false)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    stepped_ = std::exchange(other.stepped_, false);
  }
  return *this;
}

void Statement::check_bind(int rc, int index) const {
  if (rc != SQLITE_OK) {
    detail::throw_error(sqlite3_db_handle(stmt_), rc,
                        "cannot bind parameter " + std::to_string(index), sql());
  }
}

void Statement::bind_int64(int index, std::int64_t value) {
  reset_if_stepped();
  check_bind(sqlite3_bind_int64(stmt_, index, value), index);
}

void Statement::bind(int index, double value) {
  reset_if_stepped();
  check_bind(sqlite3_bind_double(stmt_, index, value), index);
}

void Statement::bind(int index, std::string_view text) {
  reset_if_stepped();
  check_bind(sqlite3_bind_text64(stmt_, index, text_data(text), text.size(), SQLITE_TRANSIENT,
                                 SQLITE_UTF8),
             index);
}

void Statement::bind(int index, std::span<const std::uint8_t> blob) {
  reset_if_stepped();
  const int rc =
      blob.empty() ? sqlite3_bind_zeroblob(stmt_, index, 0)
                   : sqlite3_bind_blob64(stmt_, index, blob.data(), blob.size(), SQLITE_TRANSIENT);
  check_bind(rc, index);
}

void Statement::bind(int index, std::nullptr_t) {
  reset_if_stepped();
  check_bind(sqlite3_bind_null(stmt_, index), index);
}

void Statement::bind_json(int index, const nlohmann::json& json) {
  bind(index, json.dump());
}

int Statement::parameter_index(std::string_view name) const {
  const std::string key(name);
  const int index = sqlite3_bind_parameter_index(stmt_, key.c_str());
  if (index == 0) {
    throw detail::make_error(SQLITE_RANGE, "cannot bind parameter " + key,
                             "no parameter of that name", sql());
  }
  return index;
}

void Statement::clear_bindings() {
  sqlite3_clear_bindings(stmt_);
}

void Statement::reset_if_stepped() {
  if (stepped_) reset();
}

bool Statement::step() {
  stepped_ = true;
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error error =
      detail::make_error(rc, "statement failed", sqlite3_errmsg(sqlite3_db_handle(stmt_)), sql());
  reset();
  throw error;
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  stepped_ = false;
}

int Statement::column_count() const {
  return sqlite3_column_count(stmt_);
}

std::string Statement::column_name(int column) const {
  const char* name = sqlite3_column_name(stmt_, column);
  return name != nullptr ? name : "";
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::column_int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::optional<std::int64_t> Statement::column_optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return column_int64(column);
}

double Statement::column_double(int column) const {
  return sqlite3_column_double(stmt_, column);
}

std::string Statement::column_text(int column) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);
  return text != nullptr ? std::string(text, static_cast<std::size_t>(size)) : std::string();
}

std::optional<std::string> Statement::column_optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return column_text(column);
}

std::vector<std::uint8_t> Statement::column_blob(int column) const {
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr) return {};
  return std::vector<std::uint8_t>(data, data + size);
}

nlohmann::json Statement::column_json(int column) const {
  if (is_null(column)) return nullptr;
  const std::string text = column_text(column);
  nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    throw Error(
        ErrorDomain::storage, "bad_json",
        "column " + column_name(column) + " does not hold JSON, in SQL: " + std::string(sql()));
  }
  return json;
}

std::string_view Statement::sql() const {
  const char* text = sqlite3_sql(stmt_);
  return text != nullptr ? text : "";
}

}  // namespace fieldsync::sqlite
