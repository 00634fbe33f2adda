// doctest's main for the bad-input suite: runs the tests, then writes bad_input.json.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "bad_input_ledger.h"

int main(int argc, char** argv) {
  doctest::Context context(argc, argv);
  const int failed = context.run();
  if (context.shouldExit()) return failed;
  fieldsync::testing::BadInputLedger::instance().write_figures();
  return failed;
}
