// load_sql_migrations: migrations read from NNNN_name.sql files.
#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <system_error>

#include "fieldsync/core/error.h"
#include "fieldsync/sqlite/migrations.h"

namespace fieldsync::sqlite {
namespace {

Error file_error(const std::filesystem::path& path, const std::string& problem) {
  return Error(ErrorDomain::storage, "migration_file", path.string() + ": " + problem);
}

// Splits "0001_sync_bookkeeping.sql" into version 1 and name "sync_bookkeeping".
Migration parse_name(const std::filesystem::path& path) {
  const std::string stem = path.stem().string();
  const std::size_t underscore = stem.find('_');
  const std::string_view digits = std::string_view(stem).substr(0, underscore);
  Migration m;
  const bool all_digits = !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
  const auto [end, ec] =
      all_digits ? std::from_chars(digits.data(), digits.data() + digits.size(), m.version)
                 : std::from_chars_result{digits.data(), std::errc::invalid_argument};
  if (underscore == std::string::npos || underscore + 1 == stem.size() || ec != std::errc() ||
      end != digits.data() + digits.size()) {
    throw file_error(path, "a migration file must be named NNNN_name.sql (NNNN decimal digits)");
  }
  m.name = stem.substr(underscore + 1);
  return m;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw file_error(path, "cannot open the file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw file_error(path, "cannot read the file");
  return text.str();
}

}  // namespace

std::vector<Migration> load_sql_migrations(const std::filesystem::path& dir) {
  std::vector<std::pair<Migration, std::filesystem::path>> found;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;  // an entry whose type cannot be read is not a regular file
    if (!it->is_regular_file(type_ec) || it->path().extension() != ".sql") continue;
    Migration m = parse_name(it->path());
    m.sql = read_file(it->path());
    found.emplace_back(std::move(m), it->path());
  }
  if (ec) throw file_error(dir, "cannot read the migrations directory: " + ec.message());
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.first.version < b.first.version; });

  std::vector<Migration> migrations;
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (i > 0 && found[i].first.version == found[i - 1].first.version) {
      throw Error(ErrorDomain::storage, "migration_order",
                  found[i - 1].second.string() + " and " + found[i].second.string() +
                      " have the same version " + std::to_string(found[i].first.version));
    }
    migrations.push_back(std::move(found[i].first));
  }
  return migrations;
}

}  // namespace fieldsync::sqlite
