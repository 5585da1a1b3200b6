#!/bin/sh
# Fuzzing campaign, long mode (issue 11): every Jazzer target of every module, each alone for
# SECONDS (default 300), coverage-guided, starting from its committed corpus
# (<module>/src/test/resources/fuzz/<Target>/) and keeping what it learns in
# <module>/target/fuzz-corpus/<Target>/ between runs.
#
#   bench/fuzz.sh [SECONDS]     # long run; prints one line per target (executions, coverage, findings)
#   bench/fuzz.sh SECONDS --only A,B  # the long run for targets A and B only
#   bench/fuzz.sh --write-seeds # after adding a target: write its generated seeds into the corpus
#
# A target whose Jazzer outlives SECONDS + 300 s (a starved machine) is reported as "timeout" and
# the campaign goes on with the next one.
#
# A finding is written to <module>/target/fuzz-findings/<Target>/crash-<sha1>; fix it, then commit
# that file as <module>/src/test/resources/fuzz/<Target>/finding-NN-<what> (the suite replays it)
# and add a unit test. Exit status 1 when anything was found.
set -eu
cd "$(dirname "$0")/.."
modules=ledger,edge-agent
if [ "${1:-}" = "--write-seeds" ]; then
  exec mvn -B -ntp -o -pl "$modules" -am verify \
    -Dtest='*FuzzCorpusTest#seeds*' -Dsurefire.failIfNoSpecifiedTests=false -Dfuzz.writeSeeds=true \
    -Dit.test=NONE -Dfailsafe.failIfNoSpecifiedTests=false
fi
seconds=${1:-300}
only=""
if [ "${2:-}" = "--only" ]; then only=${3:?--only needs target names}; fi
rm -f ./*/target/fuzz-report.tsv
rm -rf ./*/target/fuzz-findings
mvn -B -ntp -o -pl "$modules" -am verify \
  -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test='*FuzzIT' -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dfuzz.seconds="$seconds" -Dfuzz.only="$only" -Dmaven.test.failure.ignore=true > target-fuzz.log 2>&1 || true
cat ./*/target/fuzz-report.tsv
if ls ./*/target/fuzz-findings/*/crash-* 2>/dev/null; then
  exit 1
fi
