#!/usr/bin/env bash
# Decision-engine latency and allocation (JMH, -prof gc) at 10, 1,000 and 10,000 rules. About 4 minutes.
# Needs the policy-enforcer installed in the local Maven repository: mvn -q -DskipTests install
# ComponentDecisionBenchmark (same jar) runs on its own: bench/decisions-components.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mvn -q -f "$here/jmh/pom.xml" -DskipTests package
exec java -jar "$here/jmh/target/benchmarks.jar" "\.DecisionBenchmark\." -prof gc -rf json -rff "${1:-$here/decisions.json}"
