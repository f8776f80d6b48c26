#!/usr/bin/env bash
# The demo's story with assertions; exits non-zero on the first broken promise:
#   unwrapped:  every benign request works and every attack succeeds (the exploits are real)
#   learn:      every benign request works, nothing is blocked, attacks still succeed
#   enforce:    every benign request works, every attack fails, and an event names what was blocked and by which rule
#   monitor:    every benign request works, every attack succeeds and is reported, nothing is blocked
#   per-process: the policy generated from the same profile without components lets the SQL injection's FILE_WRITE
#               through (the application writes that document itself); the per-component policy (enforce) blocks it
#               and names H2, and denies nothing of the benign traffic
#
#   examples/e2e-test.sh                  jre17 (Debian OpenJDK 17) base image
#   INLAY_DEMO_BASE=jre25 examples/e2e-test.sh    Temurin 25 base image
#   examples/e2e-test.sh --baseline-only  only the unwrapped assertions
#
# Missing tools fail the test when CI=true and skip it (exit 0, with a message) otherwise.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/story.sh"

scope=full
[[ "${1:-}" == --baseline-only ]] && scope=baseline-only

if ! (story_check_tools "$scope") 2>"$story_work.precheck" ; then
  reason="$(cat "$story_work.precheck")"
  if [[ "${CI:-}" == true ]]; then
    echo "e2e: FAIL: $reason" >&2
    exit 1
  fi
  echo "e2e: SKIPPED: $reason" >&2
  exit 0
fi

failures=0
passes=0
check() { # check DESCRIPTION COMMAND...
  local what="$1"
  shift
  if "$@"; then
    echo "e2e: ok    $what"
    passes=$((passes + 1))
  else
    echo "e2e: FAIL  $what" >&2
    failures=$((failures + 1))
  fi
}

all_benign_ok() {
  local f="$story_work/$1-benign.txt"
  [[ -s "$f" ]] && ! grep -q '^RESULT benign .* FAILED' "$f"
}
outcome_is() { [[ "$(story_outcome "$1" "$2")" == "$3" ]]; }
no_blocked_events() { [[ "$(story_blocked_events "$1")" == 0 ]]; }
event_blocked() { story_events "$1" "$2" | grep -q '"blocked":true'; }
event_reported() {
  story_events "$1" "$2" | jq -e -s 'any(.[]; .blocked == false and (.action == "deny" or .action == "kill" or .action == "alert"))' >/dev/null
}

# Events name the image as deployed (INLAY_IMAGE, as inlay deploy sets it; never the wrap SOURCE, an oci: directory
# with INLAY_DEMO_VIA=oci), what was wrapped (from the layer), the container and the policy, without a network call.
events_carry_identity() {
  story_json "$story_work/$1.log" | jq -e -s --arg image "$(story_image "$1")" '
    (map(tojson | contains("\"oci:")) | any | not) and (map(select(.inlay == "event")) |
    length > 0 and all(.[]; .workload.image == $image and .workload.originalManifestDigest != null
      and .workload.hostname == "docservice" and .severity != null and .message != null and .policy.digest != null))' >/dev/null
}

# The agent in the container hooked every JDK class it found loaded with the bytes inlay wrap computed from the
# image's JDK (no ASM at startup), and found its bridge on the boot class path.
hooks_from_image() {
  story_json "$story_work/$1.log" | jq -e -s 'map(select(.inlay == "status" and .status == "started")) | length == 1
    and all(.[]; .transformed >= 8 and .precomputed == .transformed and .bridge == "boot-class-path")' >/dev/null
}

# What the docservice image carries (docs/SCAN.md): its vulnerable libraries in /app/lib, the JDK
# and the Debian packages; and wrap put the same SBOM into the learn image's layer (its label pins the same digest).
sbom_lists_components() {
  "$story_inlay" sbom "$(story_image 1)" -q --cache-dir "$story_work/layer-cache" -o "$story_work/sbom.cdx.json" &&
  jq -e '[.. | objects | select(has("purl")) | .purl] as $p
    | ($p | index("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1")) != null
    and ($p | index("pkg:maven/commons-collections/commons-collections@3.2.1")) != null
    and any($p[]; startswith("pkg:generic/openjdk@"))
    and ([$p[] | select(startswith("pkg:deb/debian/"))] | length) > 50' "$story_work/sbom.cdx.json" >/dev/null
}
wrapped_sbom_is_the_same() {
  [[ -s "$story_work/sbom.cdx.json" ]] &&
  [[ "$(skopeo inspect --config --tls-verify=false "docker://$(story_image learn)" | jq -r '.config.Labels["dev.inlay.sbom-digest"]')" \
    == "sha256:$(sha256sum <"$story_work/sbom.cdx.json" | cut -d' ' -f1)" ]]
}

# Nothing was blocked in RUN before its attack traffic began: the benign traffic (and start-up) was denied nothing.
# (After it, an attack's side effects are denied too: H2 writing the error of a denied FILE_WRITE to its trace file.)
nothing_blocked_before_attacks() {
  local started
  started="$(cat "$story_work/$1-attack.started")" || return 1
  [[ -n "$started" ]] && [[ -z "$(story_json "$story_work/$1.log" |
    jq -c --arg t "$started" 'select(.inlay == "event" and .blocked == true and .time < $t)')" ]]
}

# The attack's blocked event names the component that asked (H2's jar has no Maven metadata: its path).
event_names_component() { # RUN ATTACK REGEX
  story_events "$1" "$2" | jq -e -s --arg p "$3" 'any(.[]; .blocked == true and (.component // "" | test($p)))' >/dev/null
}

# The profile learned in the container names libraries by the package URLs of the layer's component map.
profile_names_packages() {
  story_json "$story_work/$1.log" | jq -e -s '[.[] | select(.inlay == "profile") | .behaviors[] | .component // empty]
    | (index("pkg:maven/dev.inlay/inlay-examples@0.1.0") != null) and (index("/app/lib/h2-2.3.232.jar") != null)' >/dev/null
}

no_container_left() {
  [[ -z "$(pm ps -aq --filter name=inlay-docservice --filter name=inlay-upstream --filter name=inlay-attacker)" ]]
}

story_run_all "$scope"
[[ "$scope" == full ]] && story_serverless
story_stop_all
check "no container is left behind" no_container_left

check "sbom: the docservice image's libraries, JDK and Debian packages" sbom_lists_components
[[ "$scope" == full ]] && check "sbom: wrap put the same SBOM into the learn image" wrapped_sbom_is_the_same
check "unwrapped: benign traffic works" all_benign_ok baseline
for a in "${story_attacks[@]}"; do check "unwrapped: $a succeeds" outcome_is baseline "$a" SUCCEEDED; done

if [[ "$scope" == full ]]; then
  check "learn: benign traffic works" all_benign_ok learn
  check "learn: profile documents were written" \
    bash -c "[[ \$(grep -c '\"inlay\":\"profile\"' '$story_work/learn.log') -gt 0 ]]"
  check "learn: nothing blocked" no_blocked_events learn
  check "learn: nothing blocked under attack" no_blocked_events learn-attacked
  for a in "${story_attacks[@]}"; do check "learn: $a not blocked" outcome_is learn-attacked "$a" SUCCEEDED; done

  check "enforce: benign traffic works" all_benign_ok enforce
  for a in "${story_attacks[@]}"; do
    check "enforce: $a fails" outcome_is enforce "$a" BLOCKED
    check "enforce: an event names what blocked $a" event_blocked enforce "$a"
  done

  check "enforce: benign traffic was denied nothing" nothing_blocked_before_attacks enforce
  check "learn: behaviors name their component (the layer's map: package URLs; else the jar's path)" \
    profile_names_packages learn
  check "enforce: the SQL injection's event names H2" event_names_component enforce sql-injection '/app/lib/h2-[0-9.]+[.]jar$'


  check "per-process: benign traffic works" all_benign_ok per-process
  check "per-process: the SQL injection succeeds (the application writes that document itself)" \
    outcome_is per-process sql-injection SUCCEEDED
  for a in "${story_attacks[@]}"; do
    [[ "$a" == sql-injection ]] || check "per-process: $a fails" outcome_is per-process "$a" BLOCKED
  done

  check "enforce: events carry the workload identity" events_carry_identity enforce
  check "learn: the JDK was hooked with classes computed at wrap time" hooks_from_image learn
  check "enforce: the JDK was hooked with classes computed at wrap time" hooks_from_image enforce
  check "monitor: benign traffic works" all_benign_ok monitor
  check "monitor: nothing blocked" no_blocked_events monitor
  for a in "${story_attacks[@]}"; do
    check "monitor: $a succeeds" outcome_is monitor "$a" SUCCEEDED
    check "monitor: $a is reported" event_reported monitor "$a"
  done

  for entry in "${story_constraints[@]}"; do
    label="serverless-${entry%%|*}"
    check "$label: benign traffic works" all_benign_ok "$label"
    for a in "${story_attacks[@]}"; do check "$label: $a fails" outcome_is "$label" "$a" BLOCKED; done
    check "$label: events reach stdout" bash -c "grep -q '\"inlay\":\"event\"' '$story_work/$label.log'"
  done
fi

echo "e2e: $passes passed, $failures failed"
if ((failures > 0)); then
  echo "e2e: $failures check(s) failed; logs, profile, policy and results in $story_work" >&2
  exit 1
fi
echo "e2e: all checks passed ($story_base)"
