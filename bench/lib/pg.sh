# Sourced by the bench scripts: a throwaway PostgreSQL from Debian's package, run as user postgres in $work/pg
# (needs root and $work, a fresh temp dir). After sourcing common.sh:
#   pg_init                initdb in $work/pg (trust auth, UTF8); sets pgbin and pgport (a free port)
#   pg_start [SETTING…]    starts it on 127.0.0.1:$pgport with fsync on and each SETTING as `-c SETTING`
#                          (e.g. max_connections=200); sets pg_pid; returns once it answers (exits 1 if it does not)
#   pg_stop                stops it by PID and waits
#   pg_create_db NAME      CREATE DATABASE NAME
#   psql_q SQL [DB]        runs one query on DB (default ledger), prints the rows unaligned without headers
#   pg_url DB              prints the JDBC-style URL the ledger takes for DB
#   pg_cpu_s               prints the CPU seconds of this PostgreSQL: its postmaster, the children it reaped (closed
#                          backends, autovacuum workers) and its live children; not other clusters on the machine
#   pg_cpu_by_kind         the same since it started, by kind of process (backend, walwriter, checkpointer, reaped, …)
pg_init() {
  pgbin=$(dirname "$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -1)")
  chown postgres:postgres "$work"
  setpriv --reuid=postgres --regid=postgres --init-groups -- "$pgbin/initdb" -D "$work/pg" -U postgres \
    --auth=trust -E UTF8 --no-instructions >"$work/initdb.log"
  pgport=$(free_port)
}

pg_start() {
  local settings=() s
  for s in "$@"; do settings+=(-c "$s"); done
  setpriv --reuid=postgres --regid=postgres --init-groups -- "$pgbin/postgres" -D "$work/pg" -p "$pgport" \
    -k "$work" -c listen_addresses=127.0.0.1 -c fsync=on "${settings[@]}" >>"$work/pg.log" 2>&1 &
  pg_pid=$!
  for _ in $(seq 300); do "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$pgport" && return; sleep 0.2; done
  echo "PostgreSQL did not start:" >&2
  tail "$work/pg.log" >&2
  exit 1
}

pg_stop() { kill "$pg_pid"; wait "$pg_pid" 2>/dev/null || true; pg_pid=""; }
pg_create_db() { "$pgbin/psql" -q -h 127.0.0.1 -p "$pgport" -U postgres -c "CREATE DATABASE $1" postgres; }
psql_q() { "$pgbin/psql" -tA -h 127.0.0.1 -p "$pgport" -U postgres -c "$1" "${2:-ledger}"; }
pg_url() { echo "postgresql://postgres@127.0.0.1:$pgport/$1"; }
pg_cpu_s() {
  { sed 's/^.*) //' "/proc/$pg_pid/stat" | awk '{ print $12 + $13 + $14 + $15 }'
    for c in $(pgrep -P "$pg_pid"); do sed 's/^.*) //' "/proc/$c/stat" 2>/dev/null | awk '{ print $12 + $13 }'; done
  } | awk '{ s += $1 } END { printf "%.2f", s / 100 }'
}
pg_cpu_by_kind() {
  { sed 's/^.*) //' "/proc/$pg_pid/stat" | awk '{ printf "postmaster\t%d\nreaped\t%d\n", $12 + $13, $14 + $15 }'
    for c in $(pgrep -P "$pg_pid"); do
      kind=$(tr '\0' ' ' <"/proc/$c/cmdline" 2>/dev/null | awk '{ print ($2 == "postgres" || $2 == "ledger") ? "backend" : $2 }')
      printf '%s\t%s\n' "$kind" "$(sed 's/^.*) //' "/proc/$c/stat" 2>/dev/null | awk '{ print $12 + $13 }')"
    done
  } | awk -F'\t' '{ s[$1] += $2 } END { for (k in s) if (s[k] >= 10) printf "%s %.1f\n", k, s[k] / 100 }' | sort -k2 -nr | tr '\n' ' '
}
