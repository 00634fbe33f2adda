// doctest's main for the bad-input suite: runs the tests, then writes bad_input.json, but only
// after a whole, passing run (a filtered run would under-count the kinds).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <string_view>

#include "bad_input_ledger.h"

namespace {

// doctest's options that select or list test cases instead of running them all.
constexpr std::string_view kFilters[] = {
    "-tc",  "--test-case",      "-tce", "--test-case-exclude",
    "-ts",  "--test-suite",     "-tse", "--test-suite-exclude",
    "-sf",  "--source-file",    "-sfe", "--source-file-exclude",
    "-sc",  "--subcase",        "-sce", "--subcase-exclude",
    "-f",   "--first",          "-l",   "--last",
    "-ltc", "--list-test-cases"};

bool filtered(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    for (std::string_view filter : kFilters)
      if (arg.rfind(filter, 0) == 0 && (arg.size() == filter.size() || arg[filter.size()] == '='))
        return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  doctest::Context context(argc, argv);
  const int failed = context.run();
  if (context.shouldExit()) return failed;
  if (failed == 0 && !filtered(argc, argv))
    fieldsync::testing::BadInputLedger::instance().write_figures();
  return failed;
}
