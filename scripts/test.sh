#!/usr/bin/env bash
# Every test: the Maven build with unit and integration tests (real JVMs with the agent on JDK 17 and 25, real images,
# a real registry, podman), bounded fuzzing of every hostile-input parser, then the end-to-end story in real containers.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mvn -B -ntp install
bash scripts/fuzz.sh
bash examples/e2e-test.sh
