#!/usr/bin/env bash
# Fetches the peer that runs as a Java agent, Datadog's dd-java-agent, from Maven Central with Maven's own client.
#   bench/fetch-peers.sh        -> bench/target/peers/dd-java-agent-$DD_AGENT_VERSION.jar (default version in lib/common.sh)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
if [[ -f "$DD_AGENT_JAR" ]]; then
  log "have $DD_AGENT_JAR"
  exit 0
fi
mkdir -p "$(dirname "$DD_AGENT_JAR")"
mvn -q -B dependency:copy -Dartifact="com.datadoghq:dd-java-agent:$DD_AGENT_VERSION" \
  -DoutputDirectory="$(dirname "$DD_AGENT_JAR")"
[[ -f "$DD_AGENT_JAR" ]] || die "dependency:copy did not produce $DD_AGENT_JAR"
log "fetched $DD_AGENT_JAR"
