# Sourced by the bench scripts: small helpers they share.
#   free_port                  prints a free loopback TCP port
#   now_ms                     prints the wall clock in ms
#   ledger_start LABEL ARGS…   starts `haulproof ledger ARGS…` from $jar (-Xmx512m) with its output in
#                              $work/ledger-LABEL.out/.err, sets ledger_pid, then waits for its {"ledger":"running"}
#                              line and for GET /health 200 on port $http; sets run and health to the ms from the
#                              process start to each (exits 1 with the ledger's stderr if it dies meanwhile)
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

ledger_start() {
  local label=$1 t0 t_run
  shift
  t0=$(now_ms)
  java -Xmx512m -jar "$jar" ledger "$@" >"$work/ledger-$label.out" 2>"$work/ledger-$label.err" &
  ledger_pid=$!
  until grep -q '"running"' "$work/ledger-$label.out" 2>/dev/null; do
    ledger_alive "$label"
    sleep 0.01
  done
  t_run=$(now_ms)
  until [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http/health") == 200 ]]; do
    ledger_alive "$label"
    sleep 0.01
  done
  run=$((t_run - t0)) health=$(($(now_ms) - t0))
}

ledger_alive() {
  kill -0 "$ledger_pid" 2>/dev/null && return
  echo "ledger $1 died:" >&2
  tail "$work/ledger-$1.err" >&2
  exit 1
}
