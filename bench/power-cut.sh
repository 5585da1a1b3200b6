#!/usr/bin/env bash
# Long mode of the LazyFS power-cut torture (issue 11): 500 cycles by default, or $1.
# Each cycle starts a writer JVM on a LazyFS mount, kill -9s it at a seeded random point, drops every
# unsynced byte (LazyFS clear-cache), reopens the lightchain, verifies it and checks every acknowledged
# seq. Needs root and /dev/fuse; LazyFS is built from ../shared/tools (cached in /tmp/lazyfs-build-<hash of the script path>).
# The summary line ("power-cut: N cycles ...", and a "power-cut progress:" line every 25 cycles) is in lightchain/target/failsafe-reports/*PowerCutIT-output.txt.
# Usage: bench/power-cut.sh [CYCLES] [SEED]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
cycles="${1:-500}"
seed="${2:-20261204}"
mvn -B -ntp -pl lightchain verify -Dtest=NoSuch -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=LightchainPowerCutIT "-Dhaulproof.powercut.cycles=$cycles" "-Dhaulproof.powercut.seed=$seed"
grep -h "power-cut" lightchain/target/failsafe-reports/*LightchainPowerCutIT-output.txt
