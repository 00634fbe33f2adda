#!/usr/bin/env bash
# Runs every FieldSync benchmark (bench/, issue 8) in a Release build of its own and prints one
# table: each figure, its baseline measured in the same run, the ratio, the target and whether
# it was met, followed by the machine (CPU, memory, load). Usage:
#   scripts/bench.sh           full run (soak 10 min, 500 devices 60 s, growth to 1M ops: ~25 min)
#   scripts/bench.sh --quick   shortened sizes (~5 min)
#   scripts/bench.sh [--quick] NAME...   only the named benchmarks (e.g. ingest_bench)
# Exit status: non-zero when a benchmark failed its correctness checks (a missed target is
# reported in the table, not as a failure). The table is Markdown, ready for bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=""
if [[ "${1:-}" == "--quick" ]]; then
  MODE="--quick"
  shift
fi
BENCHES=("$@")
if ((${#BENCHES[@]} == 0)); then
  BENCHES=(local_write_bench round_trip_bench ingest_bench bootstrap_bench growth_bench
           devices_bench soak_bench)
fi

scripts/setup.sh
BUILD_DIR="${FIELDSYNC_BENCH_BUILD_DIR:-build/bench}"
# Release, without -Werror: GCC 12 at -O3 reports -Wrestrict false positives inside libstdc++.
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFIELDSYNC_WERROR=OFF \
  -DFIELDSYNC_SANITIZE=OFF -DFIELDSYNC_TESTS=OFF >/dev/null
cmake --build "$BUILD_DIR" --target benches >&2

OUT="$BUILD_DIR/bench-results.txt"
: >"$OUT"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
failed=()
for bench in "${BENCHES[@]}"; do
  echo "== $bench $MODE" >&2
  if ! "$BUILD_DIR/bench/$bench" $MODE | tee -a "$OUT" >&2; then
    failed+=("$bench")
  fi
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "| figure | value | unit | baseline (same run) | ratio | target | met |"
echo "| --- | ---: | --- | ---: | ---: | --- | --- |"
grep '^FIGURE' "$OUT" | awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s |\n", $2, $3, $4, $5, $6, $7, $8}'
echo
grep '^NOTE' "$OUT" | cut -f2- | sed 's/^/- /'
echo
echo "Machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores," \
  "$(free -g | awk '/^Mem:/ {print $2}') GiB memory; load average $load_before before," \
  "$load_after after; $(date -u '+%Y-%m-%d %H:%M UTC'); mode ${MODE:---full}"
if ((${#failed[@]} > 0)); then
  echo "FAILED (correctness checks): ${failed[*]}"
  exit 1
fi
