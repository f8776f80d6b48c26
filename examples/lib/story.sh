# The end-to-end story, as functions shared by examples/demo.sh (shows it) and examples/e2e-test.sh (asserts it).
# Sourced, not run. Everything runs on this machine: podman containers on one network, a registry on 127.0.0.1.
#
# Settings (environment):
#   INLAY_DEMO_BASE      fixture base image of the service: jre17 (default) or jre25
#   INLAY_DEMO_PORT      host port of the service (18080)
#   INLAY_DEMO_WORK      where logs, profiles, the policy and results go (examples/target/demo-BASE)
#   INLAY_REGISTRY_ADDR  the local registry (127.0.0.1:5000, started by scripts/fixtures.sh)
#   INLAY_DEMO_WAIT      seconds to wait for the service to answer (120; the agent adds start-up time)
#   INLAY_DEMO_VIA       registry (default): inlay wraps registry to registry;
#                        oci: inlay wraps OCI layouts, skopeo moves them from and to the registry

story_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
story_base="${INLAY_DEMO_BASE:-jre17}"
story_port="${INLAY_DEMO_PORT:-18080}"
story_work="${INLAY_DEMO_WORK:-$story_root/examples/target/demo-$story_base}"
story_registry="${INLAY_REGISTRY_ADDR:-127.0.0.1:5000}"
story_network=inlay-demo
story_repo="$story_registry/docservice"
story_tag_suffix=""
[[ "$story_base" == jre17 ]] || story_tag_suffix="-$story_base"
story_url="http://127.0.0.1:$story_port"
story_attacks=(path-traversal command-injection ssrf deserialization log4shell sql-injection)
story_podman="$story_root/scripts/podman.sh"
story_inlay="$story_root/bin/inlay"

say() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }
note() { echo "   $*" >&2; }
INLAY_SCRIPT=story
source "$story_root/scripts/lib.sh" # log, die, median, pm

# Says exactly what is missing instead of failing halfway.
story_check_tools() {
  local missing=() tool
  for tool in podman runc skopeo umoci debootstrap docker-registry curl jq java mvn; do
    command -v "$tool" >/dev/null 2>&1 || [[ -x "/usr/sbin/$tool" ]] || missing+=("$tool")
  done
  ((${#missing[@]} == 0)) || die "missing tools: ${missing[*]} (Debian: sudo scripts/install-tools.sh)"
  [[ $EUID -eq 0 ]] || die "needs root: the base images are built with debootstrap and containers run as root podman"
  if [[ "${1:-}" != baseline-only ]]; then
    [[ -f "$story_root/cli/target/inlay.jar" ]] ||
      die "cli/target/inlay.jar is missing: build inlay first (mvn -q -DskipTests install)"
  fi
  mkdir -p "$story_work"
}

story_image() { echo "$story_repo:$1$story_tag_suffix"; }

# Builds the example jars (if needed) and the image, and pushes it to the local registry.
story_build_image() {
  say "Build the docservice image from the $story_base fixture and push it to $story_registry"
  if [[ ! -f "$story_root/examples/target/image/app/docservice.jar" || ! -f "$story_root/examples/target/attacker.jar" ]]; then
    (cd "$story_root" && mvn -q -B -ntp -DskipTests package -pl examples)
  fi
  local base
  base="$("$story_root/scripts/fixtures.sh" podman-load "$story_base")"
  "$story_root/scripts/fixtures.sh" registry >/dev/null
  pm build --pull=never -q --build-arg "BASE=$base" -t "localhost/docservice:1$story_tag_suffix" \
    -f "$story_root/examples/Containerfile" "$story_root/examples" >/dev/null
  pm push -q --tls-verify=false "localhost/docservice:1$story_tag_suffix" "$(story_image 1)"
  note "pushed $(story_image 1)"
}

# The service's neighbours: the classification service (also answering as "metadata", the SSRF target) and the
# attacker's LDAP server. Neither is wrapped.
story_start_neighbours() {
  say "Start the neighbours: upstream (classification + instance metadata) and the attacker's LDAP server"
  # The containers find each other by name: the network needs podman's DNS (aardvark-dns, or the CNI dnsname plugin).
  # A network created before that was installed has none; it is made again.
  if pm network exists "$story_network" \
    && [[ "$(pm network inspect "$story_network" --format '{{.DNSEnabled}}')" != true ]]; then
    pm network rm -f "$story_network" >/dev/null
  fi
  pm network exists "$story_network" || pm network create "$story_network" >/dev/null
  [[ "$(pm network inspect "$story_network" --format '{{.DNSEnabled}}')" == true ]] \
    || die "podman network $story_network has no DNS: install aardvark-dns and netavark, or the CNI dnsname plugin (scripts/install-tools.sh)"
  story_remove 0 inlay-upstream inlay-attacker
  pm run -d --name inlay-upstream --network "$story_network" --network-alias upstream --network-alias metadata \
    --entrypoint java "localhost/docservice:1$story_tag_suffix" -cp /app/docservice.jar \
    dev.inlay.examples.upstream.Upstream >/dev/null
  pm run -d --name inlay-attacker --network "$story_network" --network-alias attacker \
    -v "$story_root/examples/target/attacker.jar:/attacker.jar:ro" "localhost/inlay-fixture/$story_base:latest" \
    java -jar /attacker.jar 1389 touch '/app/data/docs/{rdn}' >/dev/null
}

story_stop_all() {
  story_remove 5 inlay-docservice inlay-upstream inlay-attacker
}

# story_remove TIMEOUT NAME...: removes each container that exists. One at a time: given several names of which one
# does not exist, podman 4.3 removes none of them and still exits 0 (the neighbours outlived every run).
story_remove() {
  local timeout="$1" name
  shift
  for name in "$@"; do pm rm -f -t "$timeout" "$name" >/dev/null 2>&1 || true; done
}

# story_wrap MODE [POLICY [TAG]]: wraps docservice:1 into docservice:TAG (MODE by default) in the registry.
story_wrap() {
  local mode="$1" policy="${2:-}" tag="${3:-$1}" source target
  if [[ "${INLAY_DEMO_VIA:-registry}" == oci ]]; then
    rm -rf "$story_work/oci-1" "$story_work/oci-$tag"
    skopeo copy -q --src-tls-verify=false "docker://$(story_image 1)" "oci:$story_work/oci-1:1"
    source="oci:$story_work/oci-1:1"
    target="oci:$story_work/oci-$tag:$tag"
  else
    source="$(story_image 1)"
    target="$(story_image "$tag")"
  fi
  local args=("$source" "$target" --mode "$mode")
  [[ -n "$policy" ]] && args+=(--policy "$policy")
  note "bin/inlay wrap ${args[*]}"
  "$story_inlay" wrap "${args[@]}" || die "inlay wrap failed"
  if [[ "${INLAY_DEMO_VIA:-registry}" == oci ]]; then
    skopeo copy -q --dest-tls-verify=false "$target" "docker://$(story_image "$tag")"
  fi
}

# story_run LABEL IMAGE [PODMAN-RUN-FLAGS...]: runs the service from IMAGE (pulled fresh from the registry), waits
# until it answers.
story_run() {
  local label="$1" image="$2"
  shift 2
  pm rm -f -t 0 inlay-docservice >/dev/null 2>&1 || true
  pm pull -q --tls-verify=false "$image" >/dev/null
  # INLAY_IMAGE: the reference the container runs, as inlay deploy sets it (docs/EVENTS.md).
  pm run -d --name inlay-docservice --hostname docservice --network "$story_network" \
    -p "127.0.0.1:$story_port:8080" -e "INLAY_IMAGE=$image" "$@" "$image" >/dev/null
  local deadline=$((SECONDS + ${INLAY_DEMO_WAIT:-120}))
  until curl -fsS -o /dev/null --max-time 2 "$story_url/health" 2>/dev/null; do
    if [[ "$(pm inspect -f '{{.State.Running}}' inlay-docservice 2>/dev/null)" != true ]] || ((SECONDS > deadline)); then
      pm logs inlay-docservice 2>&1 | tail -n 30 >&2
      die "the $label service did not come up ($image)"
    fi
    sleep 0.5
  done
}

# story_stop LABEL: stops the service gracefully (the agent writes its final profile) and keeps its output.
story_stop() {
  local label="$1"
  pm stop -t 30 inlay-docservice >/dev/null 2>&1 || true
  pm logs inlay-docservice >"$story_work/$label.log" 2>"$story_work/$label.stderr.log" || true
  pm rm -f -t 0 inlay-docservice >/dev/null 2>&1 || true
}

story_traffic() {
  local label="$1" kind="$2"
  # When this traffic began, in the events' time format: what was denied before the attacks was benign traffic.
  date -u +%Y-%m-%dT%H:%M:%S.%3NZ >"$story_work/$label-$kind.started"
  # The attacks' exit status is not their outcome; the RESULT lines are.
  # Unique in every run but shaped alike in all of them, as real upload names are.
  LDAP_LOG_COMMAND="$story_podman logs inlay-attacker" RUN_ID="$(date +%s%N | cut -c1-13)" \
    ATTACKER_JAR="$story_root/examples/target/attacker.jar" \
    "$story_root/examples/traffic.sh" "$kind" "$story_url" | tee "$story_work/$label-$kind.txt" | sed 's/^/   /' >&2 || true
}

# A log's inlay JSON lines (whatever precedes the '{' is ignored, as the readers do).
story_json() {
  sed -n 's/^[^{]*{/{/p' "$1" | jq -c -R 'fromjson? | select(type == "object" and has("inlay"))'
}

# The jq condition that an event belongs to an attack.
story_signature() {
  case "$1" in
    path-traversal) echo '.category == "file" and .resource == "/etc/passwd"' ;;
    command-injection) echo '.category == "process" and (.resource | test("/(ba|da)?sh$"))' ;;
    ssrf) echo '(.category == "network" or .category == "dns") and (.resource | test("metadata|:9090"))' ;;
    # The first class outside the policy stops the stream: java.util.HashMap here, before any gadget class.
    deserialization) echo '.category == "deserialization" and .resource != "dev.inlay.examples.docservice.ImportedDocument"' ;;
    log4shell) echo '(.category == "jndi" or .category == "network" or .category == "dns") and (.resource | test("attacker|:1389"))' ;;
    # H2's FILE_WRITE on a document the application writes itself: only a per-component policy tells them apart.
    sql-injection) echo '.category == "file" and (.resource | endswith("/q3-invoice.txt"))' ;;
  esac
}

# story_events LABEL ATTACK: the attack's events in the run's output, one compact line each.
story_events() {
  story_json "$story_work/$1.log" | jq -c "select(.inlay == \"event\") | select($(story_signature "$2"))
    | {action, blocked, rule, category, operation, resource, component}"
}

story_outcome() { # LABEL ATTACK -> SUCCEEDED | BLOCKED | (none)
  awk -v a="$2" '$1 == "RESULT" && $2 == "attack" && $3 == a { print $4 }' "$story_work/$1-attack.txt" 2>/dev/null | tail -n1
}

story_benign_counts() { # LABEL -> "ok/total"
  local f="$story_work/$1-benign.txt"
  [[ -f "$f" ]] || { echo "-"; return; }
  echo "$(grep -c '^RESULT benign .* OK ' "$f" || true)/$(grep -c '^RESULT benign ' "$f" || true)"
}

story_blocked_events() { # LABEL -> number of events that blocked something
  story_json "$story_work/$1.log" | jq -s '[.[] | select(.inlay == "event" and .blocked == true)] | length'
}

# One cell of the summary: what happened to ATTACK in the run LABEL.
story_cell() {
  local label="$1" attack="$2" outcome events
  outcome="$(story_outcome "$label" "$attack")"
  [[ -z "$outcome" ]] && { echo "-"; return; }
  if [[ "$label" == baseline || ! -f "$story_work/$label.log" ]]; then
    [[ "$outcome" == SUCCEEDED ]] && echo "succeeded" || echo "failed?"
    return
  fi
  events="$(story_events "$label" "$attack")"
  if [[ "$outcome" == BLOCKED ]]; then
    if grep -q '"blocked":true' <<<"$events"; then echo "blocked"; else echo "BLOCKED?-no-event"; fi
  elif [[ -n "$events" ]]; then
    echo "succeeded+reported"
  else
    echo "succeeded"
  fi
}

story_summary() {
  say "Summary (${story_base}): attack x mode"
  local labels=("$@") attack label width=22
  for label in "${labels[@]}"; do ((${#label} + 2 > width)) && width=$((${#label} + 2)); done
  {
    printf '%-20s' "attack"
    for label in "${labels[@]}"; do printf "%-${width}s" "$label"; done
    echo
    for attack in "${story_attacks[@]}"; do
      printf '%-20s' "$attack"
      for label in "${labels[@]}"; do printf "%-${width}s" "$(story_cell "$label" "$attack")"; done
      echo
    done
    printf '%-20s' "benign requests ok"
    for label in "${labels[@]}"; do printf "%-${width}s" "$(story_benign_counts "$label")"; done
    echo
  } | tee "$story_work/summary.txt" >&2
}

# Shows, for each attack in a run, the events that name what was blocked or reported and by which rule.
story_show_events() {
  local label="$1" attack
  for attack in "${story_attacks[@]}"; do
    note "$attack:"
    story_events "$label" "$attack" | awk "NR <= 3" | sed 's/^/      /' >&2
  done
}

# The whole story. $1: "baseline-only" stops after proving the exploits against the unwrapped image.
story_run_all() {
  local scope="${1:-full}"
  story_check_tools "$scope"
  trap story_stop_all EXIT
  story_build_image
  story_start_neighbours

  say "1. The unwrapped image: benign traffic works, and every attack succeeds"
  story_run baseline "$(story_image 1)"
  story_traffic baseline benign
  story_traffic baseline attack
  story_stop baseline
  rm -f "$story_work/baseline.log" # no agent: nothing to read from it
  if [[ "$scope" == baseline-only ]]; then
    story_summary baseline
    return
  fi

  say "2. Learn: wrap in learn mode, run, drive benign traffic, collect the profile from the container output"
  story_wrap learn
  story_run learn "$(story_image learn)"
  story_traffic learn benign
  story_stop learn
  note "profile lines in learn.log: $(story_json "$story_work/learn.log" | jq -s '[.[] | select(.inlay == "profile")] | length')"

  say "3. Profile -> policy"
  note "bin/inlay profile merge $story_work/learn.log -o $story_work/profile.json"
  "$story_inlay" profile merge "$story_work/learn.log" -o "$story_work/profile.json" || die "profile merge failed"
  note "bin/inlay policy generate $story_work/profile.json --name docservice -o $story_work/policy.yaml"
  "$story_inlay" policy generate "$story_work/profile.json" --name docservice -o "$story_work/policy.yaml" ||
    die "policy generate failed"
  sed 's/^/   | /' "$story_work/policy.yaml" >&2

  say "3b. The same profile without components: the per-process policy inlay generated before #22"
  # What the generator made before attribution: every component's behaviors as one process's.
  sed 's/,"component":"[^"]*"//g' "$story_work/learn.log" >"$story_work/learn-per-process.log"
  "$story_inlay" profile merge "$story_work/learn-per-process.log" -o "$story_work/profile-per-process.json" ||
    die "profile merge (per process) failed"
  "$story_inlay" policy generate "$story_work/profile-per-process.json" --name docservice \
    -o "$story_work/policy-per-process.yaml" || die "policy generate (per process) failed"
  note "per-component rules: $(grep -c 'components:' "$story_work/policy.yaml" || true), per-process: $(grep -c 'components:' "$story_work/policy-per-process.yaml" || true)"

  say "4. Learn mode never blocks: the attacks against a learning service still succeed"
  story_run learn-attacked "$(story_image learn)"
  story_traffic learn-attacked attack
  story_stop learn-attacked

  say "5. Enforce: wrap with the policy, replay benign traffic, attack"
  story_wrap enforce "$story_work/policy.yaml"
  story_run enforce "$(story_image enforce)"
  story_traffic enforce benign
  story_traffic enforce attack
  story_stop enforce
  story_show_events enforce

  say "5b. Enforce the per-process policy: the SQL injection's FILE_WRITE passes, as the application writes that file"
  story_wrap enforce "$story_work/policy-per-process.yaml" per-process
  story_run per-process "$(story_image per-process)"
  story_traffic per-process benign
  story_traffic per-process attack
  story_stop per-process

  say "6. Monitor: the same policy reports, never blocks"
  story_wrap monitor "$story_work/policy.yaml"
  story_run monitor "$(story_image monitor)"
  story_traffic monitor benign
  story_traffic monitor attack
  story_stop monitor
  story_show_events monitor

  story_summary baseline learn learn-attacked monitor per-process enforce
  note "everything is in $story_work"
}

# The serverless constraints, one podman run each: what Fargate, ACI and Cloud Run impose or allow. The data
# directory is a writable tmpfs, as a task's ephemeral volume or a pod's emptyDir would be.
story_constraints=(
  "arbitrary-uid|--user=54321:54321"
  "read-only-rootfs|--read-only"
  "no-capabilities|--cap-drop=ALL"
  "no-new-privileges|--security-opt=no-new-privileges"
  "small-memory|--memory=192m"
  "all-at-once|--user=54321:54321 --read-only --cap-drop=ALL --security-opt=no-new-privileges --memory=192m"
)

story_constraint_labels=()
for entry in "${story_constraints[@]}"; do story_constraint_labels+=("serverless-${entry%%|*}"); done

# story_serverless: the enforce image, unchanged, under each constraint: benign traffic works, attacks fail and are
# reported on stdout. Needs the enforce image from story_run_all.
story_serverless() {
  local entry label flags
  say "7. Serverless constraints: the same enforce image, no host, no privileges, read-only, small memory"
  for entry in "${story_constraints[@]}"; do
    label="serverless-${entry%%|*}"
    read -r -a flags <<<"${entry#*|}"
    note "podman run ${flags[*]} --tmpfs /app/data:rw,U $(story_image enforce)"
    story_run "$label" "$(story_image enforce)" "${flags[@]}" --tmpfs /app/data:rw,U
    story_traffic "$label" benign
    story_traffic "$label" attack
    story_stop "$label"
  done
}
