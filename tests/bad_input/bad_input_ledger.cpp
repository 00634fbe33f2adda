#include "bad_input_ledger.h"

#include <cstdlib>
#include <fstream>
#include <numeric>
#include <sstream>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

namespace fieldsync::testing {

BadInputLedger& BadInputLedger::instance() {
  static BadInputLedger ledger;
  return ledger;
}

void BadInputLedger::record(const std::string& kind, bool checksum_compared) {
  INFO("bad-input kind \"", kind, "\" must have a row in docs/protocol.md's Bad requests table");
  CHECK(documented_bad_requests().count(kind) == 1);
  ++requests_by_kind_[kind];
  if (checksum_compared) ++checksums_;
}

std::size_t BadInputLedger::requests() const {
  return std::accumulate(requests_by_kind_.begin(), requests_by_kind_.end(), std::size_t{0},
                         [](std::size_t sum, const auto& entry) { return sum + entry.second; });
}

void BadInputLedger::write_figures() const {
  const char* dir = std::getenv("FIELDSYNC_FIGURES_DIR");
  if (dir == nullptr || *dir == '\0') return;
  const char* long_mode = std::getenv("FIELDSYNC_LONG");
  const nlohmann::json doc = {
      {"suite", "bad_input"},
      {"title", "Bad input to the server"},
      {"what",
       "Sends malformed, hostile and forged requests to a real fieldsync-server process over "
       "loopback HTTP (broken and truncated JSON, wrong types, huge numbers, deep nesting, "
       "invalid UTF-8, oversized fields and bodies, unknown entities and fields, forged units, "
       "users, devices and tokens, rows of other units, replayed, reordered and future ops, wrong "
       "schema versions, other units' snapshot tokens, wrong methods, paths and content types). "
       "Each must get its documented HTTP status and error code (or, inside a valid batch, its "
       "per-op answer), and a SHA-256 over every table of the server's SQLite store must be the "
       "same before and after: nothing refused is stored, nothing replayed is doubled."},
      {"mode", long_mode != nullptr && std::string(long_mode) == "1" ? "long" : "bounded"},
      {"figures",
       {{{"name", "kinds of bad input"}, {"value", kinds()}},
        {{"name", "bad requests sent"}, {"value", requests()}},
        {{"name", "store checksums compared"}, {"value", checksums()}}}}};
  std::ofstream out(std::string(dir) + "/bad_input.json");
  out << doc.dump(2) << "\n";
}

const std::map<std::string, std::string>& documented_bad_requests() {
  static const std::map<std::string, std::string> rows = [] {
    std::map<std::string, std::string> found;
    std::ifstream in(std::string(FIELDSYNC_DOCS_DIR) + "/protocol.md");
    std::string line;
    bool in_section = false;
    while (std::getline(in, line)) {
      if (line.rfind("## ", 0) == 0) in_section = line == "## Bad requests";
      if (!in_section || line.rfind("| ", 0) != 0) continue;
      const auto end = line.find(" |", 2);
      if (end == std::string::npos) continue;
      const std::string kind = line.substr(2, end - 2);
      if (kind != "request" && kind.find("---") == std::string::npos) found[kind] = line;
    }
    return found;
  }();
  return rows;
}

}  // namespace fieldsync::testing
