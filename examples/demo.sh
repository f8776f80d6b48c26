#!/usr/bin/env bash
# The inlay story on one machine, in real containers: build a vulnerable service's image, prove its exploits work,
# learn its behavior, generate a policy, and watch the same exploits get blocked (enforce) or reported (monitor).
#
#   examples/demo.sh                  the whole story, with a summary table at the end
#   examples/demo.sh --baseline-only  only build and attack the unwrapped image (needs no inlay build)
#
# Needs root, podman, runc, skopeo, umoci, debootstrap, docker-registry, curl, jq, Java 17 and Maven
# (scripts/install-tools.sh). Builds inlay first when it is not built. Settings: see examples/lib/story.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/story.sh"

build_inlay() {
  if [[ ! -f "$story_root/cli/target/inlay.jar" ]]; then
    say "Build inlay (the agent, the CLI and the example service): mvn -q -DskipTests install"
    (cd "$story_root" && mvn -q -B -ntp -DskipTests install) || die "the build failed"
  fi
}

case "${1:-}" in
  "") build_inlay; story_run_all full; story_serverless; story_summary "${story_constraint_labels[@]}" ;;
  --baseline-only) story_run_all baseline-only ;;
  *) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
