# Sourced by the bench scripts: small helpers they share.
#   stop_started               kills by PID what the script started ($ledger_pid, $pg_pid, "${pids[@]}") and waits;
#                              the scripts call it on exit
#   mosquitto_start [LINE…]    a Mosquitto on a free loopback port (anonymous, max_queued_messages 100000, and each
#                              LINE added to its $work/mq.conf); sets mq_pid and broker (tcp://127.0.0.1:PORT)
#   free_port                  prints a free loopback TCP port
#   now_ms                     prints the wall clock in ms
#   cpu_s PID                  prints the CPU seconds (user + system) process PID has used
#   ledger_start LABEL ARGS…   starts `haulproof ledger ARGS…` from $jar (-Xmx512m) with its output in
#                              $work/ledger-LABEL.out/.err, sets ledger_pid, then waits for its {"ledger":"running"}
#                              line and for GET /health 200 on port $http; sets run and health to the ms from the
#                              process start to each (exits 1 with the ledger's stderr if it dies meanwhile)
pids=()
ledger_pid=""
pg_pid=""
stop_started() {
  local p
  for p in $ledger_pid $pg_pid "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
mosquitto_start() {
  local port line
  port=$(free_port)
  {
    printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 100000\n' "$port"
    for line in "$@"; do echo "$line"; done
  } >"$work/mq.conf"
  mosquitto -c "$work/mq.conf" >"$work/mq.log" 2>&1 &
  mq_pid=$!
  pids+=("$mq_pid")
  broker="tcp://127.0.0.1:$port"
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# fields counted after the name, which may hold spaces
cpu_s() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ printf "%.2f", ($12 + $13) / 100 }'; }

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
