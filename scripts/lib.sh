# Shared by the shell scripts of scripts/, examples/ and bench/: messages, failing, medians and podman.
# Sourced, never run: defines INLAY_ROOT and functions only. A script names itself in its messages by setting
# INLAY_SCRIPT before sourcing (default: its file name without .sh).
INLAY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INLAY_SCRIPT="${INLAY_SCRIPT:-$(basename "$0" .sh)}"

log() { echo "$INLAY_SCRIPT: $*" >&2; }
die() { log "$*"; exit 1; }

# median [DECIMALS]: the median of the numbers on stdin, one a line (of an even count, the mean of the middle two),
# printed with DECIMALS digits after the point (default 1) and no newline.
median() {
  sort -g | awk -v fmt="%.${1:-1}f" '{a[NR] = $1} END {printf fmt, NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'
}

# podman as inlay's machines need it called (scripts/podman.sh: runtime, cgroup manager, ulimits).
pm() { "$INLAY_ROOT/scripts/podman.sh" "$@"; }
