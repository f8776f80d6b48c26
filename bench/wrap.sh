#!/usr/bin/env bash
# Wrapping a ~500 MB JVM image: `inlay wrap` (one run: read, baseline scan, add layer, write) against doing the same
# job with the standard tools: `skopeo copy` + `umoci insert` (the agent dir) + `umoci config` (env and labels).
# Runs A B A B and prints each time and the medians. Both write a fresh OCI layout on the same disk.
# Usage: bench/wrap.sh [ROUNDS]   (default 2; needs scripts/fixtures.sh, skopeo, umoci and a built bin/inlay)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$here/scripts/lib.sh" # median
rounds="${1:-2}"
work="${INLAY_BENCH_DIR:-/tmp/inlay-bench}"
mkdir -p "$work"

base="$work/base"
if [[ ! -f "$base/index.json" ]]; then
  jre="$("$here/scripts/fixtures.sh" jre17-oci)"
  rm -rf "$base" "$work/payload"
  skopeo copy -q "oci:$jre:latest" "oci:$base:latest"
  mkdir -p "$work/payload/app"
  # ~400 MB of incompressible application data on top of the ~110 MB JRE image
  head -c 400M /dev/urandom > "$work/payload/app/data.bin"
  umoci insert --image "$base:latest" "$work/payload/app" /app
  rm -rf "$work/payload"
fi
echo "base image: $(du -sh "$base" | cut -f1)" >&2

agent_dir="$work/agent"
rm -rf "$agent_dir" && mkdir -p "$agent_dir"
unzip -p "$here/cli/target/inlay.jar" inlay/inlay-agent.jar > "$agent_dir/inlay-agent.jar"
printf 'mode=learn\n' > "$agent_dir/inlay.properties"

run_inlay() {
  rm -rf "$work/out-inlay"
  "$here/bin/inlay" wrap "oci:$base:latest" "oci:$work/out-inlay:w" --mode learn -q >/dev/null
}

run_tools() {
  rm -rf "$work/out-tools"
  skopeo copy -q "oci:$base:latest" "oci:$work/out-tools:w"
  umoci insert --image "$work/out-tools:w" "$agent_dir" /opt/inlay
  umoci config --image "$work/out-tools:w" \
    --config.env "JAVA_TOOL_OPTIONS=-javaagent:/opt/inlay/inlay-agent.jar" \
    --config.label dev.inlay.wrapped=true --config.label dev.inlay.mode=learn
}

seconds() {
  local start end
  start=$(date +%s.%N)
  "$@"
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}


a_times=()
b_times=()
for ((i = 1; i <= rounds; i++)); do
  t=$(seconds run_inlay); a_times+=("$t"); echo "round $i A inlay wrap:           ${t}s" >&2
  t=$(seconds run_tools); b_times+=("$t"); echo "round $i B skopeo+umoci:         ${t}s" >&2
done
echo "median A inlay wrap (with baseline scan): $(printf '%s\n' "${a_times[@]}" | median 3)s"
echo "median B skopeo copy + umoci insert + umoci config: $(printf '%s\n' "${b_times[@]}" | median 3)s"
