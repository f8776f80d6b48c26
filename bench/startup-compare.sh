#!/usr/bin/env bash
# bench/startup.sh side by side for two checkouts of inlay in ONE interleaved run: time from spawn to main() of a
# trivial program on JDK 17 and 25, with no agent, an empty agent, and each checkout's agent in learn and enforce mode
# (the /opt/inlay layout a wrapped image has, baked by each checkout's own bench/lib with its own agent and CLI, and
# loaded with the option each checkout's wrap writes for a class-path launch, given on the command line) and
# from the agent jar alone (learn-asm: ASM hooks the JDK at startup; enforce-yaml: the YAML policy parsed at startup).
# Configurations rotate every round (A B C ... then B C ... A), so load drifts reach old and new alike.
# Prints, per JDK and configuration, the median time to main() and the median added over no agent, then for each
# mode the median of new - old (each round pairs the two runs) and new/old of the added medians.
# JAR_ALONE=wrap loads the jar-alone rows with each side's wrap option too (default: -javaagent, as by hand).
# Usage: bench/startup-compare.sh OLD_CHECKOUT NEW_CHECKOUT [runs]   (default 21; both built: mvn -q package -DskipTests)
set -euo pipefail
old=$(cd "$1" && pwd) new=$(cd "$2" && pwd) runs=${3:-21}
jdk17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
jdk25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
# The CLI jar is cli/target/inlay.jar (instrumenter/target/inlay.jar in checkouts from before the CLI's own module).
cli_jar() { if [ -f "$1/cli/pom.xml" ]; then echo "$1/cli/target/inlay.jar"; else echo "$1/instrumenter/target/inlay.jar"; fi; }
for side in "$old" "$new"; do
  for f in "$side/runtime-layer/target/inlay-agent.jar" "$(cli_jar "$side")"; do
    [ -f "$f" ] || { echo "missing $f: build that checkout first" >&2; exit 2; }
  done
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# this checkout's helpers; each checkout bakes its layers with its own bench/lib below
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/scripts/lib.sh" # median
source "$here/bench/lib/startup-program.sh"
startup_program "$work" "$jdk17"
startup_policy "$work"

# Each checkout bakes its own layers with its own agent jar (copied), CLI and bench/lib helpers.
export BENCH_JDK_HOMES="$jdk17 $([ -x "$jdk25/bin/java" ] && echo "$jdk25")"
for side in old new; do
  root=${!side}
  mkdir -p "$work/$side"
  cp "$root/runtime-layer/target/inlay-agent.jar" "$work/$side/inlay-agent.jar"
  (
    AGENT_JAR="$work/$side/inlay-agent.jar" CLI_JAR="$(cli_jar "$root")" JAVA="$jdk17/bin/java"
    source "$root/bench/lib/common.sh"
    bake_policy_layer enforce "$work/policy.yaml" "$work/$side/enforce"
    bake_learn_layer "$work/$side/learn"
  )
  echo "$side: $root at $(git -C "$root" rev-parse --short HEAD), agent $(sha256sum "$work/$side/inlay-agent.jar" | cut -c1-12)"
done

# The option each checkout's wrap writes for a class-path launch (the program's): -agentlib:instrument= since
# dev.inlay.model.AgentFlag, -javaagent: before it.
wrap_option() { if [ -f "$1/model/src/main/java/dev/inlay/model/AgentFlag.java" ]; then echo "-agentlib:instrument="; else echo "-javaagent:"; fi; }
old_option=$(wrap_option "$old") new_option=$(wrap_option "$new")
echo "wrapped layouts loaded with: old $old_option, new $new_option"
# The jar-alone rows: -javaagent as a person writes it by hand (JAR_ALONE=javaagent, the default), or each side's wrap
# option (JAR_ALONE=wrap: an image wrapped with --no-baseline, or whose JDK the wrap did not see, loads it so).
case "${JAR_ALONE:-javaagent}" in
  javaagent) old_alone=-javaagent: new_alone=-javaagent: ;;
  wrap) old_alone=$old_option new_alone=$new_option ;;
  *) echo "JAR_ALONE=$JAR_ALONE: javaagent or wrap" >&2; exit 2 ;;
esac

configs=(none empty old-learn new-learn old-enforce new-enforce old-learn-asm new-learn-asm old-enforce-yaml
  new-enforce-yaml)
options() { # config -> JVM options, one per line
  case "$1" in
    none) ;;
    empty) echo "-javaagent:$work/empty-agent.jar" ;;
    old-learn-asm) echo "${old_alone}$work/old/inlay-agent.jar=mode=learn" ;;
    new-learn-asm) echo "${new_alone}$work/new/inlay-agent.jar=mode=learn" ;;
    old-enforce-yaml) echo "${old_alone}$work/old/inlay-agent.jar=mode=enforce,policy=$work/policy.yaml" ;;
    new-enforce-yaml) echo "${new_alone}$work/new/inlay-agent.jar=mode=enforce,policy=$work/policy.yaml" ;;
    old-*) echo "$old_option$work/old/${1#*-}/inlay-agent.jar" ;;
    new-*) echo "$new_option$work/new/${1#*-}/inlay-agent.jar" ;;
  esac
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf '%-4s %-17s %11s %14s\n' jdk config to_main_ms added_main_ms
for jdk in "$jdk17" "$jdk25"; do
  [ -x "$jdk/bin/java" ] || { echo "skipping $jdk: not installed" >&2; continue; }
  v=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | awk '/java.specification.version/ {print $3}')
  for c in "${configs[@]}"; do : >"$work/$v-$c"; done
  for ((round = 0; round < runs; round++)); do
    for ((k = 0; k < ${#configs[@]}; k++)); do
      c=${configs[$(((k + round) % ${#configs[@]}))]}
      startup_run "$jdk" "$v" "$c"
      echo "scale=1; ($main - $start) / 1000" | bc >>"$work/$v-$c"
    done
  done
  base=$(median <"$work/$v-none")
  for c in "${configs[@]}"; do
    m=$(median <"$work/$v-$c")
    printf '%-4s %-17s %11s %14s\n' "$v" "$c" "$m" "$(echo "$m - $base" | bc)"
  done
  for mode in learn enforce learn-asm enforce-yaml; do
    d=$(paste "$work/$v-old-$mode" "$work/$v-new-$mode" | awk '{print $2 - $1}' | median)
    ao=$(echo "$(median <"$work/$v-old-$mode") - $base" | bc) an=$(echo "$(median <"$work/$v-new-$mode") - $base" | bc)
    printf '%-4s %-17s paired median new-old %6s ms; added old %s, new %s ms; new/old %s\n' "$v" "$mode" "$d" \
      "$ao" "$an" "$(awk -v a="$an" -v b="$ao" 'BEGIN {printf (b > 0 ? "%.2f" : "n/a"), a / b}')"
  done
  echo "load average after JDK $v: $(cut -d' ' -f1-3 /proc/loadavg)"
done
echo "runs: $runs per configuration, interleaved; priority: ${STARTUP_PRIORITY:-normal}"
