#!/usr/bin/env bash
# `inlay policy validate|lint|diff` at 10,000, 20,000 and 100,000 rules, before (BEFORE_REF) and after (this tree),
# in a JVM with -Xmx512m: the median wall time of RUNS runs, before and after interleaved in the same run. A run that
# reaches CAP seconds is stopped, counted as ">CAP" and not repeated. Policies: ScalePolicies (profiler tests), shaped
# like learned ones: `diff` compares a.yaml with b.yaml (1% of the rules removed, added, widened), `diff-renamed` with
# c.yaml (the same rules under other ids: all added and removed). COMMANDS picks some (default: all four).
# Figures: docs/BENCHMARKS.md, "Policy command line at scale". Some 25 minutes on 2 cores.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
source "$root/scripts/lib.sh" # median
before_ref="${BEFORE_REF:-f4aa17c}"   # the last commit with the all-pairs lint and diff
runs="${RUNS:-3}"
cap="${CAP:-120}"
sizes="${SIZES:-10000 20000 100000}"
commands="${COMMANDS:-validate lint diff diff-renamed}"
out="$root/bench/target/policy-cli"
mkdir -p "$out"

# The CLI jar is built by cli/ (instrumenter/ before the CLI had a module of its own): either tree builds.
cli_module() { if [[ -f "$1/cli/pom.xml" ]]; then echo cli; else echo instrumenter; fi; }
build() { (cd "$1" && mvn -B -ntp -q -pl "$(cli_module "$1")" -am package -DskipTests >/dev/null); }
# SKIP_BUILD=1 reuses the jars and classes of the previous run
if [[ -z "${SKIP_BUILD:-}" ]]; then
  echo "building this tree and $before_ref" >&2
  build "$root"
  (cd "$root" && mvn -B -ntp -q -pl profiler -am test-compile >/dev/null)
  cp "$root/$(cli_module "$root")/target/inlay.jar" "$out/after.jar"
  rm -rf "$out/scale-classes" && mkdir -p "$out/scale-classes/dev/inlay/profiler/review"
  cp "$root"/profiler/target/test-classes/dev/inlay/profiler/review/ScalePolicies*.class \
    "$out/scale-classes/dev/inlay/profiler/review/"
  rm -rf "$out/before-src" && mkdir -p "$out/before-src"
  git -C "$root" archive "$before_ref" | tar -x -C "$out/before-src"
  build "$out/before-src"
  cp "$out/before-src/$(cli_module "$out/before-src")/target/inlay.jar" "$out/before.jar"
fi

for n in $sizes; do
  java -cp "$out/scale-classes" dev.inlay.profiler.review.ScalePolicies "$n" "$out/p$n"
done

# one timed run: prints "WALL CPU" in seconds (CPU: user + system, what the JVM used however busy the machine is), or
# ">CAP" when stopped
timed() {
  local jar="$1"; shift
  local start end rc
  start=$(date +%s.%N)
  set +e
  /usr/bin/time -f '%U %S' -o "$out/cpu.txt" timeout "$cap" java -Xmx512m -jar "$jar" policy "$@" >/dev/null \
    2>"$out/stderr.txt"
  rc=$?
  set -e
  end=$(date +%s.%N)
  if [[ $rc == 124 ]]; then echo ">$cap"; return; fi
  if [[ $rc -gt 1 ]]; then echo "exit $rc: $(head -c 300 "$out/stderr.txt")" >&2; echo "error error"; return; fi
  echo "$(echo "$end - $start" | bc) $(awk 'END {print $1 + $2}' "$out/cpu.txt")"
}

median_of() { printf '%s\n' "$@" | median; }

{
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; java $(java -version 2>&1 | head -1)"
  echo
  echo "| rules | command | before: wall (s) | after: wall (s) | before: CPU (s) | after: CPU (s) |"
  echo "| ---: | --- | ---: | ---: | ---: | ---: |"
} | tee "$out/results.md"
for n in $sizes; do
  for name in $commands; do
    cmd="${name%-renamed}"
    args=("$out/p$n/a.yaml")
    [[ $name == diff ]] && args+=("$out/p$n/b.yaml")
    [[ $name == diff-renamed ]] && args+=("$out/p$n/c.yaml")
    bw=() bc=() aw=() ac=()
    before_capped=""
    for ((i = 0; i < runs; i++)); do
      if [[ -z $before_capped ]]; then
        read -r w c < <(timed "$out/before.jar" "$cmd" "${args[@]}")
        if [[ $w == ">"* ]]; then before_capped="$w"; else bw+=("$w"); bc+=("$c"); fi
      fi
      read -r w c < <(timed "$out/after.jar" "$cmd" "${args[@]}")
      aw+=("$w"); ac+=("$c")
    done
    if [[ -n $before_capped ]]; then b_wall="$before_capped"; b_cpu="-"; else b_wall="$(median_of "${bw[@]}")"; b_cpu="$(median_of "${bc[@]}")"; fi
    echo "| $n | $name | $b_wall | $(median_of "${aw[@]}") | $b_cpu | $(median_of "${ac[@]}") |" | tee -a "$out/results.md"
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/results.md"
