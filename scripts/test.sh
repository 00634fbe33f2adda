#!/usr/bin/env bash
# Runs every FieldSync test: installs what is missing, configures, builds (warnings are
# errors, AddressSanitizer + UndefinedBehaviorSanitizer on), checks formatting, runs ctest,
# then fuzzes each fuzz target for a bounded time (scripts/fuzz.sh). The exit code is non-zero
# when anything failed.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

BUILD_DIR="${FIELDSYNC_BUILD_DIR:-build/test}"
cmake -S . -B "$BUILD_DIR" -G Ninja \
  -DCMAKE_BUILD_TYPE=Debug \
  -DFIELDSYNC_WERROR=ON \
  -DFIELDSYNC_SANITIZE=ON >/dev/null
cmake --build "$BUILD_DIR"

scripts/check-format.sh

ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)"

# A bounded libFuzzer run of each fuzz target (its own clang build; about 3 minutes on 2 cores,
# build included). Fails the run on any crash or sanitizer report.
scripts/fuzz.sh --seconds "${FIELDSYNC_FUZZ_SECONDS:-20}"
