#!/usr/bin/env bash
# Ledger recovery time (issue 11): how long `haulproof ledger` takes from process start to ready (its
# {"ledger":"running"} line, then GET /health 200: database read and broker connected) after a kill -9 in the
# middle of a load, with a ledger that already holds data.
#   1. a Mosquitto and one ledger (SQLite in its data dir, or a throwaway PostgreSQL started as user postgres);
#   2. fill: `haulproof bench fleet` with TRUCKS x ENTRIES (every entry bound and cosigned);
#   3. KILLS times: a new `bench fleet` load (TRUCKS/2 trucks x ENTRIES/2) in the background; once the ledger
#      stored a third of that load, kill -9; restart at once and time start -> running line -> /health 200; the load
#      must then finish with nothing lost (it resends what the receipts say is missing);
#   4. with INFLATE=N1,N2,... (SQLite only): the ledger is killed, every entries and merkle_nodes row of the real
#      devices is copied with sqlite3 under device names no ledger knows (orphan rows) until there are N1 copies,
#      the ledger restarts and is timed; then N2 copies, and so on: if opening is O(1) in stored entries, its time
#      does not grow with them.
# Usage: bench/ledger-recovery.sh [sqlite|postgres] [TRUCKS=50] [ENTRIES=60] [KILLS=3] [INFLATE=0 | N1,N2,...]
# Needs the built jar (mvn -B -ntp -DskipTests package), mosquitto, curl, sqlite3; root and postgresql for
# postgres. Everything it starts is stopped by PID at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/lib/common.sh"
source "$root/bench/lib/pg.sh"
db="${1:-sqlite}" trucks="${2:-50}" entries="${3:-60}" kills="${4:-3}" inflate="${5:-0}"
jar="$root/edge-agent/target/haulproof.jar"
[[ -f "$jar" ]] || { echo "ledger-recovery: build first: mvn -B -ntp -DskipTests package" >&2; exit 2; }
work=$(mktemp -d /tmp/hp-ledger-recovery.XXXXXX)
trap stop_started EXIT
say() { echo "ledger-recovery: $*" >&2; }

db_args=()
if [[ $db == postgres ]]; then
  pg_init
  pg_start
  pg_create_db ledger
  db_args=(--db "$(pg_url ledger)")
elif [[ $db != sqlite ]]; then
  echo "usage: bench/ledger-recovery.sh [sqlite|postgres] [TRUCKS] [ENTRIES] [KILLS] [INFLATE]" >&2
  exit 2
fi
mosquitto_start 'set_tcp_nodelay true'
http=$(free_port)
java -jar "$jar" bench fleet --init-ca --ca-dir "$work/ca" >/dev/null
mkdir -p "$work/ledger"

# Starts the ledger (sets ledger_pid); sets run and health: ms from start to the running line, to /health 200.
start_ledger() {
  ledger_start "$1" --broker "$broker" --data-dir "$work/ledger" --client-id ledger-1 \
    --http "$http" --trust-anchor "$work/ca/fleet-ca.pem" "${db_args[@]}"
}
stored() {
  curl -s "http://127.0.0.1:$http/metrics" | awk '/^haulproof_ledger_entries_stored_total /{print int($2)}'
}
count_entries() {
  if [[ $db == sqlite ]]; then
    sqlite3 "$work/ledger/ledger.db" 'SELECT count(*) FROM entries'
  else
    psql_q 'SELECT count(*) FROM entries'
  fi
}
fleet() {
  java -jar "$jar" bench fleet --broker "$broker" --ca-dir "$work/ca" --trucks "$1" --entries-per-truck "$2" \
    --checkpoint-every 15 --timeout-s 1800 --witness-key "$work/ledger/witness/witness.pub.pem"
}

start_ledger 0
say "first start (empty $db ledger): running after $run ms, /health 200 after $health ms"
say "filling with $trucks trucks x $entries entries, load $(cut -d' ' -f1-3 /proc/loadavg)"
fleet "$trucks" "$entries" | tail -1 >&2
say "ledger holds $(count_entries) entries"

step=$(( ((trucks + 1) / 2) * ((entries + 1) / 2) / 3 + 1 ))   # kill a third into the load
for k in $(seq "$kills"); do
  fleet $(( (trucks + 1) / 2 )) $(( (entries + 1) / 2 )) >"$work/load-$k.out" 2>"$work/load-$k.err" &
  load=$!
  base=$(stored)
  until (( $(stored || echo 0) >= base + step )); do
    kill -0 "$load" 2>/dev/null || { say "load ended before the kill"; cat "$work/load-$k.err" >&2; exit 1; }
    sleep 0.05
  done
  held=$(count_entries)
  kill -9 "$ledger_pid"
  wait "$ledger_pid" 2>/dev/null || true
  start_ledger "$k"
  echo "kill $k: $db ledger with $held entries, killed mid-load; restart: running after $run ms, /health 200 after $health ms, load $(cut -d' ' -f1-3 /proc/loadavg)"
  if ! wait "$load"; then
    say "the load after kill $k lost entries:"; tail -2 "$work/load-$k.out" >&2; exit 1
  fi
  say "load $k finished: $(tail -1 "$work/load-$k.out")"
done

if [[ $inflate != 0 && $db == sqlite ]]; then
  real=$(count_entries)
  done_copies=0
  for copies in ${inflate//,/ }; do
    kill -9 "$ledger_pid"
    wait "$ledger_pid" 2>/dev/null || true
    sqlite3 "$work/ledger/ledger.db" <<SQL
WITH RECURSIVE copies(n) AS (SELECT $done_copies + 1 UNION ALL SELECT n + 1 FROM copies WHERE n < $copies)
INSERT INTO entries SELECT e.fleet, 'orphan-' || n || '-' || e.device, e.idx, e.kind, e.seq, e.leaf, e.cose,
  e.received_at, e.bound_at, e.checkpoint_size FROM entries e, copies WHERE e.device NOT LIKE 'orphan-%';
WITH RECURSIVE copies(n) AS (SELECT $done_copies + 1 UNION ALL SELECT n + 1 FROM copies WHERE n < $copies)
INSERT INTO merkle_nodes SELECT m.fleet, 'orphan-' || n || '-' || m.device, m.level, m.idx, m.hash
  FROM merkle_nodes m, copies WHERE m.device NOT LIKE 'orphan-%';
SQL
    done_copies=$copies
    all=$(count_entries)
    start_ledger "inflated-$copies"
    echo "inflated x$copies: $real entries of joined devices + $((all - real)) orphan rows ($all in all, db $(du -m "$work/ledger/ledger.db" | cut -f1) MiB), killed; restart: running after $run ms, /health 200 after $health ms, load $(cut -d' ' -f1-3 /proc/loadavg)"
  done
fi
say "work dir $work"
