#!/usr/bin/env bash
# Runs the reliability suites of issue 7 (the simulation, crash and disk-fault trials, bad
# input, fuzz regressions: every ctest test whose name contains sim, fault, bad_input or fuzz;
# then the libFuzzer targets through scripts/fuzz.sh)
# with FIELDSYNC_FIGURES_DIR set, then renders docs/reliability.md from the <suite>.json files
# they write (docs/reliability.md says what each suite does; the figures are the tests' own).
#
#   scripts/reliability.sh           bounded mode (what CI runs), Debug + ASan/UBSan
#   scripts/reliability.sh --long    long mode (FIELDSYNC_LONG=1), optimised build without
#                                    sanitizers so the long runs finish; may take hours
#
# Environment: FIELDSYNC_BUILD_DIR (default build-reliability or build-reliability-long),
# FIELDSYNC_FIGURES_DIR (default <build dir>/figures), FIELDSYNC_RELIABILITY_DOC (default
# docs/reliability.md), FIELDSYNC_TMPDIR (where the suites put their SQLite files; default
# /dev/shm when it exists in long mode, so fsync-heavy runs measure the code, not the disk),
# FIELDSYNC_RELIABILITY_SUITES (a regex of ctest names; default sim|fault|bad_input|fuzz: then
# the figures of earlier runs are cleared first; with a narrower regex they are kept, so suites
# can be run separately, even at the same time, and the page shows all of them),
# FIELDSYNC_SIM_THREADS (long mode: simulated worlds run at once; default: the CPU count).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=bounded
case "${1:-}" in
  --long) mode=long ;;
  "") ;;
  *) echo "usage: $0 [--long]" >&2; exit 2 ;;
esac

if [[ $mode == long ]]; then
  BUILD_DIR="${FIELDSYNC_BUILD_DIR:-build-reliability-long}"
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DFIELDSYNC_WERROR=ON -DFIELDSYNC_SANITIZE=OFF >/dev/null
  export FIELDSYNC_LONG=1
  export FIELDSYNC_SIM_THREADS="${FIELDSYNC_SIM_THREADS:-$(nproc)}"
  if [[ -z "${FIELDSYNC_TMPDIR:-}" && -d /dev/shm ]]; then FIELDSYNC_TMPDIR=/dev/shm; fi
else
  BUILD_DIR="${FIELDSYNC_BUILD_DIR:-build-reliability}"
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DFIELDSYNC_WERROR=ON -DFIELDSYNC_SANITIZE=ON >/dev/null
  unset FIELDSYNC_LONG
fi
if [[ -n "${FIELDSYNC_TMPDIR:-}" ]]; then export TMPDIR="$FIELDSYNC_TMPDIR"; fi
SUITES="${FIELDSYNC_RELIABILITY_SUITES:-sim|fault|bad_input|fuzz}"
mapfile -t tests < <(ctest --test-dir "$BUILD_DIR" --show-only=json-v1 |
  jq -r --arg re "$SUITES" '.tests[] | select(.name | test($re)) | .name')
# Build only what the suites need (each suite's test is named after its target).
targets=()
for name in "${tests[@]}"; do
  if ninja -C "$BUILD_DIR" -t targets all | grep -q "^$name:"; then targets+=("$name"); fi
done
if ((${#targets[@]} > 0)); then cmake --build "$BUILD_DIR" --target "${targets[@]}"; fi

FIGURES="${FIELDSYNC_FIGURES_DIR:-$BUILD_DIR/figures}"
DOC="${FIELDSYNC_RELIABILITY_DOC:-docs/reliability.md}"
mkdir -p "$FIGURES"
if [[ -z "${FIELDSYNC_RELIABILITY_SUITES:-}" ]]; then rm -f "$FIGURES"/*.json "$FIGURES"/*.outcome; fi
export FIELDSYNC_FIGURES_DIR="$(cd "$FIGURES" && pwd)"

# Run each suite's command as ctest knows it, but directly, so the long mode is not cut off
# by the bounded mode's ctest timeouts.
status=0
declare -A outcome
for name in "${tests[@]}"; do
  mapfile -t cmd < <(ctest --test-dir "$BUILD_DIR" --show-only=json-v1 |
    jq -r --arg n "$name" '.tests[] | select(.name == $n) | .command[]')
  echo "== $name ($mode)"
  start=$(date +%s)
  if "${cmd[@]}"; then outcome[$name]="passed"; else outcome[$name]="FAILED"; status=1; fi
  outcome[$name]+=" in $(($(date +%s) - start)) s"
  echo "${outcome[$name]} ($(date -u +'%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD))" \
    >"$FIGURES/$name.outcome"
done
# The fuzz targets themselves run under libFuzzer in their own clang build (60 s per target,
# 600 s in the long mode); scripts/fuzz.sh writes fuzz.json.
if [[ fuzz =~ $SUITES ]]; then
  echo "== scripts/fuzz.sh ($mode)"
  start=$(date +%s)
  if scripts/fuzz.sh; then outcome[scripts/fuzz.sh]="passed"; else
    outcome[scripts/fuzz.sh]="FAILED"; status=1; fi
  outcome[scripts/fuzz.sh]+=" in $(($(date +%s) - start)) s"
  echo "${outcome[scripts/fuzz.sh]} ($(date -u +'%Y-%m-%d %H:%M UTC'), commit" \
    "$(git rev-parse --short HEAD))" >"$FIGURES/fuzz.sh.outcome"
fi

# Render the document.
{
  echo "# Reliability: what the issue-7 suites do, and their figures"
  echo
  echo "Rendered by \`scripts/reliability.sh$([[ $mode == long ]] && echo " --long")\` on" \
    "$(date -u +'%Y-%m-%d %H:%M UTC') at commit $(git rev-parse --short HEAD)$(git diff \
      --quiet HEAD -- tests scripts sync-core client-lib server schema || echo \
      " with uncommitted changes in the tree")." \
    "Every figure below was counted by the test that ran, not typed in. Mode: **$mode**" \
    "$([[ $mode == long ]] && echo "(FIELDSYNC_LONG=1, RelWithDebInfo without sanitizers)" ||
      echo "(what CI runs: Debug with ASan+UBSan)")."
  echo
  echo "Machine: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)," \
    "$(nproc) CPUs, $(free -g | awk '/^Mem:/ {print $2}') GiB memory."
  echo
  if [[ $mode == bounded ]]; then
    echo "These figures are from the bounded mode. The long mode (\`--long\`: the simulation over"
    echo "at least 1,000 devices and 1,000,000 ops, the crash trials at 100 and more) writes its own"
    echo "figures here when it is run; each section below names the mode it came from."
    echo
  fi
  echo "Suites run (each line says when it ran; suites run apart may have run on earlier commits):"
  echo
  echo "| suite | outcome |"
  echo "| --- | --- |"
  for file in "$FIELDSYNC_FIGURES_DIR"/*.outcome; do
    [[ -e $file ]] || continue
    name=$(basename "$file" .outcome)
    [[ $name == fuzz.sh ]] && name=scripts/fuzz.sh
    echo "| \`$name\` | $(cat "$file") |"
  done
  for file in "$FIELDSYNC_FIGURES_DIR"/*.json; do
    [[ -e $file ]] || continue
    echo
    jq -r '"## " + .title + " (`" + .suite + "`, " + .mode + " mode)\n\n" + .what + "\n\n" +
      "| figure | value |\n| --- | --- |\n" +
      ([.figures[] | "| " + .name + " | " + (.value | if type == "array" then
        (map(tostring) | join(", ")) else tostring end) + " |"] | join("\n"))' "$file"
  done
  echo
  echo "## Running them"
  echo
  echo "\`scripts/reliability.sh\` (bounded) or \`scripts/reliability.sh --long\` rebuilds this page."
  echo "Suites can also run apart (\`FIELDSYNC_RELIABILITY_SUITES=sim scripts/reliability.sh --long\`):"
  echo "the page then keeps the figures and outcomes of the others from their last run. The long"
  echo "simulation runs \`FIELDSYNC_SIM_THREADS\` worlds at once (default: the CPU count); each"
  echo "world is still a pure function of its seed."
  echo "A failing simulation seed is printed with \`FIELDSYNC_SIM_SEED=<seed>\`; setting it replays"
  echo "exactly that world (add \`FIELDSYNC_LONG=1\` for a long-mode seed):"
  echo "\`FIELDSYNC_SIM_SEED=33 build-reliability/tests/sim/sim_tests\`."
} >"$DOC"
echo "wrote $DOC (figures in $FIELDSYNC_FIGURES_DIR)"
exit $status
