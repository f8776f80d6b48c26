#!/usr/bin/env bash
# Installs what inlay's build, tests and demo need on a Debian 12 machine (as root): a container runtime, a registry,
# image tools and debootstrap for the base images, then proves that the container stack works (a throw-away podman
# network, a container on it, a podman build with a RUN step). Java 17, the Temurin 25 JDK and Maven are expected
# already (the machine image has them); they are checked last, so that a machine without them still gets a verified
# container stack.
#
#   scripts/install-tools.sh               install, verify, check the JDKs and Maven
#   scripts/install-tools.sh --no-java     install and verify only (a machine that builds nothing, a proof chroot)
#   scripts/install-tools.sh --check       install nothing: only say what is missing or broken (combines with --no-java)
#
# Environment: INLAY_JDK25 (default /usr/lib/jvm/temurin-25-jdk-amd64).
set -euo pipefail

check_java=1
install=1
for arg in "$@"; do
  case "$arg" in
    --no-java) check_java=0 ;;
    --check) install=0 ;;
    *) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# netavark and podman find iptables, runc and conmon through PATH; a non-login root shell may lack the sbin entries.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

INLAY_SCRIPT=install-tools
source "$here/lib.sh"

# Installed with --no-install-recommends, so everything the runtime execs is named here, not left to Recommends:
#   podman execs conmon and the OCI runtime (runc; podman.sh selects it) and the network backend netavark;
#   netavark execs iptables and ip6tables (package iptables, only Suggested by podman: without it every container
#   on a network fails with "netavark: No such file or directory (os error 2)") and aardvark-dns, the DNS server
#   through which the demo's containers find each other by name. The CNI backend (what podman keeps using on a
#   machine that used it before) needs the dnsname plugin instead; both are installed so that either backend works.
#   docker-registry, skopeo, umoci, debootstrap, curl and jq: fixtures and the demo; apache2-utils: htpasswd for the
#   registry-with-authentication tests; openssl: the admission webhook tests' certificates (named, not left to
#   ca-certificates' dependency on it).
packages=(podman conmon runc netavark aardvark-dns iptables golang-github-containernetworking-plugin-dnsname
  docker-registry skopeo umoci debootstrap curl jq apache2-utils ca-certificates openssl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} && install)); then
  [[ $(id -u) -eq 0 ]] || die "need root to install: ${missing[*]} (run: sudo $0)"
  echo "install-tools: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
elif ((${#missing[@]})); then
  die "not installed: ${missing[*]} (run: sudo $0)"
fi

# Every program the stack runs, with the package that ships it: a machine where a package is installed but its
# program is gone (or was never there) gets the package's name, not podman's "No such file or directory".
need_program() {
  local program="$1" package="$2"
  if [[ "$program" == /* ]]; then
    [[ -x "$program" ]] || die "$program is missing: install the Debian package '$package' (apt-get install $package)"
  else
    command -v "$program" >/dev/null 2>&1 \
      || die "'$program' is missing from PATH: install the Debian package '$package' (apt-get install $package)"
  fi
}
for entry in podman:podman conmon:conmon runc:runc iptables:iptables ip6tables:iptables skopeo:skopeo umoci:umoci \
  debootstrap:debootstrap docker-registry:docker-registry curl:curl jq:jq htpasswd:apache2-utils openssl:openssl; do
  need_program "${entry%%:*}" "${entry#*:}"
done

backend="$(podman info --format '{{.Host.NetworkBackend}}' 2>/dev/null)" || die "podman does not start: $(podman info 2>&1 | tail -n 3)"
case "$backend" in
  netavark)
    netavark_dir=""
    for dir in /usr/lib/podman /usr/libexec/podman /usr/local/lib/podman /usr/local/libexec/podman; do
      [[ -x "$dir/netavark" ]] && { netavark_dir="$dir"; break; }
    done
    [[ -n "$netavark_dir" ]] || die "netavark is missing (podman's network backend): install the Debian package 'netavark'"
    need_program "$netavark_dir/aardvark-dns" aardvark-dns
    ;;
  cni)
    need_program /usr/lib/cni/bridge containernetworking-plugins
    need_program /usr/lib/cni/dnsname golang-github-containernetworking-plugin-dnsname
    ;;
  *) die "podman reports the network backend '$backend'; inlay knows netavark and cni" ;;
esac
if [[ $(id -u) -eq 0 ]]; then
  # netavark's rules go through iptables; a kernel without nf_tables (or the legacy tables) fails here, not later.
  iptables -t nat -S >/dev/null 2>&1 || die "iptables cannot read the nat table: $(iptables -t nat -S 2>&1 | tail -n 1)"
fi

# The stack, exercised the way the demo uses it: a network of its own (with DNS), a container on it, and a podman
# build whose RUN step gets a network namespace from the same backend. The container's root is /bin/true and the
# libraries it links, so no image has to be pulled or built from the mirror first.
verify_stack() {
  local work net image ok=0 out
  work="$(mktemp -d /tmp/inlay-verify.XXXXXX)"
  net="inlay-verify-$$"
  image="localhost/inlay-verify:$$"
  local rootfs="$work/rootfs" file
  for file in /bin/true $(ldd /bin/true | grep -o '/[^ ]*'); do
    mkdir -p "$rootfs$(dirname "$file")"
    cp -L "$file" "$rootfs$file"
  done
  printf 'FROM scratch\nCOPY rootfs/ /\nRUN ["/bin/true"]\n' >"$work/Containerfile"
  cleanup_verify() {
    pm rmi -f "$image" >/dev/null 2>&1 || true
    pm network rm -f "$net" >/dev/null 2>&1 || true
    rm -rf "$work"
  }
  trap cleanup_verify EXIT
  out="$(pm network create "$net" 2>&1)" || { echo "$out" >&2; die "podman network create failed"; }
  out="$(pm run --rm --network "$net" --rootfs "$rootfs" /bin/true 2>&1)" \
    || { echo "$out" >&2; die "a container on a podman network does not start (netavark, aardvark-dns, iptables, runc, conmon)"; }
  out="$(pm build --quiet --layers=false -t "$image" -f "$work/Containerfile" "$work" 2>&1)" \
    || { echo "$out" >&2; die "podman build with a RUN step failed"; }
  cleanup_verify
  trap - EXIT
}
if [[ $(id -u) -eq 0 ]]; then
  verify_stack
  echo "install-tools: container stack verified ($backend: network create, run on it, build with RUN, network rm)"
else
  echo "install-tools: not root: the container stack check (podman as root, as the demo runs it) was not run" >&2
fi

if ((check_java)); then
  for tool in java mvn; do
    command -v "$tool" >/dev/null || die "'$tool' is missing: install a JDK 17 and Maven 3.8+"
  done
  jdk25="${INLAY_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
  [[ -x "$jdk25/bin/java" ]] || die "JDK 25 not found at $jdk25 (set INLAY_JDK25)"
fi
echo "install-tools: ok"
