#!/usr/bin/env bash
# The one place that knows how podman must be called on inlay's build machines: crun fails there and the default
# rlimits are refused, so every container-creating command gets runc, cgroupfs and explicit ulimits.
# Usage: scripts/podman.sh SUBCOMMAND ARGS...   (same as podman)
# INLAY_PODMAN overrides the podman binary; INLAY_PODMAN_RUNTIME the OCI runtime (empty: podman's default).
set -euo pipefail

podman_bin="${INLAY_PODMAN:-podman}"
runtime="${INLAY_PODMAN_RUNTIME-/usr/sbin/runc}"
global=(--cgroup-manager=cgroupfs)
if [[ -n "$runtime" ]]; then
  global+=(--runtime "$runtime")
fi
limits=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

if [[ $# -eq 0 ]]; then
  exec "$podman_bin" "${global[@]}"
fi

sub="$1"
shift
case "$sub" in
  run | create | build)
    exec "$podman_bin" "${global[@]}" "$sub" "${limits[@]}" "$@"
    ;;
  container | image)
    if [[ $# -gt 0 && ( "$1" == run || "$1" == create || "$1" == build ) ]]; then
      inner="$1"
      shift
      exec "$podman_bin" "${global[@]}" "$sub" "$inner" "${limits[@]}" "$@"
    fi
    exec "$podman_bin" "${global[@]}" "$sub" "$@"
    ;;
  *)
    exec "$podman_bin" "${global[@]}" "$sub" "$@"
    ;;
esac
