#pragma once
// The record of what the bad-input suite sent: every kind of bad input, how many requests
// carried it and how many store checksums were compared. Written as bad_input.json into
// $FIELDSYNC_FIGURES_DIR (docs/reliability.md) when that is set. Every kind must have its row in
// the bad-request table of docs/protocol.md; record() CHECKs that.
#include <cstddef>
#include <map>
#include <string>

namespace fieldsync::testing {

class BadInputLedger {
 public:
  static BadInputLedger& instance();

  // One request of `kind` was sent; `checksum_compared` when the store's checksum before and
  // after it was compared (false for bad input the server rightly applies, e.g. a future stamp).
  void record(const std::string& kind, bool checksum_compared = true);

  std::size_t kinds() const { return requests_by_kind_.size(); }
  std::size_t requests() const;
  std::size_t checksums() const { return checksums_; }
  // Writes $FIELDSYNC_FIGURES_DIR/bad_input.json; does nothing when that is unset.
  void write_figures() const;

 private:
  std::map<std::string, std::size_t> requests_by_kind_;
  std::size_t checksums_ = 0;
};

// The first column of every row of docs/protocol.md's "Bad requests" table.
const std::map<std::string, std::string>& documented_bad_requests();

}  // namespace fieldsync::testing
