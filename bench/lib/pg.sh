# Sourced by the bench scripts: a throwaway PostgreSQL from Debian's package, run as user postgres in $work/pg
# (needs root and $work, a fresh temp dir). After sourcing common.sh:
#   pg_init                initdb in $work/pg (trust auth, UTF8); sets pgbin and pgport (a free port)
#   pg_start [SETTING…]    starts it on 127.0.0.1:$pgport with fsync on and each SETTING as `-c SETTING`
#                          (e.g. max_connections=200); sets pg_pid; returns once it answers (exits 1 if it does not)
#   pg_stop                stops it by PID and waits
#   pg_create_db NAME      CREATE DATABASE NAME
#   psql_q SQL [DB]        runs one query on DB (default ledger), prints the rows unaligned without headers
#   pg_url DB              prints the JDBC-style URL the ledger takes for DB
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
