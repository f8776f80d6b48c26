#!/usr/bin/env bash
# Wrapping registry to registry (issue 23): `inlay wrap` next to the same job done with the standard tools (`skopeo
# copy` to an OCI layout, a layer of the agent directory (`tar` + `umoci raw add-layer`: see add_layer), `umoci config` for JAVA_TOOL_OPTIONS and the labels,
# `skopeo copy` back), in one run, on a loopback registry this script starts and stops. Rows (docs/BENCHMARKS.md
# "Wrapping, registry to registry" says what each means):
#   first wrap      the docservice image, wrap --mode learn with an empty layer-fact cache
#   re-wrap         the same source again, wrap --mode enforce --policy (the learn -> enforce sequence; cache warm)
#   second app      another application image on the same base (cache warm from the docservice)
#   floor           `gzip -dc LAYER | sha256sum` of each layer of the image (what reading it at all costs), and
#                   `inlay --version` (the CLI's start-up)
#   +400M, +1900M   the docservice image plus a layer of incompressible files: first wrap and re-wrap
# Each cell is the median of N runs (interleaved: inlay, tools, inlay, tools...), with the peak RSS (/usr/bin/time %M,
# the largest process of the job) and the blobs and bytes the job downloaded (GET .../blobs/ lines of the registry's
# access log).
#
# Usage: bench/wrap.sh [N]   (default 3)
# Environment: INLAY_BENCH_DIR (images, layouts, registry storage, results; default /tmp/inlay-bench-wrap),
# BENCH_WRAP_EXTRA (the extra sizes, default "400M 1900M"; "" for the docservice rows only), BENCH_REGISTRY_PORT
# (default 5077), JAVA. Needs skopeo, umoci, docker-registry, jq, curl, GNU time (Debian: skopeo umoci docker-registry
# jq curl time); builds cli/target/inlay.jar and examples/target/*.jar when they are missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INLAY_SCRIPT=bench-wrap
source "$here/scripts/lib.sh" # log, die, median
runs="${1:-3}"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "usage: bench/wrap.sh [N] (N: runs per cell, default 3)"
work="${INLAY_BENCH_DIR:-/tmp/inlay-bench-wrap}"
extras="${BENCH_WRAP_EXTRA-400M 1900M}"
port="${BENCH_REGISTRY_PORT:-5077}"
registry="127.0.0.1:$port"
inlay="$here/bin/inlay"

for tool in skopeo umoci docker-registry jq curl gzip sha256sum /usr/bin/time; do
  command -v "$tool" >/dev/null 2>&1 || die "missing $tool (Debian: apt-get install skopeo umoci docker-registry jq curl time)"
done
if [[ ! -f "$here/cli/target/inlay.jar" || ! -f "$here/examples/target/docservice.jar" ]]; then
  log "building inlay.jar and the example applications"
  (cd "$here" && mvn -B -ntp -q -pl cli,examples -am package -DskipTests) || die "the build failed"
fi
mkdir -p "$work/images" "$work/results"

# ---- the loopback registry (its own, not the tests' one on :5000), with its access log ----
reg_dir="$work/registry"
reg_pid=""
cleanup() {
  if [[ -n "$reg_pid" ]]; then
    kill "$reg_pid" 2>/dev/null || true
    wait "$reg_pid" 2>/dev/null || true
  fi
  # the pushed images (gigabytes with the big ones); the access log stays for a look at what was downloaded
  rm -rf "$reg_dir/storage" "$work/tools-layout"
}
trap cleanup EXIT
rm -rf "$reg_dir"
mkdir -p "$reg_dir/storage"
cat >"$reg_dir/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $reg_dir/storage
  delete:
    enabled: true
http:
  addr: $registry
EOF
docker-registry serve "$reg_dir/config.yml" >"$reg_dir/access.log" 2>&1 </dev/null &
reg_pid=$!
for ((i = 0; i < 100; i++)); do
  curl -fsS -o /dev/null --max-time 1 "http://$registry/v2/" 2>/dev/null && break
  kill -0 "$reg_pid" 2>/dev/null || die "the registry exited: $(tail -5 "$reg_dir/access.log")"
  sleep 0.1
done
((i < 100)) || die "the registry on $registry did not answer"

# ---- the images: OCI layouts built once, kept in $work/images (key: base digest, jar digests, extra size) ----
base="$("$here/scripts/fixtures.sh" jre17-oci)"
base_digest="$(jq -r '.manifests[0].digest' "$base/index.json")"

# add_layer LAYOUT:TAG DIR PATH...: a layer of PATH... under DIR, owned by root. `tar` and `umoci raw add-layer`, not
# `umoci insert`: umoci 0.4.7 (Debian 12) writes an inserted file without its tar padding and end blocks whenever its
# size is not a multiple of 512, a layer that inlay (rightly) refuses as a truncated tar.
add_layer() {
  local image="$1" dir="$2"
  shift 2
  tar -C "$dir" --owner=0 --group=0 --numeric-owner -cf "$dir.tar" "$@"
  umoci raw add-layer --image "$image" "$dir.tar"
  rm -f "$dir.tar"
}

# image NAME JAR EXTRA: an OCI layout of the jre17 fixture plus JAR as /app/app.jar (as examples/Containerfile does,
# without its RUN useradd) and, for EXTRA other than 0, a layer of incompressible files totalling EXTRA (head -c units).
image() {
  local name="$1" jar="$2" extra="$3" dir="$work/images/$1" key
  key="v3 $base_digest $(sha256sum "$jar" | cut -c1-64) $extra"
  if [[ -f "$dir/index.json" && "$(cat "$dir.key" 2>/dev/null)" == "$key" ]]; then
    echo "$dir"
    return
  fi
  log "building image $name (jre17 + $(basename "$jar") + $extra)"
  rm -rf "$dir" "$dir.payload"
  skopeo copy -q "oci:$base:latest" "oci:$dir:1"
  mkdir -p "$dir.payload/app"
  cp "$jar" "$dir.payload/app/app.jar"
  add_layer "$dir:1" "$dir.payload" app
  umoci config --image "$dir:1" --config.workingdir /app --config.env DATA_DIR=/app/data \
    --config.entrypoint java --config.entrypoint -jar --config.entrypoint /app/app.jar --clear config.cmd
  if [[ "$extra" != 0 ]]; then
    local bytes chunk=$((64 * 1024 * 1024)) n=0
    bytes="$(numfmt --from=iec "$extra")"
    rm -rf "$dir.payload" && mkdir -p "$dir.payload/data"
    while ((bytes > 0)); do
      head -c $((bytes < chunk ? bytes : chunk)) /dev/urandom >"$dir.payload/data/blob-$n.bin"
      bytes=$((bytes - chunk)) n=$((n + 1))
    done
    add_layer "$dir:1" "$dir.payload" data
  fi
  umoci gc --layout "$dir"
  rm -rf "$dir.payload"
  echo "$key" >"$dir.key"
  echo "$dir"
}

# The registry repository of an image: lower case, no '+'.
repo_of() { local r="${1//+/-}"; echo "${r,,}"; }

# The layer blobs of an OCI layout (compressed), one path a line.
layers_of() {
  local dir="$1" manifest
  manifest="$(jq -r '.manifests[0].digest' "$dir/index.json" | cut -d: -f2)"
  jq -r '.layers[].digest' "$dir/blobs/sha256/$manifest" | cut -d: -f2 | sed "s|^|$dir/blobs/sha256/|"
}

docservice="$(image docservice "$here/examples/target/docservice.jar" 0)"
app2="$(image app2 "$here/examples/target/attacker.jar" 0)"
declare -A source_of=([docservice]="$docservice" [app2]="$app2")
sized=()
for extra in $extras; do
  source_of["docservice+$extra"]="$(image "docservice+$extra" "$here/examples/target/docservice.jar" "$extra")"
  sized+=("docservice+$extra")
done
for name in "${!source_of[@]}"; do
  skopeo copy -q --dest-tls-verify=false "oci:${source_of[$name]}:1" "docker://$registry/src/$(repo_of "$name"):1"
done

# What wrap puts in the image for the tools' job: the agent and its settings (the JDK's hooked classes and the SBOM
# are inlay's own work: the tools do not compute them).
agent_root="$work/agent"
agent_dir="$agent_root/opt/inlay"
rm -rf "$agent_root" && mkdir -p "$agent_dir"
unzip -p "$here/cli/target/inlay.jar" inlay/inlay-agent.jar >"$agent_dir/inlay-agent.jar"
policy="$work/policy.yaml"
cat >"$policy" <<'EOF'
apiVersion: inlay.dev/v1
kind: Policy
metadata: {name: bench}
spec:
  mode: enforce
  files:
    - id: app
      operations: [read, list]
      paths: ["/app/**", "/usr/lib/jvm/**", "/etc/**", "/proc/**", "/sys/**", "/tmp/**"]
EOF

# ---- measuring ----
cache_dir="$work/layer-cache"
results="$work/results/wrap-$(date -u +%Y%m%dT%H%M%SZ).tsv"
echo -e "# $(date -u +%Y-%m-%dT%H:%M:%SZ) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) runs=$runs" >"$results"
echo -e "row\tjob\trun\tseconds\tpeak_kib\tblobs\tbytes" >>"$results"

# measure ROW JOB RUN COMMAND...: runs COMMAND under GNU time; appends wall seconds, peak RSS (KiB) and the blobs and
# bytes GET from the registry meanwhile to the results.
measure() {
  local row="$1" job="$2" run="$3"
  shift 3
  local before start end rss got
  before="$(stat -c %s "$reg_dir/access.log")"
  start=$(date +%s%N)
  /usr/bin/time -f %M -o "$work/time.out" "$@" >"$work/job.out" 2>&1 || {
    cat "$work/job.out" >&2
    die "$row / $job failed: $*"
  }
  end=$(date +%s%N)
  rss="$(tail -n 1 "$work/time.out")"
  got="$(tail -c +$((before + 1)) "$reg_dir/access.log" \
    | awk '$6 == "\"GET" && $7 ~ /\/blobs\/sha256:/ && ($9 == 200 || $9 == 206) {n++; b += $10} END {print n + 0 "\t" b + 0}')"
  echo -e "$row\t$job\t$run\t$(echo "scale=3; ($end - $start) / 1000000000" | bc)\t$rss\t$got" >>"$results"
}

inlay_wrap() { # SOURCE TARGET MODE [options]: sets wrap_cmd, the command line
  local source="$1" target="$2" mode="$3"
  shift 3
  wrap_cmd=("$inlay" wrap "$registry/src/$(repo_of "$source"):1" "$registry/out/$target" --mode "$mode" -q "$@")
}

tools_wrap() { # SOURCE TARGET MODE
  local source="$1" target="$2" mode="$3" layout="$work/tools-layout"
  rm -rf "$layout"
  printf 'mode=%s\n' "$mode" >"$agent_dir/inlay.properties"
  skopeo copy -q --src-tls-verify=false "docker://$registry/src/$source:1" "oci:$layout:w"
  add_layer "$layout:w" "$agent_root" opt
  umoci config --image "$layout:w" --config.env "JAVA_TOOL_OPTIONS=-javaagent:/opt/inlay/inlay-agent.jar" \
    --config.label dev.inlay.wrapped=true --config.label "dev.inlay.mode=$mode"
  skopeo copy -q --dest-tls-verify=false "oci:$layout:w" "docker://$registry/out/$target"
  rm -rf "$layout"
}
export -f tools_wrap add_layer
export registry agent_root agent_dir work

floor() { # LAYER...
  local layer
  for layer in "$@"; do gzip -dc "$layer" | sha256sum >/dev/null; done
}
export -f floor

log "results: $results"
for ((run = 1; run <= runs; run++)); do
  log "run $run of $runs (load $(cut -d' ' -f1 /proc/loadavg))"
  rm -rf "$cache_dir"
  export INLAY_CACHE_DIR="$cache_dir"
  inlay_wrap docservice "docservice:learn-$run" learn
  measure "docservice first wrap" inlay "$run" "${wrap_cmd[@]}"
  measure "docservice first wrap" tools "$run" bash -c 'tools_wrap "$@"' _ docservice "docservice:tools-learn-$run" learn
  inlay_wrap docservice "docservice:enforce-$run" enforce --policy "$policy"
  measure "docservice re-wrap" inlay "$run" "${wrap_cmd[@]}"
  measure "docservice re-wrap" tools "$run" bash -c 'tools_wrap "$@"' _ docservice "docservice:tools-enforce-$run" enforce
  inlay_wrap app2 "app2:learn-$run" learn
  measure "second app, same base" inlay "$run" "${wrap_cmd[@]}"
  measure "second app, same base" tools "$run" bash -c 'tools_wrap "$@"' _ app2 "app2:tools-learn-$run" learn
  mapfile -t layers < <(layers_of "$docservice")
  measure "docservice floor" "gzip -dc | sha256sum" "$run" bash -c 'floor "$@"' _ "${layers[@]}"
  measure "docservice floor" "inlay --version" "$run" "$inlay" --version
  for name in "${sized[@]}"; do
    rm -rf "$cache_dir"
    inlay_wrap "$name" "sized:learn-$run" learn
    measure "$name first wrap" inlay "$run" "${wrap_cmd[@]}"
    measure "$name first wrap" tools "$run" bash -c 'tools_wrap "$@"' _ "$(repo_of "$name")" "sized:tools-learn-$run" learn
    inlay_wrap "$name" "sized:enforce-$run" enforce --policy "$policy"
    measure "$name re-wrap" inlay "$run" "${wrap_cmd[@]}"
    measure "$name re-wrap" tools "$run" bash -c 'tools_wrap "$@"' _ "$(repo_of "$name")" "sized:tools-enforce-$run" enforce
    mapfile -t layers < <(layers_of "${source_of[$name]}")
    measure "$name floor" "gzip -dc | sha256sum" "$run" bash -c 'floor "$@"' _ "${layers[@]}"
  done
done
echo -e "# end $(date -u +%Y-%m-%dT%H:%M:%SZ) load=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$results"

# ---- the table: medians per row and job, and inlay / tools ----
size_of() { # the compressed size of an image's layers, MB
  local total=0 layer
  while read -r layer; do total=$((total + $(stat -c %s "$layer"))); done < <(layers_of "$1")
  echo $((total / 1000000))
}
{
  echo "# wrap, registry to registry ($registry), medians of $runs; $(head -n 1 "$results" | cut -c3-)"
  for name in docservice app2 "${sized[@]}"; do
    echo "# image $name: $(size_of "${source_of[$name]}") MB of compressed layers"
  done
  printf '%-32s %-22s %9s %9s %7s %14s\n' row job seconds "peak MiB" blobs "MB downloaded"
  awk -F'\t' 'NR > 2 && $1 !~ /^#/ {k = $1 "\t" $2; if (!(k in seen)) {seen[k] = 1; order[++n] = k}
      t[k] = t[k] " " $4; m[k] = m[k] " " $5; bl[k] = bl[k] " " $6; by[k] = by[k] " " $7}
    function med(s,   a, c, i, j, x) {c = split(s, a, " "); for (i = 2; i <= c; i++) {x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x}
      return c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2}
    END {for (i = 1; i <= n; i++) {k = order[i]; split(k, p, "\t")
        printf "%-32s %-22s %9.2f %9.0f %7d %14.1f\n", p[1], p[2], med(t[k]), med(m[k]) / 1024, med(bl[k]), med(by[k]) / 1e6
        if (p[2] == "inlay") it[p[1]] = med(t[k]); if (p[2] == "tools") tt[p[1]] = med(t[k])}
      print ""
      for (i = 1; i <= n; i++) {split(order[i], p, "\t"); r = p[1]
        if (p[2] == "inlay" && (r in tt)) printf "inlay / tools, %-30s %6.2fx\n", r ":", it[r] / tt[r]}
      # the floor: decompressing and hashing each layer once, plus the start of the CLI
      for (i = 1; i <= n; i++) {split(order[i], p, "\t"); r = p[1]
        if (p[2] == "gzip -dc | sha256sum") {g[r] = med(t[order[i]]); fl[++nf] = r}
        if (p[2] == "inlay --version") v = med(t[order[i]])}
      for (i = 1; i <= nf; i++) {r = fl[i]; w = r; sub(/ floor$/, " first wrap", w)
        if (w in it) printf "inlay first wrap / (floor + --version), %-14s %6.2fx\n", w ":", it[w] / (g[r] + v)}
}' "$results"
} | tee "$results.table"
