#!/usr/bin/env bash
# The CLI's start-up (issue 23; docs/BENCHMARKS.md "CLI start-up"): `inlay --version`, `inlay --help` and
# `inlay policy validate docs/examples/policy.yaml` through bin/inlay with its class data sharing archive, with
# INLAY_CLI_CDS=0 (no archive), and, given a jar of another build, that jar run as `java -jar` (as bin/inlay ran it
# before the archive). Interleaved; prints the median wall and CPU (user + sys) seconds of N runs and the load.
# Usage: bench/cli-startup.sh [N] [BEFORE_JAR]   (N default 11; needs a built cli/target/inlay.jar and GNU time)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INLAY_SCRIPT=bench-cli-startup
source "$here/scripts/lib.sh" # log, die, median
runs="${1:-11}"
before="${2:-}"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "usage: bench/cli-startup.sh [N] [BEFORE_JAR]"
[[ -f "$here/cli/target/inlay.jar" ]] || die "build it first: (cd $here && mvn -q -DskipTests package)"
[[ -z "$before" || -f "$before" ]] || die "no such jar: $before"
command -v /usr/bin/time >/dev/null || die "missing /usr/bin/time (Debian: apt-get install time)"
inlay="$here/bin/inlay"
policy="$here/docs/examples/policy.yaml"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# timed KEY COMMAND...: one run, appended to $out/KEY as "wall user sys".
timed() {
  local key="$1"
  shift
  /usr/bin/time -a -o "$out/$key" -f "%e %U %S" "$@" >/dev/null 2>&1 || die "failed: $*"
}
cell() { # KEY: "wall W s, cpu C s"
  echo "wall $(awk '{print $1}' "$out/$1" | median 2) s, cpu $(awk '{print $2 + $3}' "$out/$1" | median 2) s"
}

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) runs=$runs" \
  "java=$("${JAVA:-java}" -version 2>&1 | head -1 | tr -d '"')"
for args in "--version" "--help" "policy validate $policy"; do
  read -r -a argv <<<"$args"
  for ((i = 0; i < runs; i++)); do
    [[ -n "$before" ]] && timed before "${JAVA:-java}" -jar "$before" "${argv[@]}"
    INLAY_CLI_CDS=0 timed no-archive "$inlay" "${argv[@]}"
    timed archive "$inlay" "${argv[@]}"
  done
  line="inlay ${args/$here\//} |"
  [[ -n "$before" ]] && line="$line before: $(cell before) |"
  echo "$line no archive: $(cell no-archive) | archive: $(cell archive)"
  rm -f "$out"/*
done
echo "# end load=$(cut -d' ' -f1-3 /proc/loadavg)"
