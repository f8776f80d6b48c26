#!/usr/bin/env bash
# Per-operation cost of the agent: builds the JMH jar, prepares target/inlay/ (agent snapshot, the file to open, an
# enforce-mode policy allowing exactly the measured operations and what the JMH fork itself needs) and runs
# WithoutAgent and WithAgent (interleaved by JMH's fork order). Extra arguments go to JMH, e.g. quick smoke runs:
#   bench/agent-jmh/run.sh -wi 1 -w 1 -i 2 -r 1
#   INLAY_BENCH_MODE=learn bench/agent-jmh/run.sh      (the agent in another mode; default enforce)
#   ROUNDS=5 bench/agent-jmh/run.sh                   (rounds of the side-by-side sequence; default 3)
# Results: target/jmh-results/ROUND-OPERATION-VARIANT.json; the table: bench/report.py jmh FILES. With the default
# iterations (3 x 2 s warm-up, 5 x 2 s measured) and 3 rounds: 3 x 5 x 2 forks of ~17 s, about 9 minutes.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../lib/common.sh"
cd "$here"
mvn -q -B package
snapshot_agent
mkdir -p target/inlay
cp "$AGENT_JAR" target/inlay/inlay-agent.jar
printf 'A file the benchmark opens; the policy allows reading it.\n' >target/inlay/allowed.txt
source "$here/policy.sh"
write_policy "$here"
export INLAY_MODE="${INLAY_BENCH_MODE:-enforce}" INLAY_POLICY="$here/target/inlay/policy.yaml"
# The agent's event stream: any line here in enforce mode means the policy denied something the fork needs.
export INLAY_SINK="file:$here/target/inlay/events.jsonl"
rm -f target/inlay/events.jsonl
rm -rf target/jmh-results
mkdir -p target/jmh-results
# Side by side: for each operation, the plain and the agent JVM run one after the other (alternating which goes first),
# and the whole sequence repeats ROUNDS times; JMH alone would run every WithAgent benchmark before every WithoutAgent.
operations=(dnsLookupLocalhost fileOpenChannel fileOpenStream processExec socketConnect)
variants=(WithoutAgent WithAgent)
for ((round = 1; round <= ${ROUNDS:-3}; round++)); do
  for operation in "${operations[@]}"; do
    for ((k = 0; k < 2; k++)); do
      variant="${variants[$(((k + round + 1) % 2))]}"
      "$JAVA" -jar target/agent-benchmarks.jar "dev.inlay.bench.agent.$variant.$operation\$" -rf json \
        -rff "target/jmh-results/$round-$operation-$variant.json" "$@"
    done
  done
done
if [[ -f target/inlay/events.jsonl ]] && grep -q '"inlay":"event"' target/inlay/events.jsonl; then
  echo "agent-jmh: the agent reported decisions other than allow (target/inlay/events.jsonl):" >&2
  grep '"inlay":"event"' target/inlay/events.jsonl | head -5 >&2
fi
python3 "$BENCH_DIR/report.py" jmh target/jmh-results/*.json
for variant in WithoutAgent WithAgent; do
  grep -q "\"dev.inlay.bench.agent.$variant\." target/jmh-results/*.json || die "no $variant result: its fork failed (see above)"
done
