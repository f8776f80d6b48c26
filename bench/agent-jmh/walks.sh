#!/usr/bin/env bash
# The attribution's stack walk in its variants (StackWalks: issue 22), on JDK 17 and JDK 25, alternating the JDKs over
# ROUNDS rounds (default 2), every variant in one fork per round. Extra arguments go to JMH. Results:
# target/walks/ROUND-JDK.json, and a table of the median over rounds (microseconds per walk).
# All 8 variants x 3 depths at 8 s each: about 3.5 minutes a fork, 14 minutes for the default 2 rounds; fewer with
# JMH's -p, e.g. the agent's old and new walks:
#   bench/agent-jmh/walks.sh -p depth=6,10 -p variant=base,depth16,drop12
# JAVA17, JAVA25: the two JDKs' java (default: java, and temurin 25 under /usr/lib/jvm).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
java17="${JAVA17:-java}"
java25="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
mvn -q -B package
rm -rf target/walks
mkdir -p target/walks
for ((round = 1; round <= ${ROUNDS:-2}; round++)); do
  jdks=(17 25)
  ((round % 2 == 0)) && jdks=(25 17)
  for jdk in "${jdks[@]}"; do
    java_var="java$jdk"
    echo "round $round JDK $jdk, load $(cut -d' ' -f1-3 /proc/loadavg)"
    "${!java_var}" -jar target/agent-benchmarks.jar 'dev.inlay.bench.agent.StackWalks' -rf json \
      -rff "target/walks/$round-$jdk.json" "$@" >"target/walks/$round-$jdk.log" 2>&1 ||
      { tail -20 "target/walks/$round-$jdk.log" >&2; exit 1; }
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - target/walks <<'PY'
import json, pathlib, statistics, sys
ORDER = ["base", "depth12", "depth16", "noHidden", "findFirst", "drop", "drop12", "drop16"]
scores = {}
for f in sorted(pathlib.Path(sys.argv[1]).glob("*.json")):
    jdk = f.stem.split("-")[1]
    for r in json.loads(f.read_text()):
        p = r["params"]
        scores.setdefault((jdk, int(p["depth"]), p["variant"]), []).append(r["primaryMetric"]["score"])
variants = sorted({k[2] for k in scores}, key=lambda v: ORDER.index(v) if v in ORDER else 99)
print(f"{'JDK':>3} {'depth':>5} " + " ".join(f"{v:>10}" for v in variants))
for jdk, depth in sorted({(k[0], k[1]) for k in scores}):
    print(f"{jdk:>3} {depth:>5} " + " ".join(f"{statistics.median(scores[(jdk, depth, v)]):>10.3f}" for v in variants))
print("median over rounds of each JMH score (average microseconds per walk)")
PY
