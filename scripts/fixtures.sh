#!/usr/bin/env bash
# Test fixtures that cannot be pulled from the internet on inlay's build machines: Java base images built from the
# Debian mirror, and a local registry. Everything is cached outside the repository so that CI builds them once.
#
#   scripts/fixtures.sh jre17-oci            OCI layout of Debian bookworm + openjdk-17-jre-headless; prints its path
#   scripts/fixtures.sh jre25-oci            OCI layout of Debian bookworm + a jlink'd Temurin 25 runtime; prints its path
#   scripts/fixtures.sh registry             starts a registry on 127.0.0.1:5000 (once); prints its address
#   scripts/fixtures.sh stop-registry        stops it
#   scripts/fixtures.sh podman-load NAME     loads fixture NAME (jre17, jre25) into podman as localhost/inlay-fixture/NAME:latest
#   scripts/fixtures.sh clean                removes the whole cache
#
# Environment: INLAY_FIXTURES (cache directory, default /var/cache/inlay-fixtures), INLAY_DEBIAN_MIRROR,
# INLAY_REGISTRY_ADDR (default 127.0.0.1:5000), INLAY_JDK25 (default /usr/lib/jvm/temurin-25-jdk-amd64).
# Image layouts are built as root (debootstrap needs it); every step is idempotent and safe to run concurrently.
set -euo pipefail

cache="${INLAY_FIXTURES:-/var/cache/inlay-fixtures}"
mirror="${INLAY_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
suite=bookworm
registry_addr="${INLAY_REGISTRY_ADDR:-127.0.0.1:5000}"
jdk25="${INLAY_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Modules of the Temurin 25 runtime: what the example service and the agent use (HTTP server and client, JNDI/LDAP,
# JDBC, instrumentation, Unsafe (libraries use it; the agent guards it), management for log4j's JMX, desktop for java.beans) and nothing else.
jre25_modules=java.se,jdk.httpserver,jdk.unsupported,jdk.crypto.ec,jdk.naming.dns,jdk.zipfs,jdk.management,jdk.charsets,jdk.localedata

INLAY_SCRIPT=fixtures
source "$here/lib.sh"

need() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || die "missing tool '$tool' (Debian: apt-get install debootstrap umoci skopeo docker-registry podman curl)"
  done
}

# Serializes builders of the same fixture (two test JVMs may ask at the same time); a second caller waits and then
# finds the finished fixture.
with_lock() {
  local name="$1"
  shift
  mkdir -p "$cache"
  exec {lock_fd}>"$cache/.$name.lock"
  flock "$lock_fd"
  "$@"
  flock -u "$lock_fd"
}

# Removes what a container image does not need; keeps the layer small and free of host-specific state.
slim_rootfs() {
  local root="$1"
  rm -rf "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/var/cache/debconf/*-old \
    "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/lintian \
    "$root"/var/log/* "$root"/tmp/* "$root"/var/tmp/*
  # Device nodes come from the container runtime, never from the image.
  rm -rf "$root"/dev/*
  find "$root"/usr/share/locale -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} + 2>/dev/null || true
  # Images get a deterministic identity instead of the build host's.
  : >"$root/etc/machine-id"
  echo "inlay-fixture" >"$root/etc/hostname"
}

# Builds an OCI layout at $cache/NAME-oci: debootstrap minbase (plus INCLUDE packages), then CUSTOMIZE ROOTFS, then
# one layer. The layout only appears when complete.
build_layout() {
  local name="$1" include="$2" customize="$3"
  shift 3
  local final="$cache/$name-oci"
  [[ -f "$final/index.json" ]] && return 0
  need debootstrap umoci
  [[ $EUID -eq 0 ]] || die "building $name needs root (debootstrap)"
  local work="$cache/.build-$name.$$"
  rm -rf "$work"
  mkdir -p "$work"
  trap 'umount -R "$work/bundle/rootfs/proc" 2>/dev/null || true; rm -rf "$work"' EXIT
  local layout="$work/layout" bundle="$work/bundle" started=$SECONDS
  umoci init --layout "$layout"
  umoci new --image "$layout:latest"
  umoci unpack --image "$layout:latest" "$bundle" >/dev/null
  log "debootstrap $suite into $name (minbase${include:+, $include}) from $mirror"
  debootstrap --variant=minbase ${include:+--include="$include"} "$suite" "$bundle/rootfs" "$mirror" \
    >"$work/debootstrap.log" 2>&1 || { tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed for $name"; }
  "$customize" "$bundle/rootfs"
  slim_rootfs "$bundle/rootfs"
  umoci repack --image "$layout:latest" "$bundle"
  umoci config --image "$layout:latest" --os linux --architecture amd64 --author inlay-fixtures \
    --history.created_by "scripts/fixtures.sh $name-oci" "$@"
  umoci gc --layout "$layout"
  mv "$layout" "$final"
  rm -rf "$work"
  trap - EXIT
  log "$name ready in $((SECONDS - started)) s: $(du -sh "$final" | cut -f1)"
}

# The JVM needs /proc (its own executable, memory limits) even for -version.
java_runs_in() {
  local root="$1" java="$2" ok=0
  mount -t proc proc "$root/proc"
  chroot "$root" "$java" -version >"$root/tmp/java-version.txt" 2>&1 || ok=$?
  umount "$root/proc"
  [[ $ok -eq 0 ]] || { cat "$root/tmp/java-version.txt" >&2; die "$java does not run in $root"; }
}

customize_jre17() {
  java_runs_in "$1" /usr/bin/java
}

customize_jre25() {
  local root="$1"
  [[ -x "$jdk25/bin/jlink" ]] || die "missing JDK 25 at $jdk25 (set INLAY_JDK25)"
  "$jdk25/bin/jlink" --add-modules "$jre25_modules" --strip-debug --no-man-pages --no-header-files \
    --compress=zip-6 --output "$root/opt/java/openjdk"
  java_runs_in "$root" /opt/java/openjdk/bin/java
}

jre17_oci() {
  with_lock jre17 build_layout jre17 openjdk-17-jre-headless,ca-certificates customize_jre17 \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.env LANG=C.UTF-8 \
    --config.env JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 \
    --config.cmd java --config.cmd -version
  echo "$cache/jre17-oci"
}

jre25_oci() {
  with_lock jre25 build_layout jre25 ca-certificates customize_jre25 \
    --config.env PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.env LANG=C.UTF-8 \
    --config.env JAVA_HOME=/opt/java/openjdk \
    --config.cmd java --config.cmd -version
  echo "$cache/jre25-oci"
}

registry_answers() {
  curl -fsS -o /dev/null --max-time 2 "http://$registry_addr/v2/" 2>/dev/null
}

start_registry() {
  if registry_answers; then
    return 0
  fi
  need docker-registry curl
  local dir="$cache/registry"
  mkdir -p "$dir/storage"
  cat >"$dir/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: $registry_addr
EOF
  setsid docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 </dev/null &
  echo $! >"$dir/registry.pid"
  local i
  for i in $(seq 1 50); do
    registry_answers && return 0
    kill -0 "$(cat "$dir/registry.pid")" 2>/dev/null || { tail -n 20 "$dir/registry.log" >&2; die "registry exited"; }
    sleep 0.2
  done
  die "registry on $registry_addr did not answer within 10 s (log: $dir/registry.log)"
}

registry() {
  with_lock registry start_registry
  echo "$registry_addr"
}

stop_registry() {
  local pidfile="$cache/registry/registry.pid"
  if [[ -f "$pidfile" ]]; then
    local pid
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      log "registry (pid $pid) stopped"
    fi
    rm -f "$pidfile"
  else
    log "no registry started by this script"
  fi
}

podman_load() {
  local name="${1:?usage: fixtures.sh podman-load NAME (jre17, jre25)}" layout
  case "$name" in
    jre17) layout="$(jre17_oci)" ;;
    jre25) layout="$(jre25_oci)" ;;
    *) die "unknown fixture '$name' (jre17, jre25)" ;;
  esac
  need skopeo podman
  local ref="localhost/inlay-fixture/$name:latest" want have
  want="$(jq -r '.config.digest' "$layout/blobs/sha256/$(jq -r '.manifests[0].digest' "$layout/index.json" | cut -d: -f2)")"
  have="$(pm image inspect --format '{{.Id}}' "$ref" 2>/dev/null || true)"
  if [[ "sha256:$have" != "$want" ]]; then
    skopeo copy --quiet "oci:$layout:latest" "containers-storage:$ref" >&2
  fi
  echo "$ref"
}

case "${1:-}" in
  jre17-oci) jre17_oci ;;
  jre25-oci) jre25_oci ;;
  registry) registry ;;
  stop-registry) stop_registry ;;
  podman-load) shift; podman_load "$@" ;;
  clean) stop_registry; rm -rf "$cache" ;;
  *) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
