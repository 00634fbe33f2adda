#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer in their own build directory, and runs each for a bounded time
# starting from its seed corpus (tests/fuzz/corpus/<target>). New inputs go to the build
# directory, never into the repository. A crash leaves its input in
# $BUILD_DIR/artifacts/<target>/: fix the bug, then copy that file to
# tests/fuzz/regressions/<target>/ so ctest's fuzz_regression replays it from then on.
# With FIELDSYNC_FIGURES_DIR set, writes fuzz.json there (executions per target, from libFuzzer's
# final statistics). Exits non-zero when a build or a target fails. The build directory is
# $FIELDSYNC_FUZZ_BUILD_DIR (default build/fuzz).
#
# Usage: scripts/fuzz.sh [--seconds N]   (default 60 per target; 600 with FIELDSYNC_LONG=1)
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET=60
[[ "${FIELDSYNC_LONG:-}" == 1 ]] && SECONDS_PER_TARGET=600
while (($#)); do
  case "$1" in
    --seconds) SECONDS_PER_TARGET="$2"; shift 2 ;;
    --seconds=*) SECONDS_PER_TARGET="${1#*=}"; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "fuzz: unknown argument $1 (use --seconds N)" >&2; exit 2 ;;
  esac
done
[[ "$SECONDS_PER_TARGET" =~ ^[0-9]+$ ]] || { echo "fuzz: --seconds takes a number" >&2; exit 2; }

TARGETS=(op_codec push_body model_loader)
BUILD_DIR="${FIELDSYNC_FUZZ_BUILD_DIR:-build/fuzz}"
JOBS="$(nproc)"

cmake -S . -B "$BUILD_DIR" -G Ninja \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_FLAGS="-O1" -DCMAKE_CXX_FLAGS="-O1 -fsanitize=fuzzer-no-link" \
  -DFIELDSYNC_SANITIZE=ON -DFIELDSYNC_WERROR=OFF -DFIELDSYNC_FUZZ=ON >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS" --target "${TARGETS[@]/#/fuzz_}"

status=0
figures=()
for target in "${TARGETS[@]}"; do
  scratch="$BUILD_DIR/corpus/$target"
  artifacts="$BUILD_DIR/artifacts/$target/"
  log="$BUILD_DIR/fuzz_$target.log"
  mkdir -p "$scratch" "$artifacts"
  echo "fuzz: $target for ${SECONDS_PER_TARGET}s"
  if ! "$BUILD_DIR/tests/fuzz/fuzz_$target" -max_total_time="$SECONDS_PER_TARGET" \
      -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -artifact_prefix="$artifacts" "$scratch" "tests/fuzz/corpus/$target" >"$log" 2>&1; then
    status=1
    echo "fuzz: $target FAILED; the input is in $artifacts, the log in $log:" >&2
    grep -E "ERROR|SUMMARY|invariant|Test unit written" "$log" | head -20 >&2 || tail -40 "$log" >&2
  fi
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  echo "fuzz: $target: ${runs:-0} executions"
  figures+=("{\"name\": \"$target executions\", \"value\": ${runs:-0}}")
done

if [[ -n "${FIELDSYNC_FIGURES_DIR:-}" ]]; then
  mkdir -p "$FIELDSYNC_FIGURES_DIR"
  mode=bounded
  [[ "${FIELDSYNC_LONG:-}" == 1 ]] && mode=long
  joined="$(IFS=,; echo "${figures[*]}")"
  cat >"$FIELDSYNC_FIGURES_DIR/fuzz.json" <<JSON
{"suite": "fuzz", "title": "Fuzzing",
 "what": "libFuzzer, built with clang under AddressSanitizer and UndefinedBehaviorSanitizer, mutates inputs for three targets for ${SECONDS_PER_TARGET} s each, starting from the seed corpus in tests/fuzz/corpus: the op codec (decode, encode/decode round trip, validation against the model), a push request body the whole way the server takes it (strict JSON parse, decode, validation, scope gate and apply on a temporary SQLite store, one answer per op) and the model loader (load, then create every entity table). Any crash, sanitizer report, hang or broken invariant fails the run; each input that once failed is kept in tests/fuzz/regressions and replayed by ctest.",
 "mode": "$mode",
 "figures": [$joined, {"name": "seconds per target", "value": $SECONDS_PER_TARGET}]}
JSON
fi
exit $status
