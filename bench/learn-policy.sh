#!/usr/bin/env bash
# Learns the policy that bench/http.sh enforces: runs APP in inlay learn mode under the same wrk load, captures the
# event stream (stdout), merges the profile documents in it and generates an enforce-mode policy from them.
#   bench/learn-policy.sh [-d SECONDS] [-C CONNECTIONS] [-t THREADS] APP...
#   -> bench/target/work/policies/APP.yaml (and APP.profile.json, the merged profile)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

duration=45 threads=1
while getopts "d:C:t:h" opt; do
  case "$opt" in
    d) duration="$OPTARG" ;;
    C) export BENCH_CONNECTIONS="$OPTARG" ;;
    t) threads="$OPTARG" ;;
    *) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[[ $# -gt 0 ]] || set -- "${ALL_APPS[@]}"
inlay="$ROOT/bin/inlay"
mkdir -p "$WORK/policies" "$WORK/logs"
trap bench_cleanup EXIT

for app in "$@"; do
  require_app_jar "$app"
  require_config learn "$app"
done
if [[ " $* " == *" docservice "* ]]; then start_upstream; fi

for app in "$@"; do
  seed "$app"
  restore_data "$app"
  logfile="$WORK/logs/learn-$app.log"
  start_app "$app" learn "$logfile"
  wait_ready "$(ready_url "$app")" "$APP_PID" 180 >/dev/null || die "$app did not start in learn mode: $(tail -20 "$logfile.err")"
  wrk -t"$threads" -c"$(wrk_connections "$app")" -d"${duration}s" -s "$(wrk_script "$app")" "http://127.0.0.1:$(port_of "$app")" \
    >"$logfile.wrk" 2>&1 || die "wrk failed: $(cat "$logfile.wrk")"
  stop_app
  grep -q '"inlay":"profile"' "$logfile" || die "no profile document on the learn-mode event stream ($logfile)"
  profile="$WORK/policies/$app.profile.json"
  "$inlay" profile merge -o "$profile" "$logfile"
  "$inlay" policy generate --name "bench-$app" --mode enforce -o "$(policy_file "$app")" "$profile"
  log "$app: $(grep -c '"inlay":"profile"' "$logfile") profile documents -> $(policy_file "$app")"
done
