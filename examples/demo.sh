#!/usr/bin/env bash
# The inlay story on one machine, in real containers: build a vulnerable service's image, prove its exploits work,
# learn its behavior, generate a policy, and watch the same exploits get blocked (enforce) or reported (monitor).
#
#   examples/demo.sh                  the whole story, with a summary table at the end
#   examples/demo.sh --baseline-only  only build and attack the unwrapped image (needs no inlay build)
#
# Needs root, podman, runc, skopeo, umoci, debootstrap, docker-registry, curl, jq, Java 17 and Maven
# (scripts/install-tools.sh), and a built inlay (mvn -q -DskipTests install). Settings: see examples/lib/story.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/story.sh"

case "${1:-}" in
  "") story_run_all full ;;
  --baseline-only) story_run_all baseline-only ;;
  *) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
