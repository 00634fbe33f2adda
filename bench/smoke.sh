#!/usr/bin/env bash
# Runs each benchmark given on the command line in --smoke mode (tiny sizes, a few seconds):
# fails when one does not complete or one of its correctness checks fails. Timings printed in
# smoke mode mean nothing (sanitizers, tiny sizes) and are not looked at.
set -uo pipefail
# Replicas and stores on tmpfs when there is one: every tablet write is fsynced, which is
# what the full benchmarks measure and what a smoke run does not need.
if [[ -d /dev/shm && -w /dev/shm && -z "${FIELDSYNC_BENCH_TMP:-}" ]]; then
  export FIELDSYNC_BENCH_TMP=/dev/shm
fi
status=0
for bench in "$@"; do
  name=$(basename "$bench")
  start=$(date +%s%N)
  if output=$("$bench" --smoke 2>&1); then
    printf '%-20s ok   %6d ms\n' "$name" $((($(date +%s%N) - start) / 1000000))
  else
    printf '%-20s FAILED\n%s\n' "$name" "$output"
    status=1
  fi
done
exit $status
