#!/usr/bin/env bash
# Usage: mkdir -p /tmp/bench && cp edge-agent/target/haulproof.jar /tmp/bench/ && bench/agent-footprint.sh
# Footprint run: the agent (demo runtime) at 1 lift/s with -Xmx64m; samples RSS and CPU every 10 s.
mkdir -p /tmp/bench && cd /tmp/bench
rm -rf data
start=$(date +%s.%N)
java -Xmx64m -XX:+UseSerialGC -jar haulproof.jar demo --data-dir data --lifts 600 --lift-interval-ms 1000 > out.txt 2> err.txt &
pid=$!
echo $pid > pid
( while kill -0 $pid 2>/dev/null; do
    now=$(date +%s.%N)
    rss=$(awk '/VmRSS/{print $2}' /proc/$pid/status 2>/dev/null)
    cpu=$(awk '{print $14+$15}' /proc/$pid/stat 2>/dev/null)
    lifts=$(grep -c . err.txt)
    echo "$now $rss $cpu" >> samples.txt
    sleep 10
  done ) &
# time to "agent ready"
while kill -0 $pid 2>/dev/null; do
  if grep -q "agent ready" err.txt; then echo "ready_after $(echo "$(date +%s.%N) - $start" | bc)" > ready.txt; break; fi
  sleep 0.05
done
wait $pid
echo "exit $?" >> ready.txt
