#!/bin/sh
# Outage soak, long mode (issue 11): 30 minutes at 10 lifts/s through the real agent runtime and
# MQTT uplink to the reference ledger over a real Mosquitto that is killed and restarted every
# 3 minutes, with one 10-minute outage; the agent JVM runs at -Xmx256m. The suite runs the same
# test for 3 minutes (restarts every 40 s, one 60 s outage).
#
#   bench/soak.sh                        # long mode, about 37 minutes with the build
#   bench/soak.sh -Dsoak.duration=PT60M  # any SoakPlan property can be overridden
#
# Prints one "soak:" line per 10 s sample and a summary line; exit status is the test's.
set -eu
cd "$(dirname "$0")/.."
mvn -B -ntp -o -pl edge-agent -am verify \
  -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=OutageSoakIT -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dsoak.mode=long -DargLine=-Xmx256m "$@" > target-soak.log 2>&1 || status=$?
grep -h 'soak:' edge-agent/target/failsafe-reports/io.haulproof.agent.soak.OutageSoakIT-output.txt || true
grep -E 'Tests run:|FAIL' target-soak.log | tail -3
exit "${status:-0}"
