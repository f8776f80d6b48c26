# Shared by the scripts that compile one bench/jmh benchmark of the decision engine against a checkout's built
# policy-enforcer and model jars (nothing installed in ~/.m2): decisions-components.sh, decisions-compare.sh.
# Sourced, never run.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh" # log, die

# decision_bench_start OUT [JMH options...]: OUT made afresh, JMH and its annotation processor resolved by the
# agent-jmh project (the same JMH version as bench/jmh) into OUT/jmh.cp, and jmh_options set to the options given or
# the default -wi 3 -i 5 -f 1.
decision_bench_start() {
  local out="$1"
  shift
  jmh_options=("$@")
  ((${#jmh_options[@]})) || jmh_options=(-wi 3 -i 5 -f 1)
  rm -rf "$out"
  mkdir -p "$out"
  mvn -B -ntp -q -f "$INLAY_ROOT/bench/agent-jmh/pom.xml" dependency:build-classpath -Dmdep.outputFile="$out/jmh.cp" \
    >/dev/null
}

# decision_bench_classpath OUT SIDE ROOT: writes OUT/SIDE.cp, the class path of a benchmark against checkout ROOT:
# its built policy-enforcer jar, its model jar (when its policy-enforcer depends on model, since issue 22),
# policy-enforcer's third-party dependencies (inlay's own modules come from the checkout, never from ~/.m2), then JMH.
decision_bench_classpath() {
  local out="$1" side="$2" root="$3" jars="" module jar
  for module in policy-enforcer model; do
    [[ $module == model ]] && ! grep -q '<artifactId>inlay-model</artifactId>' "$root/policy-enforcer/pom.xml" \
      && continue
    jar=$(ls "$root/$module"/target/inlay-"$module"-*.jar 2>/dev/null | grep -vE -- "-(sources|tests|javadoc)\.jar$" | head -1 || true)
    [[ -n "$jar" ]] || die "no $module jar in $root/$module/target: build it first" \
      "(cd $root && mvn -B -ntp -q -pl policy-enforcer -am package -DskipTests)"
    jars="$jars$jar:"
  done
  (cd "$root" && mvn -B -ntp -q -pl policy-enforcer dependency:build-classpath -Dmdep.includeScope=compile \
    -Dmdep.excludeGroupIds=dev.inlay -Dmdep.outputFile="$out/$side.deps" >/dev/null)
  echo "$jars$(cat "$out/$side.deps"):$(cat "$out/jmh.cp")" >"$out/$side.cp"
}

# decision_bench_compile OUT SIDE BENCHMARK: compiles bench/jmh's BENCHMARK and the policy it shares
# (LearnedShapeBenchmark), JMH annotations too, against OUT/SIDE.cp into OUT/SIDE/classes.
decision_bench_compile() {
  local out="$1" side="$2" sources="$INLAY_ROOT/bench/jmh/src/main/java/dev/inlay/bench"
  mkdir -p "$out/$side/classes"
  javac -d "$out/$side/classes" -cp "$(cat "$out/$side.cp")" -processorpath "$(cat "$out/jmh.cp")" \
    "$sources/$3.java" "$sources/LearnedShapeBenchmark.java"
}
