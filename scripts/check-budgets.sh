#!/usr/bin/env bash
# Prints every suite's time against its budget (tests/budgets.txt) and fails when one took more
# than twice its budget (half its ctest timeout, which is 4x the budget): growth is named here
# before it turns into a timeout. A budget is the suite's time on a quiet 2-core machine, with
# room for a loaded one; a ratio, never an absolute wall-clock assertion inside a test.
#
# Usage: scripts/check-budgets.sh CTEST_LOG [NAME=SECONDS ...]
#   CTEST_LOG is what `ctest` printed; NAME=SECONDS adds suites timed outside ctest (fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."

LOG="$1"
shift
BUDGETS=tests/budgets.txt
MAX_RATIO=2

{
  # ctest's result lines: "  3/27 Test  #5: integration_tests.api_auth ....   Passed    6.12 sec"
  sed -nE 's/^ *[0-9]+\/[0-9]+ +Test +#[0-9]+: ([^ ]+) .* ([0-9]+\.[0-9]+) sec$/\1 \2/p' "$LOG"
  for extra in "$@"; do echo "${extra%%=*} ${extra#*=}"; done
} | awk -v budgets="$BUDGETS" -v max_ratio="$MAX_RATIO" '
  BEGIN {
    while ((getline line < budgets) > 0) {
      if (line ~ /^[A-Za-z]/) { split(line, f, /[ \t]+/); budget[f[1]] = f[2] }
    }
  }
  { took[$1] = $2; order[n++] = $1 }
  END {
    printf "\n%-40s %9s %9s %7s\n", "suite", "seconds", "budget", "ratio"
    over = 0
    for (i = 0; i < n; i++) {
      name = order[i]
      if (!(name in budget)) {
        printf "%-40s %9.1f %9s %7s  NO BUDGET in %s\n", name, took[name], "-", "-", budgets
        over = 1
        continue
      }
      ratio = took[name] / budget[name]
      mark = ratio > max_ratio ? "  OVER BUDGET" : ""
      if (ratio > max_ratio) over = 1
      printf "%-40s %9.1f %9d %7.2f%s\n", name, took[name], budget[name], ratio, mark
    }
    if (over) {
      printf "\nbudgets: a suite took more than %dx its budget (or has none); find what grew\n", max_ratio
      exit 1
    }
    printf "\nbudgets: every suite within %dx its budget\n", max_ratio
  }'
