#!/usr/bin/env bash
# Time to open a big ledger (issue 10, "the time to open a ledger that holds 10M entries"), on PostgreSQL:
#   1. a throwaway PostgreSQL (Debian's package, initdb in a temp dir as user postgres, fsync on, max_wal_size 4GB
#      so that the fill is not one long checkpoint storm) and a Mosquitto;
#   2. `haulproof bench ledger-fill` (niced): DEVICES trucks enrolled from a fleet CA, each ENTRIES signed lifts
#      bound under a cosigned checkpoint every CHECKPOINT_EVERY entries, through the ledger's own code, no broker;
#   3. `haulproof ledger --db …` started twice: warm (right after the fill) and cold (PostgreSQL restarted and the
#      page cache dropped): process start -> {"ledger":"running"} -> GET /health 200 (database read, broker
#      connected); then the first receipt of a new truck (`bench fleet --trucks 1`, its JVM start included), the
#      first inclusion proof (GET /v1/devices/F/D/entries/I), an auditor's query for one bin over a month
#      (GET /v1/collections, with proofs) and that bin's dispute bundle, checked by `haulproof audit verify`;
#   4. the ledger's peak RSS (VmHWM) and the database's size by table.
# Usage: bench/ledger-open.sh [DEVICES=100] [ENTRIES=1000] [CHECKPOINT_EVERY=1000] [THREADS=2]
#   NICE=10 (the fill's niceness), KEEP=1 keeps the work dir (else it is deleted at the end).
# Needs root (postgres user, drop_caches), the built jar (mvn -B -ntp -DskipTests package), mosquitto, curl,
# postgresql. Everything it starts is stopped by PID at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/lib/common.sh"
source "$root/bench/lib/pg.sh"
devices="${1:-100}" entries="${2:-1000}" every="${3:-1000}" threads="${4:-2}"
jar="${HAULPROOF_JAR:-$root/edge-agent/target/haulproof.jar}"
[[ -f "$jar" ]] || { echo "ledger-open: build first: mvn -B -ntp -DskipTests package" >&2; exit 2; }
work=$(mktemp -d /tmp/hp-ledger-open.XXXXXX)
cleanup() {
  stop_started
  if [[ ${KEEP:-0} != 1 ]]; then rm -rf "$work"; fi
}
trap cleanup EXIT
say() { echo "ledger-open: $*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

pg_init
start_pg() { pg_start max_wal_size=4GB; }
start_pg
pg_create_db ledger
dburl=$(pg_url ledger)
mosquitto_start
http=$(free_port)
java -jar "$jar" bench fleet --init-ca --ca-dir "$work/ca" >/dev/null
mkdir -p "$work/ledger"

say "filling $devices trucks x $entries entries (checkpoint every $every, $threads threads, nice ${NICE:-10}), load $(load)"
t0=$(now_ms)
nice -n "${NICE:-10}" java -Xmx1g -jar "$jar" bench ledger-fill --db "$dburl" --data-dir "$work/ledger" \
  --ca-dir "$work/ca" --devices "$devices" --entries-per-device "$entries" --checkpoint-every "$every" \
  --threads "$threads" 2> >(tee "$work/fill.err" >&2) | tee "$work/fill.out"
echo "fill: $(( ($(now_ms) - t0) / 1000 )) s wall, load after $(load)"
echo "database: $(psql_q "SELECT count(*) FROM entries") entries, $(psql_q "SELECT count(*) FROM devices") devices, $(psql_q "SELECT count(*) FROM checkpoints") checkpoints; size $(psql_q "SELECT pg_size_pretty(pg_database_size('ledger'))")"
psql_q "SELECT relname || ' ' || pg_size_pretty(pg_total_relation_size(relid)) FROM pg_catalog.pg_statio_user_tables ORDER BY pg_total_relation_size(relid) DESC" | sed 's/^/  table /'

# the bin and the device the auditor asks about: bin of the first lift of the first device; the month from it
read -r bin from_ms < <(psql_q "SELECT bin_tag, collected_at FROM collections ORDER BY fleet, device, idx LIMIT 1" | tr '|' ' ')
read -r fleet device < <(psql_q "SELECT fleet, device FROM devices ORDER BY fleet, device LIMIT 1" | tr '|' ' ')
from=$(date -u -d "@$(( from_ms / 1000 - 86400 ))" +%Y-%m-%dT%H:%M:%SZ)
to=$(date -u -d "@$(( from_ms / 1000 - 86400 + 30 * 86400 ))" +%Y-%m-%dT%H:%M:%SZ)
mid=$(( entries / 2 ))

timed_get() { # URL OUT -> prints "CODE MS"
  local s e code
  s=$(now_ms); code=$(curl -s -o "$2" -w '%{http_code}' "$1"); e=$(now_ms)
  echo "$code $(( e - s ))"
}

open_once() { # LABEL
  local label=$1
  ledger_start "$label" --broker "$broker" --data-dir "$work/ledger" --client-id ledger-1 \
    --http "$http" --trust-anchor "$work/ca/fleet-ca.pem" --db "$dburl"
  echo "$label open: running after $run ms, /health 200 after $health ms (load $(load))"
  read -r code ms < <(timed_get "http://127.0.0.1:$http/v1/devices/$fleet/$device/entries/$mid" "$work/proof-$label.json")
  echo "$label first inclusion proof ($device entry $mid): HTTP $code in $ms ms"
  [[ $code == 200 ]] || { say "proof failed: $(head -c 300 "$work/proof-$label.json")"; exit 1; }
  read -r code ms < <(timed_get "http://127.0.0.1:$http/v1/collections?bin=$bin&from=$from&to=$to&limit=1000" "$work/coll-$label.json")
  n=$(grep -o '"proven":true' "$work/coll-$label.json" | wc -l)
  echo "$label audit query (bin $bin, $from .. $to): HTTP $code in $ms ms, $n lifts with proofs"
  [[ $code == 200 && $n -gt 0 ]] || { say "audit query failed: $(head -c 300 "$work/coll-$label.json")"; exit 1; }
  read -r code ms < <(timed_get "http://127.0.0.1:$http/v1/bundle?bin=$bin&from=$from&to=$to" "$work/bundle-$label.json")
  echo "$label dispute bundle: HTTP $code in $ms ms, $(stat -c %s "$work/bundle-$label.json") bytes"
  s=$(now_ms)
  if java -jar "$jar" audit verify "$work/bundle-$label.json" --fleet-root "$work/ca/fleet-ca.pem" \
      --witness-key "$work/ledger/witness/witness.pub.pem" >"$work/verify-$label.out" 2>&1; then
    echo "$label audit verify: valid ($(( $(now_ms) - s )) ms incl. JVM start)"
  else
    say "audit verify failed:"; tail "$work/verify-$label.out" >&2; exit 1
  fi
  s=$(now_ms)
  java -jar "$jar" bench fleet --broker "$broker" --ca-dir "$work/ca" --trucks 1 --entries-per-truck 1 \
    --checkpoint-every 1 --timeout-s 120 --witness-key "$work/ledger/witness/witness.pub.pem" \
    >"$work/first-$label.out" 2>"$work/first-$label.err" || { say "first receipt failed"; tail "$work/first-$label.err" >&2; exit 1; }
  echo "$label first receipt of a new truck: $(( $(now_ms) - s )) ms after ready (incl. the simulator's JVM start): $(tail -1 "$work/first-$label.out")"
  echo "$label ledger peak RSS: $(grep VmHWM /proc/$ledger_pid/status | tr -s ' ' | cut -d' ' -f2-)"
  kill "$ledger_pid"; wait "$ledger_pid" 2>/dev/null || true; ledger_pid=""
}

open_once warm
pg_stop
sync
echo 3 >/proc/sys/vm/drop_caches
start_pg
open_once cold
say "done, load $(load); work dir $work$([[ ${KEEP:-0} == 1 ]] && echo ' (kept)' || echo ' (deleted)')"
