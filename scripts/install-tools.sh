#!/usr/bin/env bash
# Installs what inlay's build, tests and demo need on a Debian 12 machine (as root): a container runtime, a registry,
# image tools and debootstrap for the base images. Java 17, the Temurin 25 JDK and Maven are expected already
# (the machine image has them); this script checks for them and says so if they are missing.
set -euo pipefail
# Containers of the demo find each other by name: podman's DNS is aardvark-dns (netavark backend) or the dnsname
# plugin (CNI backend, what podman keeps using on a machine that used it before); both, so either backend works.
packages=(podman runc aardvark-dns netavark golang-github-containernetworking-plugin-dnsname docker-registry skopeo
  umoci debootstrap curl jq)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-tools: need root to install: ${missing[*]} (run: sudo $0)" >&2
    exit 1
  fi
  echo "install-tools: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "install-tools: '$tool' is missing: install a JDK 17 and Maven 3.8+" >&2; exit 1; }
done
jdk25="${INLAY_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[[ -x "$jdk25/bin/java" ]] || { echo "install-tools: JDK 25 not found at $jdk25 (set INLAY_JDK25)" >&2; exit 1; }
echo "install-tools: ok"
