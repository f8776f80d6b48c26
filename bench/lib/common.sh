# Shared by the bench/ scripts: where things are, how each configuration starts a JVM, and how a run is observed.
# Sourced, never run. Everything a script starts is recorded in BENCH_PIDS and stopped by bench_cleanup.

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
JAVA="${JAVA:-java}"
AGENT_BUILD_JAR="${AGENT_BUILD_JAR:-$ROOT/runtime-layer/target/inlay-agent.jar}"
DOCSERVICE_JAR="${DOCSERVICE_JAR:-$ROOT/examples/target/docservice.jar}"
SPRINGAPP_JAR="${SPRINGAPP_JAR:-$BENCH_DIR/springapp/target/springapp.jar}"
CLI_JAR="${CLI_JAR:-$ROOT/cli/target/inlay.jar}"
MODEL_JAR="${MODEL_JAR:-$(ls "$ROOT"/model/target/inlay-model-*.jar 2>/dev/null | grep -v -- '-sources' | head -n 1)}"
DD_AGENT_VERSION="${DD_AGENT_VERSION:-1.40.0}"
DD_AGENT_JAR="${DD_AGENT_JAR:-$BENCH_DIR/target/peers/dd-java-agent-$DD_AGENT_VERSION.jar}"
# Everything a run writes (data directories, logs, learned profiles, policies, results) lives here.
WORK="${BENCH_WORK:-$BENCH_DIR/target/work}"
# One fixed data directory for every run of an application, restored from a seeded copy before each run, so that the
# policy learned in one run names the same paths as the runs it is enforced in.
DATA_ROOT="${BENCH_DATA_ROOT:-/tmp/inlay-bench-data}"

# The runs use a copy of the agent jar taken once (snapshot_agent), so that a rebuild during a benchmark cannot mix two
# agents in one table or remove the jar under a starting JVM; run-all.sh takes a fresh copy.
AGENT_JAR="${AGENT_JAR:-$WORK/agent/inlay-agent.jar}"

ALL_CONFIGS=(none learn monitor enforce jsm datadog)
ALL_APPS=(docservice springapp)

BENCH_PIDS=()

INLAY_SCRIPT=bench
source "$ROOT/scripts/lib.sh" # log, die, median, pm

now_ns() { date +%s%N; }

# bench_prepare KIND: from $apps and $configs (space-separated) sets app_list and config_list, checks that every app
# and configuration asked for can run, starts the upstream the docservice calls, seeds each app's data directory and
# sets results (default $WORK/results/KIND-<UTC time>.tsv). Everything started is stopped on exit.
bench_prepare() {
  read -r -a app_list <<<"$apps"
  read -r -a config_list <<<"$configs"
  mkdir -p "$WORK/results" "$WORK/logs"
  results="${results:-$WORK/results/$1-$(date -u +%Y%m%dT%H%M%SZ).tsv}"
  trap bench_cleanup EXIT
  local app config
  for app in "${app_list[@]}"; do
    require_app_jar "$app"
    for config in "${config_list[@]}"; do require_config "$config" "$app"; done
  done
  if [[ " ${app_list[*]} " == *" docservice "* ]]; then start_upstream; fi
  for app in "${app_list[@]}"; do seed "$app"; done
}

bench_cleanup() {
  local pid
  for pid in "${BENCH_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${BENCH_PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  BENCH_PIDS=()
}

port_of() {
  case "$1" in
    docservice) echo "${DOCSERVICE_PORT:-18480}" ;;
    springapp) echo "${SPRINGAPP_PORT:-18490}" ;;
    *) die "unknown application $1" ;;
  esac
}
UPSTREAM_PORT="${UPSTREAM_PORT:-18481}"
UPSTREAM_METADATA_PORT="${UPSTREAM_METADATA_PORT:-18482}"

# The URL that answers once the application serves requests.
ready_url() {
  case "$1" in
    docservice) echo "http://127.0.0.1:$(port_of docservice)/health" ;;
    springapp) echo "http://127.0.0.1:$(port_of springapp)/health" ;;
  esac
}

data_dir() { echo "$DATA_ROOT/$1"; }

require_file() {
  [[ -f "$1" ]] || die "$1 is missing: $2"
}

require_app_jar() {
  case "$1" in
    docservice) require_file "$DOCSERVICE_JAR" "build it: (cd $ROOT && mvn -q -DskipTests package)" ;;
    springapp) require_file "$SPRINGAPP_JAR" "build it: mvn -q -f $BENCH_DIR/springapp/pom.xml package" ;;
  esac
}

# snapshot_agent [--refresh]: copies the built agent jar to AGENT_JAR (when missing, or always with --refresh).
snapshot_agent() {
  [[ "${1:-}" != --refresh && -f "$AGENT_JAR" ]] && return 0
  mkdir -p "$(dirname "$AGENT_JAR")"
  local attempt
  # A build running in the same tree replaces the jar for a few seconds; wait for a complete one.
  for ((attempt = 0; attempt < 60; attempt++)); do
    if [[ -f "$AGENT_BUILD_JAR" ]] && cp "$AGENT_BUILD_JAR" "$AGENT_JAR.tmp" 2>/dev/null \
      && unzip -tqq "$AGENT_JAR.tmp" >/dev/null 2>&1; then
      mv "$AGENT_JAR.tmp" "$AGENT_JAR"
      log "agent snapshot $(sha256sum "$AGENT_JAR" | cut -c1-12) from $AGENT_BUILD_JAR"
      return 0
    fi
    sleep 2
  done
  die "$AGENT_BUILD_JAR is missing or incomplete; build it: (cd $ROOT && mvn -q -DskipTests package)"
}

require_config() {
  case "$1" in
    none) ;;
    learn)
      snapshot_agent
      bake_learn_layer "$(layer_dir learn "$2")" ;;
    monitor | enforce)
      snapshot_agent
      require_file "$(policy_file "$2")" "learn it first: bench/learn-policy.sh $2"
      bake_layer "$1" "$2" ;;
    learn-cds | enforce-cds)
      require_config "${1%-cds}" "$2"
      bake_startup_archive "$(layer_dir "${1%-cds}" "$2")" ;;
    jsm) require_file "$(jsm_policy_file "$2")" "it ships with bench/" ;;
    datadog) require_file "$DD_AGENT_JAR" "fetch it: bench/fetch-peers.sh" ;;
    *) die "unknown configuration $1 (known: ${ALL_CONFIGS[*]}, and on JDK 23+ learn-cds, enforce-cds)" ;;
  esac
}

policy_file() { echo "$WORK/policies/$1.yaml"; }
layer_dir() { echo "$WORK/layers/$2-$1"; }

# What inlay wrap puts under /opt/inlay for mode $1 with app $2's policy: the agent, the JDK classes it hooks computed
# ahead of time, the policy and inlay.properties pinning it and holding it compiled, so that monitor and enforce start
# the way a wrapped image does.
bake_layer() {
  local mode="$1" app="$2" dir
  dir="$(layer_dir "$mode" "$app")"
  bake_policy_layer "$mode" "$(policy_file "$app")" "$dir"
}

# bake_policy_layer MODE POLICY.yaml DIR: the layer for any policy file (bench/startup.sh uses it too).
bake_policy_layer() {
  local mode="$1" policy="$2" dir="$3"
  require_file "$CLI_JAR" "build it: (cd $ROOT && mvn -q -o package -DskipTests)"
  bake_learn_layer "$dir"
  cp "$policy" "$dir/policy.yaml"
  printf 'mode=%s\npolicy=%s\npolicyDigest=sha256:%s\ncompiledPolicy=%s\n' \
    "$mode" "$dir/policy.yaml" "$(sha256sum "$dir/policy.yaml" | cut -d' ' -f1)" \
    "$("$JAVA" -cp "$CLI_JAR" "$BENCH_DIR/lib/CompilePolicy.java" "$dir/policy.yaml")" >"$dir/inlay.properties"
}
# bake_startup_archive DIR: what inlay wrap --startup-archive adds next to the agent in DIR, made with $JAVA (JDK 23+).
bake_startup_archive() {
  local dir="$1"
  require_file "$CLI_JAR" "build it: (cd $ROOT && mvn -q -o package -DskipTests)"
  "$JAVA" -cp "$CLI_JAR" "$BENCH_DIR/lib/MakeStartupArchive.java" "$(readlink -f "$(command -v "$JAVA")")" \
    "$dir/inlay-agent.jar" "$dir/startup.jsa" "$(wrap_agent_flag)" \
    || die "no startup archive with $JAVA (it needs JDK 23 or later)"
}
# agentlib or javaagent: the AgentFlag of $WRAP_AGENT_OPTION, which a startup archive must be made for.
wrap_agent_flag() { if [[ $WRAP_AGENT_OPTION == -javaagent:* ]]; then echo javaagent; else echo agentlib; fi; }
jsm_policy_file() { echo "$BENCH_DIR/security/$1.policy"; }

# bake_learn_layer DIR: what inlay wrap --mode learn puts under /opt/inlay: the agent, hooked-classes.bin computed
# from the JDKs the benchmarks run (BENCH_JDK_HOMES: the home of $JAVA and JDK 25 when present) and inlay.properties.
bake_learn_layer() {
  local dir="$1" homes
  mkdir -p "$dir"
  cp "$AGENT_JAR" "$dir/inlay-agent.jar"
  homes="${BENCH_JDK_HOMES:-$(dirname "$(dirname "$(readlink -f "$(command -v "$JAVA")")")") $([ -d /usr/lib/jvm/temurin-25-jdk-amd64 ] && echo /usr/lib/jvm/temurin-25-jdk-amd64)}"
  # shellcheck disable=SC2086 # one argument per home
  "$JAVA" -cp "$MODEL_JAR" "$BENCH_DIR/lib/PrecomputeHooks.java" "$dir/inlay-agent.jar" "$dir/hooked-classes.bin" $homes
  printf 'mode=learn\n' >"$dir/inlay.properties"
}

# The option inlay wrap writes (into JDK_JAVA_OPTIONS) for a class-path or -jar launch, as the benchmark apps have
# (dev.inlay.model.AgentFlag, docs/WRAPPING.md "How the agent is loaded"); -javaagent: for a launch with modules.
WRAP_AGENT_OPTION=${WRAP_AGENT_OPTION:--agentlib:instrument=}

# JVM options that turn an application's plain JVM into configuration $1. One line per option.
config_jvm_options() {
  local config="$1" app="$2"
  case "$config" in
    none) ;;
    learn | monitor | enforce) echo "$WRAP_AGENT_OPTION$(layer_dir "$config" "$app")/inlay-agent.jar" ;;
    learn-cds | enforce-cds)
      echo "$WRAP_AGENT_OPTION$(layer_dir "${config%-cds}" "$app")/inlay-agent.jar"
      echo "-XX:SharedArchiveFile=$(layer_dir "${config%-cds}" "$app")/startup.jsa" ;;
    jsm)
      # JDK 17 deprecates the SecurityManager and warns on stderr; "allow" is not needed when it is set at startup.
      echo "-Djava.security.manager"
      echo "-Djava.security.policy==$(jsm_policy_file "$app")"
      echo "-Dbench.data=$(data_dir "$app")"
      echo "-Dbench.jar=$(app_jar "$app")"
      echo "-Dbench.port=$(port_of "$app")"
      echo "-Dbench.upstream.port=$UPSTREAM_PORT"
      ;;
    datadog)
      # AppSec needs the tracer; with no Datadog agent the traces go to a closed port (discard, 9) and are dropped.
      # Remote configuration, telemetry and profiling would only add retries against the same closed port.
      echo "-javaagent:$DD_AGENT_JAR"
      echo "-Ddd.appsec.enabled=true"
      echo "-Ddd.trace.agent.url=http://127.0.0.1:9/"
      echo "-Ddd.remote_config.enabled=false"
      echo "-Ddd.telemetry.enabled=false"
      echo "-Ddd.profiling.enabled=false"
      echo "-Ddd.service=inlay-bench-$app"
      echo "-Ddd.trace.startup.logs=false"
      ;;
  esac
}

app_jar() {
  case "$1" in
    docservice) echo "$DOCSERVICE_JAR" ;;
    springapp) echo "$SPRINGAPP_JAR" ;;
  esac
}

# The heap is fixed so that heap and RSS figures compare like with like across configurations.
BENCH_HEAP="${BENCH_HEAP:-512m}"

# start_app APP CONFIG LOG: starts the application's JVM in the background; sets APP_PID. Its stdout (the inlay event
# stream) goes to LOG, its stderr to LOG.err.
start_app() {
  local app="$1" config="$2" logfile="$3"
  local -a options=()
  mapfile -t options < <(config_jvm_options "$config" "$app")
  local -a env_vars=(PORT="$(port_of "$app")" DATA_DIR="$(data_dir "$app")")
  if [[ "$app" == docservice ]]; then
    env_vars+=(UPSTREAM_URL="http://127.0.0.1:$UPSTREAM_PORT" SHA256SUM="$(command -v sha256sum)")
  fi
  env "${env_vars[@]}" "$JAVA" -Xms"$BENCH_HEAP" -Xmx"$BENCH_HEAP" "${options[@]}" -jar "$(app_jar "$app")" \
    >"$logfile" 2>"$logfile.err" &
  APP_PID=$!
  BENCH_PIDS+=("$APP_PID")
}

# stop_app: SIGTERM (so that learn mode writes its final profile snapshot), then waits up to 30 s.
stop_app() {
  local pid="$APP_PID" i
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local -a rest=()
  for p in "${BENCH_PIDS[@]}"; do [[ "$p" == "$pid" ]] || rest+=("$p"); done
  BENCH_PIDS=("${rest[@]}")
}

# wait_ready URL PID TIMEOUT_S: polls URL with curl until it answers 2xx; prints the nanosecond clock at that moment.
# Fails when the process dies or the timeout passes.
wait_ready() {
  local url="$1" pid="$2" deadline=$(($(date +%s) + $3))
  while (($(date +%s) < deadline)); do
    if curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null; then
      now_ns
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.005
  done
  return 1
}

# Resident set size of PID in KiB (VmRSS).
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
# cpu_ticks PID: user + system time of every thread of the process so far, in clock ticks (proc(5) stat fields 14, 15;
# the command name in field 2 may hold spaces, so fields are counted after its closing parenthesis).
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }

# Java heap used by PID in KiB: the "used" figure of the heap totals in `jcmd PID GC.heap_info` (G1: "garbage-first
# heap total T, used U"). jcmd attaches through the attach API; this does not trigger a GC, so garbage counts.
heap_used_kib() {
  "${JCMD:-jcmd}" "$1" GC.heap_info 2>/dev/null | awk '/ heap .*total/ {
      for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); print v; exit } }'
}

# Live heap of PID in KiB: heap used right after a full collection (`jcmd PID GC.run`), what the objects the process
# keeps (an agent's tables and caches among them) occupy.
heap_live_kib() {
  "${JCMD:-jcmd}" "$1" GC.run >/dev/null 2>&1 || return 0
  heap_used_kib "$1"
}

# Starts the docservice's upstream (classification service), which the docservice needs to store documents.
start_upstream() {
  API_PORT="$UPSTREAM_PORT" METADATA_PORT="$UPSTREAM_METADATA_PORT" "$JAVA" -cp "$DOCSERVICE_JAR" \
    dev.inlay.examples.upstream.Upstream >"$WORK/upstream.log" 2>&1 &
  UPSTREAM_PID=$!
  BENCH_PIDS+=("$UPSTREAM_PID")
  local i
  for ((i = 0; i < 200; i++)); do
    curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$UPSTREAM_PORT/public/welcome.html" 2>/dev/null && return 0
    sleep 0.1
  done
  die "upstream did not start: $(tail -5 "$WORK/upstream.log")"
}

# The seeded data directory of APP, built once (without any agent) and copied before every run.
seed_dir() { echo "$WORK/seed/$1"; }

# restore_data APP: the application's data directory becomes a fresh copy of the seed.
restore_data() {
  local dir
  dir="$(data_dir "$1")"
  rm -rf "$dir"
  mkdir -p "$(dirname "$dir")"
  cp -a "$(seed_dir "$1")" "$dir"
}

# seed APP: stores the documents (docservice) or lets the application create its catalogue (springapp), once.
seed() {
  local app="$1" seeded
  seeded="$(seed_dir "$app")"
  [[ -f "$seeded/.seeded" ]] && return 0
  rm -rf "$(data_dir "$app")"
  mkdir -p "$(data_dir "$app")"
  start_app "$app" none "$WORK/seed-$app.log"
  wait_ready "$(ready_url "$app")" "$APP_PID" 120 >/dev/null || die "$app did not start: $(tail -5 "$WORK/seed-$app.log.err")"
  if [[ "$app" == docservice ]]; then
    local base="http://127.0.0.1:$(port_of docservice)" i
    for ((i = 1; i <= 20; i++)); do
      curl -fsS -o /dev/null -X PUT --data-binary "Invoice $i: payment due in $((i * 3)) days. $(printf 'line %d of the scanned letter. ' $(seq 1 40))" \
        "$base/docs?name=bench-$i.txt&title=Invoice%20$i" || die "seeding the docservice failed"
    done
  else
    # The catalogue is written by a startup runner that may still be going when /health first answers.
    local i
    for ((i = 0; i < 600; i++)); do
      curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$(port_of springapp)/products/200" 2>/dev/null && break
      sleep 0.1
    done
    ((i < 600)) || die "the springapp catalogue was not seeded"
  fi
  stop_app
  mkdir -p "$(dirname "$seeded")"
  rm -rf "$seeded"
  cp -a "$(data_dir "$app")" "$seeded"
  touch "$seeded/.seeded"
}

# wrk connections for APP. The JDK HTTP server behind the docservice answers a keep-alive connection's next request
# only ~44 ms after the previous one (the same with -Dsun.net.httpserver.nodelay=true), so throughput is about
# connections / 44 ms: 64 connections give 4x the load of 16 (docs/BENCHMARKS.md). BENCH_CONNECTIONS overrides both.
wrk_connections() {
  if [[ -n "${BENCH_CONNECTIONS:-}" ]]; then echo "$BENCH_CONNECTIONS"; return; fi
  case "$1" in
    docservice) echo 64 ;;
    *) echo 16 ;;
  esac
}

# The wrk load of APP: a Lua script mixing the application's read endpoints (bench/wrk/APP.lua).
wrk_script() { echo "$BENCH_DIR/wrk/$1.lua"; }

# A short description of the machine and its load, for the result files.
machine_line() {
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg)" \
    "java=$("$JAVA" -version 2>&1 | head -1 | tr -d '"')" \
    "agent=$( [[ -f "$AGENT_JAR" ]] && sha256sum "$AGENT_JAR" | cut -c1-12 || echo none)"
}
