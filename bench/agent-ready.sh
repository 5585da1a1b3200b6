#!/usr/bin/env bash
# Usage: mkdir -p /tmp/bench && cp edge-agent/target/haulproof.jar /tmp/bench/run.jar && bench/agent-ready.sh
# Start-to-ready of `haulproof run` (-Xmx64m, SerialGC) on socat ptys; prints seconds per run.
cd /tmp/bench
rm -rf rdata ptys; mkdir -p ptys
socat pty,raw,echo=0,link=ptys/scale pty,raw,echo=0,link=ptys/scale-peer & s1=$!
socat pty,raw,echo=0,link=ptys/rfid pty,raw,echo=0,link=ptys/rfid-peer & s2=$!
sleep 1
cat > r.yaml <<Y
device: { id: truck-bench, fleet: bench, dataDir: "/tmp/bench/rdata" }
scale:
  protocol: toledo
  port: { path: "/tmp/bench/ptys/scale" }
  interval: 0.5
  min: 10
  max: 500
  instrument: { approval: A, serial: S, calibrationDate: "2026-03-01" }
rfid:
  - { protocol: fdxb-uart, port: { path: "/tmp/bench/ptys/rfid" }, side: REAR_COMB }
bins: { enforce: false }
http: { port: 0 }
Y
for i in 1 2 3 4 5 6; do
  start=$(date +%s%N)
  java -Xmx64m -XX:+UseSerialGC -jar run.jar run --config r.yaml > run.out 2> run.err &
  pid=$!
  while ! grep -q ready run.out 2>/dev/null; do sleep 0.01; if ! kill -0 $pid 2>/dev/null; then echo died; cat run.err; break; fi; done
  end=$(date +%s%N)
  rss=$(awk '/VmRSS/{print $2}' /proc/$pid/status); cpu=$(awk '{print ($14+$15)/100}' /proc/$pid/stat)
  echo "run $i ready_s $(echo "scale=3; ($end-$start)/1000000000" | bc) rss_kb $rss cpu_s $cpu load $(cut -d" " -f1 /proc/loadavg)"
  kill -TERM $pid; wait $pid 2>/dev/null
done
kill $s1 $s2
