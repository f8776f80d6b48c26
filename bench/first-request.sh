#!/usr/bin/env bash
# Startup: time from launching the JVM to its first served request, per configuration, in interleaved rounds.
# The clock starts just before the java command is spawned and stops when a curl poll (every 5 ms) of the
# application's health URL first gets a 2xx answer; both are nanosecond clocks (date +%s%N).
#   bench/first-request.sh [-a "docservice springapp"] [-c "none learn monitor enforce jsm datadog"] [-n RUNS]
#                          [-o RESULTS.tsv]
# Defaults: both applications, all configurations, 11 runs each. Prints the table (bench/report.py startup).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

apps="${ALL_APPS[*]}"
configs="${ALL_CONFIGS[*]}"
runs=11 results=""
while getopts "a:c:n:o:h" opt; do
  case "$opt" in
    a) apps="$OPTARG" ;;
    c) configs="$OPTARG" ;;
    n) runs="$OPTARG" ;;
    o) results="$OPTARG" ;;
    *) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
bench_prepare startup

{
  machine_line
  printf 'app\tconfig\tround\tstartup_ms\tload1\n'
} >>"$results"

for ((round = 1; round <= runs; round++)); do
  for app in "${app_list[@]}"; do
    n=${#config_list[@]}
    for ((k = 0; k < n; k++)); do
      config="${config_list[$(((k + round - 1) % n))]}"
      restore_data "$app"
      logfile="$WORK/logs/startup-$app-$config.log"
      t0="$(now_ns)"
      start_app "$app" "$config" "$logfile"
      if t1="$(wait_ready "$(ready_url "$app")" "$APP_PID" 180)"; then
        ms="$(((t1 - t0) / 1000000))"
        printf '%s\t%s\t%s\t%s\t%s\n' "$app" "$config" "$round" "$ms" "$(cut -d' ' -f1 /proc/loadavg)" >>"$results"
        log "$app $config run $round: ${ms} ms"
      else
        log "$app $config run $round did not start: $(tail -5 "$logfile.err")"
      fi
      stop_app
    done
  done
done

log "results in $results"
python3 "$BENCH_DIR/report.py" startup "$results"
