#pragma once
// Ids as people type and read them: a full UUID or a unique prefix of at least 8 hex digits
// (dashes optional) on input; on output a prefix of at least 12 digits that is unique on this
// device.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "fieldsync/client/client.h"

namespace fieldsync::fieldvisit {

// Finds rows of the device by typed id. Kinds: "case", "petitioner", "visit", "commitment",
// "urgent_report", "conflict" (open ones), "op" (rejected ops). The ids of a kind are loaded
// from the client's reads the first time they are needed.
class IdResolver {
 public:
  explicit IdResolver(const client::Client& client) : client_(client) {}

  // The full id of the `kind` row `typed` names. Throws CliError when it is not an id or a
  // prefix of at least 8 hex digits, names no row (with a hint), or several (listing them).
  std::string resolve(const std::string& kind, const std::string& typed);

  // `id` shortened to the prefix length that keeps every id in `shown` unique among all
  // known ids of `kind` (at least 12 hex digits). Use one length per table.
  int unique_length(const std::string& kind, const std::vector<std::string>& shown);
  // The same among `all` instead of every known id (a case's own rows: loading every
  // visit or commitment of the device would read every case).
  int unique_among(const std::vector<std::string>& shown,
                   const std::vector<std::string>& all) const;
  std::string shorten(const std::string& id, int hex_digits) const;
  // The 12-digit prefix, without checking it is unique (for rows just made: a later
  // ambiguous prefix is answered with the full ids).
  std::string brief(const std::string& id) const;
  // One id alone, shortened as unique_length({id}) says.
  std::string short_id(const std::string& kind, const std::string& id);

  // Forgets what was loaded (after a write added rows).
  void reset() { known_.clear(); }

 private:
  const std::vector<std::string>& known(const std::string& kind);
  void load_case_rows();

  const client::Client& client_;
  std::map<std::string, std::vector<std::string>> known_;
};

// The hex digits of an id or prefix, lower-cased, dashes removed; "" when it has other chars.
std::string hex_digits_of(std::string_view text);

}  // namespace fieldsync::fieldvisit
