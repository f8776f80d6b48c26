#!/usr/bin/env bash
# Bounded coverage-guided fuzzing (Jazzer) of every parser of hostile input: policy documents, profile documents,
# image archives and the files the inventory reads (jars, package databases). Each target fuzzes for its @FuzzTest
# maxDuration; a finding fails the run and Jazzer saves the input under src/test/resources/.../<Class>Inputs/ for a
# regression test. In plain `mvn test` runs the same tests replay
# only their saved inputs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
targets=(
  policy-enforcer:dev.inlay.policy.fuzz.PolicyParserFuzzTest
  policy-enforcer:dev.inlay.policy.fuzz.CompiledPolicyFuzzTest
)
for extra in profiler:dev.inlay.profiler.fuzz.ProfileReaderFuzzTest cli:dev.inlay.instrumenter.ArchiveReaderFuzzTest \
    scanner:dev.inlay.scanner.fuzz.InventoryFuzzTest; do
  module=${extra%%:*}; class=${extra#*:}
  [[ -f "$module/src/test/java/${class//.//}.java" ]] && targets+=("$extra")
done
for t in "${targets[@]}"; do
  module=${t%%:*}; class=${t#*:}
  echo "fuzz: $class"
  JAZZER_FUZZ=1 mvn -B -ntp -q -o surefire:test -pl "$module" -Dtest="$class" -Dsurefire.failIfNoSpecifiedTests=false
done
echo "fuzz: ${#targets[@]} targets, no findings"
