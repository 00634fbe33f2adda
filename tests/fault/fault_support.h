#pragma once
// Shared pieces of the fault suite: the mode (bounded or FIELDSYNC_LONG=1), seeds, the figures
// written to $FIELDSYNC_FIGURES_DIR/fault.json, and checks of SQLite files.
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>

namespace fieldsync::testing {

// True when FIELDSYNC_LONG=1.
bool long_mode();
// FIELDSYNC_SEED when set (to replay a failure), else `fallback`.
std::uint64_t suite_seed(std::uint64_t fallback);

// Adds `value` to the figure `name` of fault.json (figures keep the order of first use). When
// FIELDSYNC_FIGURES_DIR is set, the file is rewritten after every change, so it holds what the
// test cases run so far counted.
void add_figure(const std::string& name, std::int64_t value);

// PRAGMA integrity_check of the SQLite file at `path` ("ok" when sound), on a connection of its
// own (read-write, so that it can recover the WAL a killed process left).
std::string integrity_check(const std::filesystem::path& path);

// A uniform integer in [low, high] from `rng`.
std::int64_t uniform(std::mt19937_64& rng, std::int64_t low, std::int64_t high);

}  // namespace fieldsync::testing
