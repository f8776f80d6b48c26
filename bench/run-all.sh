#!/usr/bin/env bash
# Runs the whole benchmark suite and prints its tables (also saved to bench/target/work/results/run-TIME.md):
#   1. builds what the suite owns (bench/springapp, bench/agent-jmh) and fetches dd-java-agent (bench/fetch-peers.sh);
#   2. takes a fresh snapshot of the agent jar and learns both applications' policies (bench/learn-policy.sh);
#   3. HTTP throughput, latency, startup and memory, interleaved rounds (bench/http.sh);
#   4. time to the first served request, more runs (bench/first-request.sh);
#   5. per-operation cost with and without the agent (bench/agent-jmh/run.sh).
# Needs the main build first: (cd ROOT && mvn -q -DskipTests package), or BENCH_BUILD=1 to run it here.
# Not part of the test run. Duration with the defaults: about 2 h 10 min (http.sh: 5 rounds x 2 apps x 6 configs x
# ~70 s = 70 min; first-request.sh: 11 x 2 x 6 starts, ~35 min; JMH ~9 min; learning and builds ~5 min).
#   SHORT=1 bench/run-all.sh    3 rounds of 20 s of load, 5 starts per configuration, 2 JMH rounds: ~50 min
#   QUICK=1 bench/run-all.sh    a smoke run of every step (a few seconds of load each, 1 round): 19 min at load ~6
# Measure only on a quiet machine: the script records the load average with every run and warns above 1.0.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

if [[ "${QUICK:-0}" == 1 ]]; then
  http_args=(-r 1 -d 5 -w 3 -s 1) startup_args=(-n 2) learn_args=(-d 8) jmh_args=(-wi 1 -w 1 -i 2 -r 1) jmh_rounds=1
elif [[ "${SHORT:-0}" == 1 ]]; then
  http_args=(-r 3 -d 20 -w 10 -s 3) startup_args=(-n 5) learn_args=() jmh_args=() jmh_rounds=2
else
  http_args=() startup_args=() learn_args=() jmh_args=() jmh_rounds="${ROUNDS:-3}"
fi

load1="$(cut -d' ' -f1 /proc/loadavg)"
if awk -v l="$load1" 'BEGIN { exit !(l >= 1.0) }'; then
  log "WARNING: 1-minute load average is $load1 (>= 1.0): other work shares the CPUs, the figures will be noise"
fi
if [[ "${BENCH_BUILD:-0}" == 1 ]]; then
  (cd "$ROOT" && mvn -q -B -DskipTests package)
fi
require_file "$ROOT/cli/target/inlay.jar" "build it: (cd $ROOT && mvn -q -DskipTests package)"
require_file "$DOCSERVICE_JAR" "build it: (cd $ROOT && mvn -q -DskipTests package)"
mvn -q -B -f "$BENCH_DIR/springapp/pom.xml" package -DskipTests
"$BENCH_DIR/fetch-peers.sh"
snapshot_agent --refresh

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$WORK/results"
report="$WORK/results/run-$stamp.md"
{
  echo "# inlay benchmark run $stamp"
  echo
  echo '```'
  echo "nproc: $(nproc)"
  free -h
  "$JAVA" -version 2>&1
  echo "agent: $(sha256sum "$AGENT_JAR" | cut -d' ' -f1) (snapshot of $AGENT_BUILD_JAR)"
  echo "dd-java-agent: $DD_AGENT_VERSION"
  echo "wrk: $(wrk -v 2>&1 | head -1)"
  echo "load before: $(cat /proc/loadavg)"
  echo '```'
} >"$report"

rm -f "$(policy_file docservice)" "$(policy_file springapp)"
"$BENCH_DIR/learn-policy.sh" "${learn_args[@]}" docservice springapp
"$BENCH_DIR/http.sh" "${http_args[@]}" -o "$WORK/results/http-$stamp.tsv" | tee -a "$report"
"$BENCH_DIR/first-request.sh" "${startup_args[@]}" -o "$WORK/results/startup-$stamp.tsv" | tee -a "$report"
ROUNDS="$jmh_rounds" "$BENCH_DIR/agent-jmh/run.sh" "${jmh_args[@]}" | grep -E '^(\||###|$)' | tee -a "$report"
echo "load after: $(cat /proc/loadavg)" | tee -a "$report"
log "report in $report"
