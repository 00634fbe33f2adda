#!/usr/bin/env bash
# Runs every FieldSync test: installs what is missing, configures, builds (warnings are
# errors, AddressSanitizer + UndefinedBehaviorSanitizer on), checks formatting, runs ctest,
# then fuzzes each fuzz target for a bounded time (scripts/fuzz.sh). At the end it prints each
# phase's time and each suite's time against its budget (scripts/check-budgets.sh). The exit
# code is non-zero when anything failed or a suite ran far over its budget.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR="${FIELDSYNC_BUILD_DIR:-build/test}"
phases=()
# Runs a phase, notes its time; stops the run when it fails.
phase() {
  local name="$1" start=$SECONDS
  shift
  "$@"
  phases+=("$name $((SECONDS - start))")
}

phase setup scripts/setup.sh
phase configure cmake -S . -B "$BUILD_DIR" -G Ninja \
  -DCMAKE_BUILD_TYPE=Debug \
  -DFIELDSYNC_WERROR=ON \
  -DFIELDSYNC_SANITIZE=ON >/dev/null
phase build cmake --build "$BUILD_DIR"
phase format scripts/check-format.sh

# ctest and the fuzz run both run even when the other fails; the budgets are checked last.
status=0
ctest_log="$BUILD_DIR/ctest.log"
start=$SECONDS
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)" 2>&1 | tee "$ctest_log" ||
  status=1
phases+=("ctest $((SECONDS - start))")

# A bounded libFuzzer run of each fuzz target (its own clang build, included in its time).
start=$SECONDS
scripts/fuzz.sh --seconds "${FIELDSYNC_FUZZ_SECONDS:-20}" || status=1
fuzz_seconds=$((SECONDS - start))
phases+=("fuzz $fuzz_seconds")

echo
printf '%-12s %8s\n' phase seconds
for p in "${phases[@]}"; do printf '%-12s %8s\n' ${p}; done
printf '%-12s %8s\n' total "$SECONDS"

scripts/check-budgets.sh "$ctest_log" "fuzz=$fuzz_seconds" || status=1
exit "$status"
