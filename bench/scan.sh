#!/usr/bin/env bash
# inlay scan against an OSV database the size of OSV's Maven + Debian ones (issue 21 target: <= 2 s for an inventory of
# 500 components). Generates the database once (bench/lib/gen_osv.py: synthetic, schema-valid, deterministic; default
# 20,000 Maven + 300,000 Debian records), serves it on 127.0.0.1 and fetches it with `inlay db fetch` (which indexes
# it), then times `inlay scan` of a 500-component SBOM RUNS times (default 3), whole process (JVM start included).
#   bench/scan.sh [MAVEN_RECORDS DEBIAN_RECORDS COMPONENTS]       needs cli/target/inlay.jar (mvn package)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
maven=${1:-20000} debian=${2:-300000} components=${3:-500}
data="$WORK/scan/osv-$maven-$debian-$components"
[[ -f "$CLI_JAR" ]] || die "no $CLI_JAR: build it first (mvn -q -DskipTests package)"
if [[ ! -f "$data/sbom.cdx.json" ]]; then
  log "generating $data"
  python3 "$BENCH_DIR/lib/gen_osv.py" "$data" "$maven" "$debian" "$components"
fi
log "database: $(du -sh "$data/Maven/all.zip" | cut -f1) Maven zip, $(du -sh "$data/Debian/all.zip" | cut -f1) Debian zip"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$data" >/dev/null 2>&1 &
BENCH_PIDS+=($!)
trap bench_cleanup EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done
db="$WORK/scan/db"
rm -rf "$db"
echo "load before: $(uptime)"
start=$(date +%s.%N)
"$JAVA" -jar "$CLI_JAR" db fetch --ecosystem Maven Debian --into "$db" --url "http://127.0.0.1:$port"
echo "db fetch (download + index): $(echo "$(date +%s.%N) - $start" | bc) s"
for ((i = 1; i <= ${RUNS:-3}; i++)); do
  start=$(date +%s.%N)
  set +e
  "$JAVA" -jar "$CLI_JAR" scan "$data/sbom.cdx.json" --db "$db" --json -o "$WORK/scan/result.json" 2>"$WORK/scan/stderr"
  code=$?
  set -e
  [[ $code == 0 || $code == 1 ]] || { cat "$WORK/scan/stderr" >&2; die "scan failed: exit $code"; }
  echo "scan $i: $(echo "$(date +%s.%N) - $start" | bc) s ($(head -1 "$WORK/scan/stderr"))"
done
rm "$db"/*/all.zip.inlay-index
start=$(date +%s.%N)
"$JAVA" -jar "$CLI_JAR" scan "$data/sbom.cdx.json" --db "$db" --json -o "$WORK/scan/result.json" 2>/dev/null || true
echo "scan without the kept index (indexes the zips first): $(echo "$(date +%s.%N) - $start" | bc) s"
echo "load after: $(uptime)"
