#!/usr/bin/env bash
# Time to main (and exit) of a trivial program, with and without the inlay agent, on JDK 17 and JDK 25.
# Prints the median of N runs per configuration, in milliseconds.
# Usage: bench/startup.sh [runs]   (needs runtime-layer/target/inlay-agent.jar: mvn package -pl runtime-layer)
set -euo pipefail
runs=${1:-9}
root=$(cd "$(dirname "$0")/.." && pwd)
agent="$root/runtime-layer/target/inlay-agent.jar"
[ -f "$agent" ] || { echo "missing $agent: build runtime-layer first" >&2; exit 2; }
jdk17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
jdk25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/Main.java" <<'JAVA'
public class Main { public static void main(String[] args) { System.out.println("main"); } }
JAVA
"$jdk17/bin/javac" -d "$work" "$work/Main.java"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

measure() { # java, extra args...
  local java=$1; shift
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    "$java" "$@" -cp "$work" Main > /dev/null 2>&1
    end=$(date +%s%N)
    echo $(( (end - start) / 1000000 ))
  done | median
}

printf '%-8s %-10s %8s\n' jdk agent median_ms
for jdk in "$jdk17" "$jdk25"; do
  [ -x "$jdk/bin/java" ] || { echo "skipping $jdk: not installed" >&2; continue; }
  v=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | awk '/java.specification.version/ {print $3}')
  base=$(measure "$jdk/bin/java")
  learn=$(measure "$jdk/bin/java" "-javaagent:$agent=mode=learn")
  printf '%-8s %-10s %8s\n' "$v" none "$base"
  printf '%-8s %-10s %8s\n' "$v" learn "$learn"
  printf '%-8s %-10s %8s\n' "$v" added "$((learn - base))"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
