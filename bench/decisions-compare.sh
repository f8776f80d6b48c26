#!/usr/bin/env bash
# bench/decisions.sh side by side for two checkouts: the same DecisionBenchmark (bench/jmh) compiled against each
# checkout's built policy-enforcer and model jars (nothing installed in ~/.m2), run alternately (old new, new old, ...) ROUNDS
# times (default 2) with -prof gc; prints the median score per benchmark and size, new/old, and bytes per decision.
# Usage: bench/decisions-compare.sh OLD_CHECKOUT NEW_CHECKOUT [JMH options]   (default -wi 3 -i 5 -f 1)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib/decision-bench.sh" # decision_bench_start, _classpath, _compile
old=$(cd "$1" && pwd) new=$(cd "$2" && pwd)
shift 2
out="$here/target/decisions-compare"
decision_bench_start "$out" "$@"
mkdir -p "$out/results"
for side in old new; do
  root=${!side}
  decision_bench_classpath "$out" "$side" "$root"
  decision_bench_compile "$out" "$side" DecisionBenchmark
  jar=$(cut -d: -f1 "$out/$side.cp")
  echo "$side: $root at $(git -C "$root" rev-parse --short HEAD), $(basename "$jar") $(sha256sum "$jar" | cut -c1-12)"
done
sides=(old new)
for ((round = 1; round <= ${ROUNDS:-2}; round++)); do
  for ((k = 0; k < 2; k++)); do
    side=${sides[$(((k + round + 1) % 2))]}
    echo "round $round $side: load $(cut -d' ' -f1-3 /proc/loadavg)"
    java -cp "$out/$side/classes:$(cat "$out/$side.cp")" org.openjdk.jmh.Main DecisionBenchmark -prof gc \
      "${jmh_options[@]}" -rf json -rff "$out/results/$round-$side.json" >"$out/results/$round-$side.log" 2>&1 \
      || { echo "$side failed: $out/results/$round-$side.log" >&2; exit 1; }
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out/results" <<'PY'
import json, pathlib, statistics, sys
runs = {"old": {}, "new": {}}
for f in sorted(pathlib.Path(sys.argv[1]).glob("*.json")):
    side = f.stem.split("-")[1]
    for r in json.loads(f.read_text()):
        key = (r["benchmark"].rsplit(".", 1)[1], int(r["params"]["rules"]))
        alloc = r["secondaryMetrics"].get("gc.alloc.rate.norm", {}).get("score", float("nan"))
        runs[side].setdefault(key, []).append((r["primaryMetric"]["score"], alloc))
print(f"{'benchmark':<15} {'rules':>6} {'old ns':>8} {'new ns':>8} {'new/old':>8} {'old B/op':>9} {'new B/op':>9}")
for key in sorted(runs["old"]):
    o, n = runs["old"][key], runs["new"][key]
    om, nm = statistics.median(s for s, _ in o), statistics.median(s for s, _ in n)
    oa, na = statistics.median(a for _, a in o), statistics.median(a for _, a in n)
    print(f"{key[0]:<15} {key[1]:>6} {om:>8.1f} {nm:>8.1f} {nm / om:>8.2f} {oa:>9.1f} {na:>9.1f}")
print("median over rounds of each run's JMH score (average ns per decision); B/op: gc.alloc.rate.norm")
PY
