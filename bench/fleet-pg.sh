#!/usr/bin/env bash
# The city-scale fleet benchmark (issue 10): a throwaway PostgreSQL (Debian's package, initdb in a temp dir as
# user postgres, fsync on), a Mosquitto, N ledger instances on one database sharing the work ($share), and
# `haulproof bench fleet` with T simulated trucks of E entries each. Prints bench fleet's two lines, then each
# ledger's peak RSS (VmHWM) and its counters. Everything is stopped by PID at the end.
# Usage: bench/fleet-pg.sh [INSTANCES=1] [TRUCKS=1000] [ENTRIES_PER_TRUCK=30] [CHECKPOINT_EVERY=15] [BENCH FLEET ARGS…]
#   e.g. bench/fleet-pg.sh 3 1000 30 15 --rate 0.5 --outage-trucks 100 --outage-at-s 20 --outage-s 60
#   HAULPROOF_JAR=… runs another build of the jar; LEDGER_JAVA_OPTS=… adds JVM options to the ledgers
#   (e.g. -XX:StartFlightRecording=filename=/tmp/ledger.jfr,settings=profile); BENCH_JAVA_OPTS=… the same for bench fleet.
#   MAX_INFLIGHT=N sets the broker's max_inflight_messages (default 1000, as docs/ledger.md recommends; Mosquitto's own is 20).
#   WARMUP='T E' first runs T other trucks with E entries each against the same ledgers, unmeasured, so that the
#   measured run sees JIT-compiled ledgers (sustained rather than cold-start figures; ~10-20 s of a cold ledger's CPU
#   in a 30,000-entry run went to its JIT compilers in session 10).
#   PostgreSQL's CPU counts its postmaster, the children it reaped (closed backends, autovacuum workers) and its live
#   children, and is printed by process kind at the end (backends, walwriter, checkpointer, …).
#   PG_STATEMENTS=1 loads pg_stat_statements and prints, at the end, the statements that took PostgreSQL longest.
#   MQ_EXTRA='LINE' adds one line to the broker's config, e.g. MQ_EXTRA='log_type all' logs every packet (with its
#   message id) to $work/mq.log: what each ledger sent and when the broker read it (issue 10, session 9).
# Needs root (for the postgres user), the built jar (mvn -B -ntp -DskipTests package), mosquitto, postgresql.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/lib/common.sh"
source "$root/bench/lib/pg.sh"
instances="${1:-1}" trucks="${2:-1000}" entries="${3:-30}" every="${4:-15}"
shift $(( $# < 4 ? $# : 4 ))
jar="${HAULPROOF_JAR:-$root/edge-agent/target/haulproof.jar}"
[[ -f "$jar" ]] || { echo "fleet-pg: build first: mvn -B -ntp -DskipTests package" >&2; exit 2; }
work=$(mktemp -d /tmp/hp-fleet-pg.XXXXXX)
trap stop_started EXIT

pg_init
pg_start max_connections=200 ${PG_STATEMENTS:+shared_preload_libraries=pg_stat_statements}
pg_create_db ledger
if [[ -n "${PG_STATEMENTS:-}" ]]; then psql_q "CREATE EXTENSION pg_stat_statements" >/dev/null; fi
mosquitto_start 'set_tcp_nodelay true' "max_inflight_messages ${MAX_INFLIGHT:-1000}" ${MQ_EXTRA:+"$MQ_EXTRA"}
java -jar "$jar" bench fleet --init-ca --ca-dir "$work/ca" >/dev/null
ledger_pids=()
for i in $(seq "$instances"); do
  mkdir -p "$work/l$i/witness"
  if [[ $i -gt 1 ]]; then cp "$work/l1/witness/"* "$work/l$i/witness/"; fi   # one witness key for all
  java -Xmx512m ${LEDGER_JAVA_OPTS:-} -jar "$jar" ledger --broker "$broker" --data-dir "$work/l$i" --client-id "ledger-$i" \
    --db "$(pg_url ledger)" --trust-anchor "$work/ca/fleet-ca.pem" \
    >"$work/l$i.out" 2>"$work/l$i.err" &
  pids+=($!); ledger_pids+=($!)
  for _ in $(seq 300); do grep -q '"running"' "$work/l$i.out" 2>/dev/null && break; sleep 0.2; done
  grep -q '"running"' "$work/l$i.out" || { echo "ledger $i did not start:"; tail "$work/l$i.err"; exit 1; }
done
echo "fleet-pg: $instances ledger(s) on PostgreSQL, $trucks trucks x $entries entries, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
if [[ -n "${WARMUP:-}" ]]; then # "T E": T other trucks send E entries each first, not measured
  read -r wt we <<<"$WARMUP"
  echo "fleet-pg: warming the ledgers up with $wt trucks x $we entries (not measured)" >&2
  java -jar "$jar" bench fleet --broker "$broker" --ca-dir "$work/ca" --trucks "$wt" --entries-per-truck "$we" \
    --checkpoint-every "$every" --timeout-s "${TIMEOUT_S:-1800}" --witness-key "$work/l1/witness/witness.pub.pem" \
    >"$work/warmup.out" 2>&1 || { echo "fleet-pg: warm-up run failed:"; tail "$work/warmup.out"; exit 1; }
fi
pg_before=$(pg_cpu_s); mq_before=$(cpu_s "$mq_pid")
declare -A ledger_before
for p in "${ledger_pids[@]}"; do ledger_before[$p]=$(cpu_s "$p"); done
/usr/bin/time -f '%U %S' -o "$work/bench.time" java ${BENCH_JAVA_OPTS:-} -jar "$jar" bench fleet --broker "$broker" --ca-dir "$work/ca" \
  --trucks "$trucks" --entries-per-truck "$entries" --checkpoint-every "$every" --timeout-s "${TIMEOUT_S:-1800}" \
  --witness-key "$work/l1/witness/witness.pub.pem" "$@" | tee "$work/bench.out"
ledgers_cpu=0
for i in $(seq "$instances"); do
  p=${ledger_pids[$((i-1))]}
  cpu=$(awk -v a="$(cpu_s "$p")" -v b="${ledger_before[$p]}" 'BEGIN { printf "%.1f", a - b }')
  ledgers_cpu=$(awk -v a="$ledgers_cpu" -v b="$cpu" 'BEGIN { print a + b }')
  echo "ledger $i: $(grep VmHWM /proc/$p/status | tr -s ' '), CPU $cpu s"
  # where that CPU went, by thread kind since the JVM started (lanes, MQTT, JIT compilers, GC)
  # (of which in the kernel: system calls such as each JDBC round trip's socket writes and reads);
  # the fields are counted after the name, which may hold spaces ("C2 CompilerThread0")
  echo "ledger $i CPU s by thread since start: $(for t in /proc/$p/task/*; do
      printf '%s\t%s\t%s\n' "$(tr -d '0-9#' <"$t/comm" | tr ' ' '_')" "$(sed 's/^.*) //' "$t/stat" | awk '{ print ($12 + $13) / 100, $13 / 100 }')"
    done | awk -F'\t' '{ split($2, c, " "); s[$1] += c[1]; k[$1] += c[2] }
      END { for (x in s) if (s[x] >= 0.5) printf "%s %.1f (kernel %.1f)\n", x, s[x], k[x] }' | sort -k2 -nr | tr '\n' ' ')"
done
pg_cpu=$(awk -v a="$(pg_cpu_s)" -v b="$pg_before" 'BEGIN { printf "%.1f", a - b }')
echo "CPU during the run: postgres $pg_cpu s," \
  "mosquitto $(awk -v a="$(cpu_s "$mq_pid")" -v b="$mq_before" 'BEGIN { printf "%.1f", a - b }') s," \
  "bench fleet $(awk '{ printf "%.1f", $1 + $2 }' "$work/bench.time") s"
echo "postgres CPU s by process kind since it started: $(pg_cpu_by_kind)"
# what the ledgers asked of PostgreSQL: transactions, and rows written per table
"$pgbin/psql" -qAt -h 127.0.0.1 -p "$pgport" -U postgres -d ledger -c \
  "SELECT 'transactions committed ' || xact_commit || ', rolled back ' || xact_rollback FROM pg_stat_database WHERE datname = 'ledger'
   UNION ALL SELECT 'rows ' || string_agg(relname || ' +' || n_tup_ins || '/~' || n_tup_upd || '/-' || n_tup_del, ', ' ORDER BY relname)
   FROM pg_stat_user_tables WHERE n_tup_ins + n_tup_upd + n_tup_del > 0" || true
if [[ -n "${PG_STATEMENTS:-}" ]]; then
  echo "PostgreSQL statements by total execution time (ms, calls, rows, statement):"
  psql_q "SELECT round(total_exec_time) || ' ' || calls || ' ' || rows || ' ' || left(regexp_replace(query, '\s+', ' ', 'g'), 150)
    FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'ledger')
    ORDER BY total_exec_time DESC LIMIT 25"
fi
# The ledger side's cost per stored entry in the run's own unit: one raw verification on two busy
# threads takes 2 / raw_verify_2core_per_s seconds of CPU. The ratio goal of 0.25 allows 4 of them
# per entry for everything on the machine (ledgers, PostgreSQL, broker and the simulated trucks).
stored=$(tail -1 "$work/bench.out" | jq -r '.stored // 0')
raw=$(tail -2 "$work/bench.out" | head -1 | jq -r '.raw_verify_2core_per_s // 0')
if [[ "$stored" -gt 0 && "$raw" -gt 0 ]]; then
  awk -v l="$ledgers_cpu" -v p="$pg_cpu" -v n="$stored" -v r="$raw" 'BEGIN {
    v = 2 / r; printf "CPU per stored entry: ledgers %.3f ms + postgres %.3f ms = %.1f raw verifications (%.3f ms each)\n",
      l / n * 1000, p / n * 1000, (l + p) / n / v, v * 1000 }'
fi
echo "fleet-pg: load after $(cut -d' ' -f1-3 /proc/loadavg); work dir $work" >&2
