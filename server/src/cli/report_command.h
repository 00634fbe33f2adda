#pragma once
// `fieldsync-server report --data DIR --unit ID|PATH --from DATE --to DATE [--json|--csv]
// [--urgent-report-threshold MINUTES]`: the speech's metrics of a unit subtree for a period
// (both dates included), broken down by child unit, read from the store (it may be serving).
// Prints a text table by default, the API's JSON document with --json, CSV with --csv
// (docs/metrics.md). Exit codes: 0 printed, 1 failed (message on stderr), 2 unusable input.
#include <CLI/CLI.hpp>

namespace fieldsync::server::cli {

// Registers the subcommand; when it runs (during app.parse()), it sets exit_code.
// REQUIRES: exit_code outlives app.
void add_report_command(CLI::App& app, int& exit_code);

}  // namespace fieldsync::server::cli
