#!/usr/bin/env bash
# run.sh side by side for two agents: the hooked operations without an agent, under OLD_CHECKOUT's agent and under
# NEW_CHECKOUT's (each built: mvn -q package -DskipTests), with run.sh's policy, rotating the three per operation and
# round. WithAgent loads target/inlay/inlay-agent.jar relative to the working directory, so each agent runs from its
# own directory target/compare/{old,new}. Extra arguments go to JMH. Results: target/compare/results/; table printed.
# Usage: bench/agent-jmh/compare.sh OLD_CHECKOUT NEW_CHECKOUT [JMH options]   (OPERATIONS, ROUNDS: default 2)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
old=$(cd "$1" && pwd) new=$(cd "$2" && pwd)
shift 2
source "$here/../lib/common.sh"
source "$here/policy.sh"
(cd "$here" && mvn -q -B package)
cmp="$here/target/compare"
rm -rf "$cmp"
mkdir -p "$cmp/results"
for side in old new; do
  mkdir -p "$cmp/$side/target/inlay"
  cp "${!side}/runtime-layer/target/inlay-agent.jar" "$cmp/$side/target/inlay/inlay-agent.jar"
  cp "$here/target/agent-benchmarks.jar" "$cmp/$side/target/"
  printf 'A file the benchmark opens; the policy allows reading it.\n' >"$cmp/$side/target/inlay/allowed.txt"
  # A checkout from before the capabilities category (issue 17) would reject the rule.
  write_policy "$cmp/$side" "$(grep -q '^### Capabilities' "${!side}/docs/POLICY.md" || echo no-capabilities)"
  echo "$side: ${!side} at $(git -C "${!side}" rev-parse --short HEAD)"
done
export INLAY_MODE="${INLAY_BENCH_MODE:-enforce}"
read -ra operations <<<"${OPERATIONS:-fileOpenChannel fileOpenStream socketConnect}"
runs=(none old new)
for ((round = 1; round <= ${ROUNDS:-2}; round++)); do
  for operation in "${operations[@]}"; do
    for ((k = 0; k < 3; k++)); do
      run=${runs[$(((k + round) % 3))]}
      side=$([ "$run" = none ] && echo new || echo "$run")
      variant=$([ "$run" = none ] && echo WithoutAgent || echo WithAgent)
      (cd "$cmp/$side" && INLAY_POLICY="$cmp/$side/target/inlay/policy.yaml" \
        INLAY_SINK="file:$cmp/$side/target/inlay/events.jsonl" "$JAVA" -jar target/agent-benchmarks.jar \
        "dev.inlay.bench.agent.$variant.$operation\$" -rf json -rff "$cmp/results/$round-$operation-$run.json" "$@" \
        >"$cmp/results/$round-$operation-$run.log" 2>&1) || die "$run $operation failed: $cmp/results/$round-$operation-$run.log"
      echo "round $round $operation $run: $(grep ' avgt ' "$cmp/results/$round-$operation-$run.log" | tail -1 | tr -s ' ')" \
        "load $(cut -d' ' -f1-3 /proc/loadavg)"
    done
  done
done
for side in old new; do
  if [[ -f "$cmp/$side/target/inlay/events.jsonl" ]] && grep -q '"inlay":"event"' "$cmp/$side/target/inlay/events.jsonl"; then
    echo "$side agent reported decisions other than allow:" >&2
    grep '"inlay":"event"' "$cmp/$side/target/inlay/events.jsonl" | head -5 >&2
  fi
done
python3 - "$cmp/results" "${operations[@]}" <<'PY'
import json, pathlib, statistics, sys
results, ops = pathlib.Path(sys.argv[1]), sys.argv[2:]
print(f"{'operation':<16} {'none us':>9} {'old us':>9} {'new us':>9} {'old-none':>9} {'new-none':>9} {'new/old':>8}")
for op in ops:
    score = {}
    for run in ("none", "old", "new"):
        vals = [json.loads(f.read_text())[0]["primaryMetric"]["score"] for f in sorted(results.glob(f"*-{op}-{run}.json"))]
        score[run] = statistics.median(vals)
    n, o, w = score["none"], score["old"], score["new"]
    print(f"{op:<16} {n:>9.2f} {o:>9.2f} {w:>9.2f} {o - n:>9.2f} {w - n:>9.2f} {w / o:>8.2f}")
print("median over rounds of each run's JMH score (average time per operation, microseconds)")
PY
