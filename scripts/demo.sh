#!/usr/bin/env bash
# The main job: installs what is missing, builds, then shows FieldSync working, step by step.
# A central server runs on a temporary data directory (embedded SQLite); two field leaders'
# tablets work offline while the server is gone, edit the same case, and reconcile when it is
# back; the central office decides the conflict. Then a repeat petition, a commitment gone
# overdue and a late urgent report appear in the case lists and the metrics report. Exits 0
# only if every step did what it said.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

scripts/setup.sh
BUILD="${FIELDSYNC_DEMO_BUILD_DIR:-build/demo}"
echo "Building fieldsync-server and fieldvisit in $BUILD (a minute or two the first time)..."
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFIELDSYNC_TESTS=OFF >/dev/null
cmake --build "$BUILD" --target fieldsync-server fieldvisit >/dev/null
SERVER="$ROOT/$BUILD/server/fieldsync-server"
FIELDVISIT="$ROOT/$BUILD/client-lib/fieldvisit"

WORK=$(mktemp -d /tmp/fieldsync-demo.XXXXXX)
DATA="$WORK/server-data"
SERVER_PID=""
FAILED=0

SERVER_EXIT=""
stop_server() {  # SIGTERM, then the server's exit status in SERVER_EXIT
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    SERVER_EXIT=0
    wait "$SERVER_PID" 2>/dev/null || SERVER_EXIT=$?
  fi
  SERVER_PID=""
}
cleanup() { stop_server; rm -rf "$WORK"; }
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
say() { printf '   %s\n' "$*"; }
# check "what should be true" COMMAND...: runs the command quietly and reports.
check() {
  local what="$1"
  shift
  if "$@" >/dev/null 2>&1; then
    printf '   \033[32mok\033[0m    %s\n' "$what"
  else
    printf '   \033[31mFAIL\033[0m  %s\n' "$what"
    FAILED=1
  fi
}
# A command on a tablet: tablet NAME fieldvisit-args...
tablet() {
  local name="$1"
  shift
  "$FIELDVISIT" --db "$WORK/$name.db" "$@"
}
# jq over a tablet's --json output: json_of NAME 'filter' fieldvisit-args...
json_of() {
  local name="$1" filter="$2"
  shift 2
  tablet "$name" --json "$@" | jq -r "$filter"
}

# Syncs a tablet. Exit 3 means it finished with open conflicts or refused changes: expected here.
sync_tablet() {
  local status=0
  tablet "$1" sync | sed 's/^/   /' || status=${PIPESTATUS[0]}
  if [[ "$status" -ne 0 && "$status" -ne 3 ]]; then
    echo "   sync on $1 failed (exit $status)" >&2
    FAILED=1
  fi
}

start_server() {  # start_server LISTEN
  "$SERVER" serve --data "$DATA" --listen "$1" >"$WORK/server.out" 2>>"$WORK/server.log" &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    if grep -q "listening on" "$WORK/server.out" 2>/dev/null; then
      URL=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$WORK/server.out")
      return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "the server did not start:" >&2
  cat "$WORK/server.log" >&2
  exit 1
}

step "1. The central office sets up its server (embedded SQLite, no setup)"
export FIELDSYNC_ADMIN_PASSWORD="demo-admin-secret"
"$SERVER" init --data "$DATA" --unit-name "Plant 2" | sed 's/^/   /'
"$SERVER" unit add --data "$DATA" --name "Unit 3" --kind unit --parent "Plant 2" | sed 's/^/   /'
add_user() {  # add_user LOGIN NAME ROLE UNIT; sets USER_ID
  local out
  out=$(FIELDSYNC_USER_PASSWORD="pw-$1" "$SERVER" user add --data "$DATA" --login "$1" \
    --name "$2" --role "$3" --unit "$4")
  say "$out"
  USER_ID=${out##* }
}
add_user wang "Wang Jun" field_leader "Plant 2/Unit 3" && WANG=$USER_ID
add_user li "Li Hua" field_leader "Plant 2/Unit 3" && LI=$USER_ID
add_user zhao "Zhao Min" central_office "Plant 2" && ZHAO=$USER_ID
say "the office user is $ZHAO"
start_server 127.0.0.1:0
PORT=${URL##*:}
say "server listening on $URL"
check "the server answers /healthz" curl -sf "$URL/healthz"

step "2. Two field leaders sign in on their tablets and sync"
FIELDVISIT_PASSWORD=pw-wang tablet tablet-wang login --server "$URL" --user wang --device-name "Wang's tablet" | sed 's/^/   /'
FIELDVISIT_PASSWORD=pw-li tablet tablet-li login --server "$URL" --user li --device-name "Li's tablet" | sed 's/^/   /'
sync_tablet tablet-wang
sync_tablet tablet-li

step "3. Wang records a petition met on a home visit and syncs; Li's tablet receives it"
CASE=$(json_of tablet-wang .case_id case new --title "Retirees' living allowance three months late" \
  --channel home_visit --subject retiree_allowance --headcount 2 \
  --summary "Two retired drillers say the allowance stopped in August." \
  --petitioner "Zhang Wei,13800000001")
say "case $CASE"
sync_tablet tablet-wang
sync_tablet tablet-li
check "Li's tablet has the case" test "$(json_of tablet-li .case.values.title case show "$CASE")" = \
  "Retirees' living allowance three months late"

step "4. The server goes away: the field has no network"
stop_server
say "server stopped"
check "a sync now fails with a clear message and keeps the work" \
  bash -c "! '$FIELDVISIT' --db '$WORK/tablet-wang.db' sync"

step "5. Both leaders keep working offline on the same case"
tablet tablet-wang visit add "$CASE" --kind home --met "Zhang Wei and his wife" \
  --notes "Allowance stopped after the August payroll change." --outcome "Promised an answer" | sed 's/^/   /'
tablet tablet-wang case set "$CASE" "responsible_leader_id=$WANG" | sed 's/^/   /'
tablet tablet-wang commitment add "$CASE" --who "Wang Jun" \
  --how "Check the payroll change with the finance office" --due 2026-12-10 | sed 's/^/   /'
tablet tablet-li visit add "$CASE" --kind reception --met "Zhang Wei" \
  --notes "He came to the unit office with the pay slips." | sed 's/^/   /'
tablet tablet-li case set "$CASE" "responsible_leader_id=$LI" | sed 's/^/   /'
check "Wang's tablet holds 3 changes waiting" test "$(json_of tablet-wang .pending_ops status)" = 3
check "Li's tablet holds 2 changes waiting" test "$(json_of tablet-li .pending_ops status)" = 2

step "6. The server comes back; both tablets sync"
start_server "127.0.0.1:$PORT"
say "server listening on $URL again, same data"
sync_tablet tablet-wang
sync_tablet tablet-li
sync_tablet tablet-wang

step "7. The merged case, as Wang's tablet shows it"
tablet tablet-wang case show "$CASE" | sed 's/^/   /'
for t in tablet-wang tablet-li; do
  check "$t: both visits are kept" test "$(json_of $t '.visits | length' case show "$CASE")" = 2
  check "$t: the commitment is there" test "$(json_of $t '.commitments | length' case show "$CASE")" = 1
  check "$t: the responsible-leader conflict is open with both values" test \
    "$(json_of $t '[.open_conflicts[] | select(.field == "responsible_leader_id") | .candidates | length] | first' case show "$CASE")" = 2
  check "$t: nothing left to send" test "$(json_of $t .pending_ops status)" = 0
done

step "8. The central office decides who is responsible; both tablets learn the decision"
FIELDVISIT_PASSWORD=pw-zhao tablet office login --server "$URL" --user zhao --device-name "Office PC" | sed 's/^/   /'
sync_tablet office
tablet office conflicts | sed 's/^/   /'
CONFLICT=$(json_of office '.conflicts[0].id' conflicts)
tablet office conflicts resolve "$CONFLICT" --value "$WANG" \
  --note "Wang met the family first; Li assists." | sed 's/^/   /'
sync_tablet office
for t in tablet-wang tablet-li; do
  sync_tablet "$t"
  check "$t: Wang Jun is the responsible leader" test \
    "$(json_of $t .case.values.responsible_leader_id case show "$CASE")" = "$WANG"
  check "$t: no open conflict is left" test "$(json_of $t '.open_conflicts | length' case show "$CASE")" = 0
done

step "9. A repeat petition, a commitment going overdue, a late urgent report"
YESTERDAY=$(date -u -d yesterday +%F)
TODAY=$(date -u +%F)
KNOWN=$(date -u -d '3 hours ago' +%Y-%m-%dT%H:%M:%SZ)
REPEAT=$(json_of tablet-li .case_id case new --title "Allowance still not paid, he came again" \
  --channel visit --subject retiree_allowance --petitioner "Zhang Wei,13800000001")
say "Li records Zhang Wei's new petition on the same subject: case $REPEAT"
tablet tablet-wang commitment add "$CASE" --who "Wang Jun" --how "Bring the payroll records" \
  --due "$YESTERDAY" | sed 's/^/   /'
tablet tablet-wang urgent add "$CASE" --kind collective_visit --known-at "$KNOWN" \
  --summary "The retirees plan to go to the bureau together" | sed 's/^/   /'
say "(the report became known at $KNOWN, three hours ago, and reaches the office only now)"
tablet tablet-wang commitments --overdue | sed 's/^/   /'
check "Wang's tablet shows the commitment overdue, offline, by its own clock" test \
  "$(json_of tablet-wang '[.commitments[] | select(.overdue)] | length' commitments --overdue)" = 1
sync_tablet tablet-li
sync_tablet tablet-wang
sync_tablet office
tablet office cases --repeat | sed 's/^/   /'
check "the office lists the new case as a repeat petition" test \
  "$(json_of office '[.cases[] | .id] | join(",")' cases --repeat)" = "$REPEAT"
check "the server stamped the urgent report late (it took over 120 minutes)" test \
  "$(json_of office '.urgent_reports[0].values.late' case show "$CASE")" = true
check "the office lists the case under late reports" test \
  "$(json_of office '[.cases[] | .id] | join(",")' cases --late-report)" = "$CASE"

step "10. The metrics report of the plant, by unit"
FROM=$(date -u -d '30 days ago' +%F)
"$SERVER" report --data "$DATA" --unit "Plant 2" --from "$FROM" --to "$TODAY" | sed 's/^/   /'
"$SERVER" report --data "$DATA" --unit "Plant 2" --from "$FROM" --to "$TODAY" --json >"$WORK/metrics.json"
figure() { jq -r ".total.figures.$1 | \"\(.numerator)/\(.denominator)\"" "$WORK/metrics.json"; }
check "the report counts the repeat petition (1 of 2 cases)" test "$(figure repeat)" = 1/2
check "the report counts the late urgent report (1 of 1)" test "$(figure late_reports)" = 1/1
check "the report counts the overdue commitment" test \
  "$(jq .total.figures.overdue_commitments.numerator "$WORK/metrics.json")" -ge 1

step "11. Done"
stop_server
check "the server stopped cleanly (exit status 0)" test "$SERVER_EXIT" = 0
if [[ "$FAILED" -ne 0 ]]; then
  echo "Some steps did not do what they said (see FAIL above)."
  exit 1
fi
echo "Every step did what it said."
