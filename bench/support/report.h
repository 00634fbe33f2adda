#pragma once
// What every benchmark program shares: its run mode (smoke, quick, full), the figures it
// reports, and correctness checks that fail the run.
//
// A figure is printed as one tab-separated line starting with "FIGURE" that scripts/bench.sh
// collects into the table:
//   FIGURE <name> <value> <unit> <baseline> <ratio> <target> <met: yes|no|->
// The baseline is measured in the same run (same machine, same load), so the ratio is the
// figure to trust on a shared machine. A failed check prints "CHECK FAILED: ..." and the
// program exits 1; a smoke run asserts only that checks pass, never a timing.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace fieldsync::bench {

enum class Mode { smoke, quick, full };

struct Args {
  Mode mode = Mode::full;
  std::vector<std::string> rest;  // arguments after the mode flags

  bool smoke() const { return mode == Mode::smoke; }
  // n for a full run, q for --quick, s for --smoke.
  template <typename T>
  T pick(T full, T quick, T smoke) const {
    return mode == Mode::full ? full : mode == Mode::quick ? quick : smoke;
  }
};

// Reads --smoke / --quick; anything else is kept in `rest`.
Args parse_args(int argc, char** argv);

struct Figure {
  std::string name;
  double value = 0;
  std::string unit;
  std::optional<double> baseline;  // same unit as value, measured in the same run
  std::optional<double> ratio;     // value / baseline unless stated otherwise
  std::string target;              // e.g. "<= 1.5x raw", ">= 30000 ops/s"; "" for none
  std::optional<bool> met;         // nullopt when there is no target
};

void print_figure(const Figure& f);
// A line of context printed beside the figures (prefixed "NOTE").
void note(const std::string& text);

// Thrown by check(); main() of every bench turns it into exit status 1.
struct CheckFailed : std::runtime_error {
  using std::runtime_error::runtime_error;
};
void check(bool ok, const std::string& what);

// Runs body(args) and maps CheckFailed and other exceptions to exit status 1.
int run_bench(int argc, char** argv, const char* name, int (*body)(const Args&));

}  // namespace fieldsync::bench
