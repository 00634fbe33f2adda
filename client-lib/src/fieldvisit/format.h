#pragma once
// How fieldvisit shows things: aligned tables, labelled blocks, times, people, devices, values,
// and the JSON forms of records for --json.
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "fieldsync/client/client.h"
#include "fieldsync/client/records.h"
#include "fieldsync/client/sync_types.h"
#include "fieldsync/core/model.h"

namespace fieldsync::fieldvisit {

// What every write says after its result.
inline constexpr const char* kSavedNote =
    "Saved on this device; `fieldvisit sync` sends it to the server.\n";

// Columns as wide as their widest cell (UTF-8 aware), two spaces apart, `indent` before each
// line. The last column is not padded.
void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows, const std::string& indent = "");

// "label   value" lines with the labels padded to one width.
void print_fields(std::ostream& out, const std::vector<std::pair<std::string, std::string>>& rows,
                  const std::string& indent = "  ");

// Code points of UTF-8 text.
std::size_t display_width(const std::string& text);

// Cuts text to `width` code points with "..." at the end, newlines shown as spaces.
std::string clip(const std::string& text, std::size_t width);

// "2026-11-26 08:00:05 UTC" from an RFC 3339 timestamp (as given when it does not parse).
std::string show_time(const std::string& rfc3339);
// The same from an HLC text ("1764137103000-0007").
std::string show_hlc(const std::string& hlc);
// "2026-11-26 08:00:05 UTC" from milliseconds since the epoch.
std::string show_ms(std::int64_t unix_ms);

// A field value as text: sets and lists comma-separated, null as "-".
std::string show_value(const Json& value);

// A field's value as text, with user ids shown as people.
std::string show_field(const client::Client& client, const std::string& entity,
                       const std::string& field, const Json& value, const std::string& me = {});

// "Wang Li (wang)" when the user's row is on the device, else "user 0192f3a4-5b6c"; `me` is
// marked "you": "Wang Li (wang, you)".
std::string show_user(const client::Client& client, const std::string& user_id,
                      const std::string& me = {});
// "tablet-a (0192f3a4-5b6c)" when the device row is on the device, else the short id.
std::string show_device(const client::Client& client, const std::string& device_id);
// The unit's name when its row is on the device, else its short id.
std::string show_unit(const client::Client& client, const std::string& unit_id);
// A UUID cut to its first 12 hex digits ("0192f3a4-5b6c"), for ids nobody types.
std::string brief_id(const std::string& id);

// "1 visit" / "2 visits".
std::string count(std::int64_t n, const std::string& singular, const std::string& plural = {});

// JSON forms for --json.
Json record_json(const client::Record& record);
Json history_json(const client::HistoryEntry& entry);
Json rejected_json(const client::RejectedOp& op);
Json status_json(const client::SyncStatus& status);

// Writes `doc` as one JSON document (pretty, with a final newline).
void print_json(std::ostream& out, const Json& doc);

// The reasons a rejected op was refused, one line.
std::string reasons_of(const client::RejectedOp& op);

}  // namespace fieldsync::fieldvisit
