#include "store_checksum.h"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>
#include <vector>

#include "fieldsync/sqlite/database.h"

namespace fieldsync::testing {
namespace {

class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1)
      throw std::runtime_error("SHA-256 unavailable");
  }
  void add(const std::string& text) {
    // Length first, so ("ab","c") and ("a","bc") differ.
    const std::string framed = std::to_string(text.size()) + ":" + text;
    EVP_DigestUpdate(ctx_.get(), framed.data(), framed.size());
  }
  std::string hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_DigestFinal_ex(ctx_.get(), digest, &size);
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < size; ++i) {
      out += digits[digest[i] >> 4];
      out += digits[digest[i] & 15];
    }
    return out;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx_;
};

}  // namespace

std::string store_checksum(const std::filesystem::path& db_file) {
  sqlite::OpenOptions options;
  options.read_only = true;
  options.create = false;
  sqlite::Database db = sqlite::Database::open(db_file, options);
  std::vector<std::string> tables;
  {
    sqlite::Statement st = db.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\' AND name <> 'login_failures' ORDER BY name");
    while (st.step()) tables.push_back(st.column_text(0));
  }
  Sha256 sha;
  for (const auto& table : tables) {
    int columns = 0;
    {
      sqlite::Statement st = db.prepare("SELECT * FROM \"" + table + "\" LIMIT 0");
      columns = st.column_count();
    }
    std::string order;
    for (int c = 1; c <= columns; ++c) order += (c > 1 ? "," : "") + std::to_string(c);
    const std::string where = table == "op_log" ? " WHERE outcome <> 'rejected'" : "";
    sqlite::Statement st =
        db.prepare("SELECT * FROM \"" + table + "\"" + where + " ORDER BY " + order);
    sha.add("table " + table);
    while (st.step()) {
      std::string row;
      for (int c = 0; c < st.column_count(); ++c)
        row += st.is_null(c) ? std::string("\x01null") : "\x02" + st.column_text(c);
      sha.add(row);
    }
  }
  return sha.hex();
}

}  // namespace fieldsync::testing
