#!/usr/bin/env bash
# Proves the README's install step on Debian 12 roots that never had inlay's packages: a debootstrap'd bookworm,
# copied per case, with scripts/install-tools.sh run in a chroot (in a mount namespace of its own: nothing it or podman
# mounts outlives it). Shows the old script (BEFORE, a commit) leaving podman without iptables so that the demo's
# first step, a podman build with a RUN, fails; this tree's script naming what is missing, installing it and verifying
# the stack; the same on a never-touched root; and every program the verification execs (strace).
#
#   scripts/prove-fresh-install.sh [BEFORE]     as root; BEFORE defaults to f4aa17c (before the fix)
#
# Environment: INLAY_PROOF_DIR (default /var/tmp/inlay-fresh: the bookworm root is kept there for the next run),
# INLAY_DEBIAN_MIRROR. Needs debootstrap, unshare, strace and the Debian mirror; takes about 2 minutes after the
# first debootstrap.
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
before="${1:-f4aa17c}"
base="${INLAY_PROOF_DIR:-/var/tmp/inlay-fresh}"
mirror="${INLAY_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
[[ $EUID -eq 0 ]] || { echo "prove-fresh-install: needs root (debootstrap, chroot)" >&2; exit 1; }
mkdir -p "$base"
cd "$base" || exit 1
if [[ ! -x root/usr/bin/apt-get ]]; then
  rm -rf root
  debootstrap bookworm root "$mirror" >debootstrap.log 2>&1 || { tail -n 20 debootstrap.log >&2; exit 1; }
fi

# in_chroot [--strace FILE] ROOT CMD...
in_chroot() {
  local trace=()
  if [[ "$1" == --strace ]]; then trace=(strace -f -qq -e trace=execve -e signal=none -o "$2"); shift 2; fi
  local root="$1"
  shift
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  unshare --mount --propagation private bash -c '
    set -euo pipefail
    root="$1"; shift
    mount --bind "$root" "$root"   # a mount point of its own: container storage remounts / inside the chroot
    mount -t proc proc "$root/proc"
    mount --rbind /sys "$root/sys"; mount --make-rslave "$root/sys"
    mount --rbind /dev "$root/dev"; mount --make-rslave "$root/dev"
    mount -t tmpfs tmpfs "$root/run"
    mount -t tmpfs tmpfs "$root/tmp"
    rc=0
    "$@" || rc=$?
    umount -R "$root"
    exit $rc
  ' in-chroot "$root" "${trace[@]}" chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}

run() {
  echo "\$ $*"
  "$@" 2>&1 | grep -v 'level=warning'
  echo "[exit ${PIPESTATUS[0]}]"
}

prepare() {
  rm -rf "$1"
  cp -a root "$1"
  mkdir -p "$1/opt/inlay/scripts"
  cp "$repo/scripts/podman.sh" "$repo/scripts/lib.sh" "$1/opt/inlay/scripts/"
  # What examples/demo.sh does first, without an image from the mirror: a podman build with a RUN step.
  cat >"$1/opt/inlay/podman-build-probe.sh" <<'PROBE'
#!/usr/bin/env bash
set -eu
ctx=$(mktemp -d)
for f in /bin/true $(ldd /bin/true | grep -o '/[^ ]*'); do mkdir -p "$ctx/rootfs$(dirname $f)"; cp -L "$f" "$ctx/rootfs$f"; done
printf 'FROM scratch\nCOPY rootfs/ /\nRUN ["/bin/true"]\n' > "$ctx/Containerfile"
/opt/inlay/scripts/podman.sh build -q -t localhost/probe "$ctx"
PROBE
  chmod +x "$1/opt/inlay/podman-build-probe.sh"
}

echo "=== A: install-tools.sh of $before, then the demo's first step"
prepare rootA
git -C "$repo" show "$before:scripts/install-tools.sh" >rootA/opt/inlay/scripts/install-tools.sh
run chroot rootA dpkg-query -W iptables
run in_chroot rootA bash /opt/inlay/scripts/install-tools.sh
run in_chroot rootA /opt/inlay/podman-build-probe.sh
echo "=== A: this tree's install-tools.sh on the same root"
cp "$repo/scripts/install-tools.sh" rootA/opt/inlay/scripts/install-tools.sh
run in_chroot rootA bash /opt/inlay/scripts/install-tools.sh --check --no-java
run in_chroot rootA bash /opt/inlay/scripts/install-tools.sh --no-java
run in_chroot rootA /opt/inlay/podman-build-probe.sh
echo "=== A: iptables' program gone (the package still registered), then aardvark-dns'"
mv rootA/usr/sbin/iptables rootA/usr/sbin/iptables.away
run in_chroot rootA bash /opt/inlay/scripts/install-tools.sh --no-java
mv rootA/usr/sbin/iptables.away rootA/usr/sbin/iptables
mv rootA/usr/lib/podman/aardvark-dns rootA/usr/lib/podman/aardvark-dns.away
run in_chroot rootA bash /opt/inlay/scripts/install-tools.sh --no-java
echo "=== B: a never-touched root, this tree's install-tools.sh, then the demo's first step"
prepare rootB
cp "$repo/scripts/install-tools.sh" rootB/opt/inlay/scripts/install-tools.sh
run in_chroot rootB bash /opt/inlay/scripts/install-tools.sh
run in_chroot rootB /opt/inlay/podman-build-probe.sh
echo "=== B: every program the verification execs (strace -f -e trace=execve; successful execs)"
run in_chroot --strace "$base/exec.trace" rootB bash /opt/inlay/scripts/install-tools.sh --no-java
grep -v ENOENT exec.trace | grep -o 'execve("[^"]*"' | sed 's/execve("//;s/"$//' | sort -u | tr '\n' ' '
echo
rm -rf rootA rootB
echo "=== mounts left under $base: $(findmnt -rn | grep -c "$base")"
