#!/usr/bin/env bash
# `inlay sbom` of a ~510 MB JVM image (the jre17 fixture plus 400 MB of incompressible data, as the former bench/wrap.sh
# built it) against reading its layers once (every layer blob decompressed to /dev/null with gzip -dc), then `inlay
# sbom` again with every layer in the cache (docs/SCAN.md, "The layer cache"). Targets (issue 21): the first run no
# slower than reading the layers once; the second <= 1 s. Prints each time, the medians and the machine's load.
# Usage: bench/sbom.sh [ROUNDS]   (default 2; needs scripts/fixtures.sh, skopeo, umoci and a built bin/inlay)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-2}"
work="${INLAY_BENCH_DIR:-/tmp/inlay-bench}"
mkdir -p "$work"

base="$work/base"
if [[ ! -f "$base/index.json" ]]; then
  jre="$("$here/scripts/fixtures.sh" jre17-oci)"
  rm -rf "$base" "$work/payload"
  skopeo copy -q "oci:$jre:latest" "oci:$base:latest"
  mkdir -p "$work/payload/app"
  head -c 400M /dev/urandom > "$work/payload/app/data.bin"
  umoci insert --image "$base:latest" "$work/payload/app" /app
  rm -rf "$work/payload"
fi
echo "image: $(du -sh "$base" | cut -f1), load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

seconds() { # seconds COMMAND...: wall time of COMMAND
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

read_layers() {
  local manifest digest
  manifest=$(jq -r '.manifests[0].digest' "$base/index.json" | cut -d: -f2)
  for digest in $(jq -r '.layers[].digest' "$base/blobs/sha256/$manifest" | cut -d: -f2); do
    gzip -dc < "$base/blobs/sha256/$digest" > /dev/null
  done
}

sbom_cold() {
  rm -rf "$work/sbom-cache"
  INLAY_CACHE_DIR="$work/sbom-cache" "$here/bin/inlay" sbom "oci:$base:latest" -q -o "$work/sbom.json"
}

sbom_warm() {
  INLAY_CACHE_DIR="$work/sbom-cache" "$here/bin/inlay" sbom "oci:$base:latest" -q -o "$work/sbom-warm.json"
}

declare -a read_t cold_t warm_t
for ((i = 1; i <= rounds; i++)); do
  read_t+=("$(seconds read_layers)")
  cold_t+=("$(seconds sbom_cold)")
  warm_t+=("$(seconds sbom_warm)")
  cmp -s "$work/sbom.json" "$work/sbom-warm.json" || { echo "the cached run wrote a different SBOM" >&2; exit 1; }
  echo "round $i: read layers once ${read_t[-1]} s, inlay sbom ${cold_t[-1]} s, again (cached) ${warm_t[-1]} s" >&2
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
echo "median: read layers once $(median "${read_t[@]}") s, inlay sbom $(median "${cold_t[@]}") s, cached $(median "${warm_t[@]}") s; load: $(cut -d' ' -f1-3 /proc/loadavg)"
