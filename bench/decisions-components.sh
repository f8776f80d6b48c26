#!/usr/bin/env bash
# Issue 22's decision target: an allowed decision under a component-scoped rule against the same decision unscoped
# (ComponentDecisionBenchmark, bench/jmh), compiled against this checkout's built policy-enforcer and model jars
# (nothing installed in ~/.m2). Prints each score and scoped/unscoped. Build first:
#   mvn -B -ntp -q -pl policy-enforcer -am package -DskipTests
# Usage: bench/decisions-components.sh [JMH options]   (default -wi 3 -i 5 -f 1; e.g. -p rules=1000 for one size)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
source "$here/lib/decision-bench.sh" # decision_bench_start, _classpath, _compile
out="$here/target/decisions-components"
decision_bench_start "$out" "$@"
decision_bench_classpath "$out" checkout "$root"
decision_bench_compile "$out" checkout ComponentDecisionBenchmark
cp="$(cat "$out/checkout.cp")"
echo "checkout: $root at $(git -C "$root" rev-parse --short HEAD); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$out/checkout/classes:$cp" org.openjdk.jmh.Main ComponentDecisionBenchmark -prof gc "${jmh_options[@]}" \
  -rf json -rff "$out/result.json" >"$out/run.log" 2>&1 || { echo "failed: $out/run.log" >&2; exit 1; }
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out/result.json" <<'PY'
import json, sys
scores = {}
for r in json.load(open(sys.argv[1])):
    name = r["benchmark"].rsplit(".", 1)[1]
    alloc = r["secondaryMetrics"].get("gc.alloc.rate.norm", {}).get("score", float("nan"))
    scores[(name, int(r["params"]["rules"]))] = (r["primaryMetric"]["score"], float(r["primaryMetric"]["scoreError"]), alloc)
print(f"{'benchmark':<27} {'rules':>6} {'ns/op':>8} {'error':>8} {'B/op':>7} {'scoped/unscoped':>16}")
for (name, rules), (score, error, alloc) in sorted(scores.items(), key=lambda kv: (kv[0][1], kv[0][0])):
    base = scores.get((name.replace("ByComponent", ""), rules))
    ratio = f"{score / base[0]:.2f}" if "ByComponent" in name and base else ""
    print(f"{name:<27} {rules:>6} {score:>8.1f} {error:>8.1f} {alloc:>7.3f} {ratio:>16}")
PY
