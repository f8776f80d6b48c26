#!/usr/bin/env bash
# Time to main() of a trivial program, and to its exit, on JDK 17 and JDK 25: without an agent, with an empty agent
# (a premain that does nothing, loaded with -javaagent and with -agentlib:instrument=: what each costs the JVM), and
# with inlay: in learn and enforce mode as a wrapped image runs it (/opt/inlay layout: the JDK classes hooked at wrap
# time, the policy, inlay.properties pinning it by digest and holding it compiled; loaded with the option wrap writes
# for a class-path launch, and with -javaagent as for a launch with modules: enforce-javaagent), in learn mode from the agent jar alone (learn-asm: ASM hooks the JDK at
# startup, as with --no-baseline or a JDK the wrap did not see) and in enforce mode from the agent jar alone with a
# YAML policy named at run time (enforce-yaml: parsed at startup); on JDK 23+ also learn and enforce with the archive
# inlay wrap --startup-archive adds (learn-cds, enforce-cds: the module graph mapped, not resolved at every start).
# Runs alternate between configurations (A B C D E F A B C ...); prints medians in milliseconds.
# Usage: bench/startup.sh [runs]   (default 15; needs the built agent and CLI: mvn -q -o package -DskipTests)
set -euo pipefail
runs=${1:-15}
root=$(cd "$(dirname "$0")/.." && pwd)
agent="$root/runtime-layer/target/inlay-agent.jar"
[ -f "$agent" ] || { echo "missing $agent: mvn -q -o package -DskipTests first" >&2; exit 2; }
jdk17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
jdk25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

source "$root/bench/lib/startup-program.sh"
startup_program "$work" "$jdk17" "$root/bench/lib/SmallServer.java"
echo "a small document" >"$work/document.txt"
startup_policy "$work" 18600-18799

# The layer inlay wrap adds, with the same files and properties (the policy compiled by the same code).
source "$root/bench/lib/common.sh"
layer="$work/opt-inlay" learn_layer="$work/opt-inlay-learn"
export BENCH_JDK_HOMES="$jdk17 $([ -x "$jdk25/bin/java" ] && echo "$jdk25")"
AGENT_JAR="$agent" JAVA="$jdk17/bin/java" bake_policy_layer enforce "$work/policy.yaml" "$layer"
AGENT_JAR="$agent" JAVA="$jdk17/bin/java" bake_learn_layer "$learn_layer"

all_configs=(none empty empty-agentlib learn learn-asm enforce enforce-javaagent enforce-yaml learn-cds enforce-cds)
options() { # config -> JVM options, one per line
  case "$1" in
    none) ;;
    empty) echo "-javaagent:$work/empty-agent.jar" ;;
    empty-agentlib) echo "-agentlib:instrument=$work/empty-agent.jar" ;;
    learn) echo "$WRAP_AGENT_OPTION$learn_layer/inlay-agent.jar" ;;
    learn-asm) echo "-javaagent:$agent=mode=learn" ;;
    enforce) echo "$WRAP_AGENT_OPTION$layer/inlay-agent.jar" ;;
    enforce-javaagent) echo "-javaagent:$layer/inlay-agent.jar" ;;
    enforce-yaml) echo "-javaagent:$agent=mode=enforce,policy=$work/policy.yaml" ;;
    learn-cds) echo "$WRAP_AGENT_OPTION$learn_layer/inlay-agent.jar"; echo "-XX:SharedArchiveFile=$work/startup-$v.jsa" ;;
    enforce-cds) echo "$WRAP_AGENT_OPTION$layer/inlay-agent.jar"; echo "-XX:SharedArchiveFile=$work/startup-$v.jsa" ;;
  esac
}

printf '%-4s %-12s %12s %12s %14s %14s\n' jdk config to_main_ms to_exit_ms added_main_ms added_exit_ms
for jdk in "$jdk17" "$jdk25"; do
  [ -x "$jdk/bin/java" ] || { echo "skipping $jdk: not installed" >&2; continue; }
  v=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | awk '/java.specification.version/ {print $3}')
  configs=("${all_configs[@]}")
  if ((v >= 23)); then
    "$jdk/bin/java" -cp "$CLI_JAR" "$root/bench/lib/MakeStartupArchive.java" "$jdk/bin/java" "$agent" \
      "$work/startup-$v.jsa" "$(wrap_agent_flag)"
  else
    configs=()
    for c in "${all_configs[@]}"; do [[ $c == *-cds ]] || configs+=("$c"); done
  fi
  for c in "${configs[@]}"; do : >"$work/$c.main"; : >"$work/$c.exit"; done
  for ((round = 0; round < runs; round++)); do
    for ((k = 0; k < ${#configs[@]}; k++)); do
      c=${configs[$(((k + round) % ${#configs[@]}))]}
      startup_run "$jdk" "$v" "$c"
      echo "scale=1; ($main - $start) / 1000" | bc >>"$work/$c.main"
      echo "scale=1; ($end - $start) / 1000" | bc >>"$work/$c.exit"
    done
  done
  base_main=$(median <"$work/none.main") base_exit=$(median <"$work/none.exit")
  for c in "${configs[@]}"; do
    m=$(median <"$work/$c.main") e=$(median <"$work/$c.exit")
    printf '%-4s %-12s %12s %12s %14s %14s\n' "$v" "$c" "$m" "$e" "$(echo "$m - $base_main" | bc)" \
      "$(echo "$e - $base_exit" | bc)"
  done
done
echo "runs: $runs per configuration, interleaved, priority ${STARTUP_PRIORITY:-normal}; load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

# The same configurations to the first response of a small application (bench/lib/SmallServer: the JDK's HTTP server
# answering with a file it reads), timed by bench/lib/FirstResponse from the spawn to the response read.
echo
echo "first response of bench/lib/SmallServer (ms; added: paired median over no agent)"
for jdk in "$jdk17" "$jdk25"; do
  [ -x "$jdk/bin/java" ] || continue
  v=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | awk '/java.specification.version/ {print $3}')
  specs=()
  for c in none empty learn enforce learn-cds enforce-cds; do
    [[ $c == *-cds && ! -f "$work/startup-$v.jsa" ]] && continue
    specs+=("$v-$c|$jdk/bin/java|$(options "$c" | tr '\n' ' ')")
  done
  "$jdk17/bin/java" "$root/bench/lib/FirstResponse.java" "$runs" "$work" "$work/document.txt" 18600 "${specs[@]}"
done
echo "runs: $runs per configuration, interleaved, priority ${STARTUP_PRIORITY:-normal}; load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
