#!/usr/bin/env bash
# The layer cache, registry to registry: the first wrap of an image (empty cache) against re-wraps of the same image
# (learn again, then enforce) whose base layers are cached, with the bytes each downloaded (inlay's own count on stderr).
# A private docker-registry on a free 127.0.0.1 port serves the jre17 fixture (scripts/fixtures.sh).
# Usage: bench/wrap-cache.sh [INLAY_JAR ...]   (default cli/target/inlay.jar; several jars are run side by side, e.g.
# main's and this tree's, each with its own empty cache)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INLAY_SCRIPT=wrap-cache
source "$here/scripts/lib.sh" # die
jars=("$@")
[[ ${#jars[@]} -gt 0 ]] || jars=("$here/cli/target/inlay.jar")
for tool in skopeo docker-registry; do command -v "$tool" >/dev/null || die "missing tool '$tool'"; done
work="$(mktemp -d /tmp/inlay-wrap-cache.XXXXXX)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
host="127.0.0.1:$port"
printf 'version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s/data\nhttp:\n  addr: %s\n' \
  "$work" "$host" >"$work/registry.yml"
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
trap 'kill "$registry_pid" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -fs "http://$host/v2/" >/dev/null && break; sleep 0.2; done
jre="$("$here/scripts/fixtures.sh" jre17-oci | tail -n 1)"
skopeo copy -q --dest-tls-verify=false "oci:$jre:latest" "docker://$host/base/app:1"
printf 'apiVersion: inlay.dev/v1\nkind: Policy\nmetadata: {name: b}\nspec:\n  mode: enforce\n' >"$work/policy.yaml"
echo "# uptime: $(uptime)"
printf '%-40s %-16s %8s %8s %14s\n' jar run wall_s cpu_s downloaded
for jar in "${jars[@]}"; do
  cache="$work/cache-$RANDOM"
  run() { # NAME TARGET ARGS...
    local name="$1" target="$2"
    shift 2
    local start end err
    start=$(date +%s%N)
    err="$( { /usr/bin/time -f '%U %S' java -jar "$jar" wrap "registry://$host/base/app:1" "$host/$target" \
      --cache-dir "$cache" "$@" >/dev/null; } 2>&1)"
    end=$(date +%s%N)
    local cpu downloaded
    cpu="$(tail -n 1 <<<"$err" | awk '{print $1 + $2}')"
    downloaded="$(grep -o 'downloaded [0-9]* bytes' <<<"$err" | awk '{print $2}')"
    printf '%-40s %-16s %8.2f %8.2f %14s\n' "$(basename "$(dirname "$(dirname "$(dirname "$jar")")")")/${jar##*/}" \
      "$name" "$(bc -l <<<"($end - $start) / 1000000000")" "$cpu" "${downloaded:-?}"
  }
  run "first (learn)" w/learn:1 --mode learn
  run "re-wrap learn" w/learn:2 --mode learn
  run "re-wrap enforce" w/enforce:1 --mode enforce --policy "$work/policy.yaml"
  echo "# cache after: $(du -sh "$cache" | cut -f1)"
done
