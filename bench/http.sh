#!/usr/bin/env bash
# Throughput, latency, startup and memory of HTTP applications under wrk, one configuration after the other in
# interleaved rounds (round 1: A B C ..., round 2: B C ... A, ...), so that drift on a shared machine hits every
# configuration alike. Each run is a fresh JVM on a fresh copy of the seeded data:
#   start -> first served request (startup) -> settle -> idle RSS and live heap (after a full GC) -> warm-up load
#   -> measured load (RSS sampled half-way; heap used at the end, then live heap after a full GC) -> SIGTERM.
#
#   bench/http.sh [-a "docservice springapp"] [-c "none learn monitor enforce jsm datadog"] [-r ROUNDS]
#                 [-d SECONDS] [-w WARMUP_SECONDS] [-C CONNECTIONS] [-t THREADS] [-o RESULTS.tsv]
#
# Defaults: both applications, all six configurations, 5 rounds, 30 s measured after 15 s warm-up, 1 wrk thread with
# 64 connections (docservice) or 16 (springapp); -C sets both (lib/common.sh wrk_connections says why).
# monitor and enforce need the learned policy: bench/learn-policy.sh APP (run-all.sh does it).
# Writes one line per run to RESULTS.tsv (default bench/target/work/results/http-TIME.tsv) and prints the tables
# (bench/report.py). Duration: rounds x apps x configs x (startup ~5-15 s + settle + warm-up + measured).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

apps="${ALL_APPS[*]}"
configs="${ALL_CONFIGS[*]}"
rounds=5 duration=30 warmup=15 threads=1 settle=3
results=""
while getopts "a:c:r:d:w:C:t:o:s:h" opt; do
  # -s SECONDS: pause between the first served request and the idle memory sample (default 3)
  case "$opt" in
    a) apps="$OPTARG" ;;
    c) configs="$OPTARG" ;;
    r) rounds="$OPTARG" ;;
    d) duration="$OPTARG" ;;
    w) warmup="$OPTARG" ;;
    C) export BENCH_CONNECTIONS="$OPTARG" ;;
    t) threads="$OPTARG" ;;
    o) results="$OPTARG" ;;
    s) settle="$OPTARG" ;;
    *) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || die "wrk is missing (apt-get install wrk)"
bench_prepare http

{
  machine_line
  echo "# wrk -t$threads -c$(wrk_connections docservice)/$(wrk_connections springapp) (docservice/springapp) -d${duration}s after ${warmup}s warm-up; heap $BENCH_HEAP; settle ${settle}s"
  printf 'app\tconfig\tround\trps\tp50_ms\tp90_ms\tp99_ms\tp999_ms\terrors\tstartup_ms\trss_idle_kib\theap_idle_kib\trss_load_kib\theap_load_kib\theap_live_load_kib\tdenials\tload1\tcpu_us_per_req\n'
} >>"$results"

# Decisions the agent denied during a run (enforce) or would have denied (monitor): any such line means the learned
# policy did not cover the load, and the run measured something else than the allowed path.
count_denials() {
  grep -c '"inlay":"event".*"action":"\(deny\|kill\|alert\)"' "$1" 2>/dev/null || true
}

run_once() {
  local app="$1" config="$2" round="$3"
  local logfile="$WORK/logs/http-$app-$config-$round.log" url base t0 t1
  restore_data "$app"
  base="http://127.0.0.1:$(port_of "$app")"
  url="$(ready_url "$app")"
  t0="$(now_ns)"
  start_app "$app" "$config" "$logfile"
  if ! t1="$(wait_ready "$url" "$APP_PID" 180)"; then
    log "$app/$config did not start; last lines of $logfile.err:"
    tail -n 20 "$logfile.err" >&2
    stop_app
    return 1
  fi
  local startup_ms=$(((t1 - t0) / 1000000))
  sleep "$settle"
  local rss_idle heap_idle
  rss_idle="$(rss_kib "$APP_PID")"
  heap_idle="$(heap_live_kib "$APP_PID")"
  wrk -t"$threads" -c"$(wrk_connections "$app")" -d"${warmup}s" -s "$(wrk_script "$app")" "$base" >"$logfile.warmup" 2>&1 || true
  local cpu_before
  cpu_before="$(cpu_ticks "$APP_PID")"
  wrk -t"$threads" -c"$(wrk_connections "$app")" -d"${duration}s" --timeout 10s -s "$(wrk_script "$app")" "$base" \
    >"$logfile.wrk" 2>&1 &
  local wrk_pid=$!
  BENCH_PIDS+=("$wrk_pid")
  sleep "$(awk -v d="$duration" 'BEGIN { print d / 2 }')"
  local rss_load load1
  rss_load="$(rss_kib "$APP_PID")"
  load1="$(cut -d' ' -f1 /proc/loadavg)"
  wait "$wrk_pid" || true
  local cpu_after
  cpu_after="$(cpu_ticks "$APP_PID")"
  local heap_load heap_live_load
  heap_load="$(heap_used_kib "$APP_PID")"
  heap_live_load="$(heap_live_kib "$APP_PID")"
  stop_app
  local result
  result="$(grep '^WRK_RESULT' "$logfile.wrk" || true)"
  if [[ -z "$result" ]]; then
    log "$app/$config round $round: wrk printed no result:"
    cat "$logfile.wrk" >&2
    return 1
  fi
  local _ requests seconds errors rps p50 p90 p99 p999
  read -r _ requests seconds errors rps p50 p90 p99 p999 <<<"$result"
  local denials
  denials="$(count_denials "$logfile")"
  # The application's CPU time (user + system, all threads) over the measured load, per request: resolves a few
  # percent where throughput on shared cores swings by tens.
  local cpu_us_per_req
  cpu_us_per_req="$(awk -v a="$cpu_before" -v b="$cpu_after" -v n="$requests" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { if (n > 0) printf "%.1f", (b - a) / hz * 1e6 / n; else print "NA" }')"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$app" "$config" "$round" "$rps" \
    "$p50" "$p90" "$p99" "$p999" "$errors" "$startup_ms" "$rss_idle" "${heap_idle:-NA}" "$rss_load" "${heap_load:-NA}" \
    "${heap_live_load:-NA}" "$denials" "$load1" "$cpu_us_per_req" >>"$results"
  log "$app $config round $round: $rps req/s cpu ${cpu_us_per_req} us/req p99 ${p99} ms errors $errors startup ${startup_ms} ms rss ${rss_idle}/${rss_load} KiB denials $denials load $load1"
}

for ((round = 1; round <= rounds; round++)); do
  for app in "${app_list[@]}"; do
    # Rotate the order every round so that no configuration always runs first (cold disk cache) or last.
    n=${#config_list[@]}
    for ((k = 0; k < n; k++)); do
      config="${config_list[$(((k + round - 1) % n))]}"
      run_once "$app" "$config" "$round" || log "$app $config round $round failed; continuing"
    done
  done
done

log "results in $results"
python3 "$BENCH_DIR/report.py" http "$results"
