# The enforce-mode policy run.sh and compare.sh give the agent: exactly the measured operations and what the JMH fork
# itself needs. Sourced. write_policy DIR [no-capabilities] writes DIR/target/inlay/policy.yaml for the files under
# DIR/target; no-capabilities leaves out the capabilities rule, which agents before issue 17 do not know;
# INLAY_BENCH_SCOPED=1 scopes the measured operations' rules to the benchmarks jar (components, issue 22).
write_policy() {
  local dir="$1" java_home java_home_real capabilities=""
  [ "${2:-}" = no-capabilities ] || capabilities="  capabilities:
    # JMH's Utils obtains Unsafe (setAccessible on theUnsafe) in the fork.
    - id: jmh-harness
      operations: [unsafe, reflect]
      callers: [\"$dir/target/agent-benchmarks.jar\"]"
  # INLAY_BENCH_SCOPED=1: the measured file and connect rules are scoped to the benchmarks jar (issue 22), so the
  # agent attributes each measured operation (a stack walk) and the engine matches the component.
  local scope=""
  [ "${INLAY_BENCH_SCOPED:-}" = 1 ] && scope="
      components: [\"$dir/target/agent-benchmarks.jar\"]"
  java_home="$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.home/ {print $2}')"
  java_home_real="$(readlink -f "$java_home")"
  cat >"$dir/target/inlay/policy.yaml" <<POLICY
apiVersion: inlay.dev/v1
kind: Policy
metadata:
  name: bench-agent-jmh
spec:
  mode: ${INLAY_BENCH_MODE:-enforce}
  defaults:
    files: deny
    network: deny
    dns: deny
    processes: deny
    nativeLibraries: deny
    jndi: deny
    deserialization: deny
    classDefinition: deny
    drift: deny
  files:
    - id: measured-file
      operations: [read]
      paths: ["$dir/target/inlay/allowed.txt"]$scope
    - id: jdk-files
      operations: [read]
      paths: ["$java_home/**", "$java_home_real/**", "/etc/java-17-openjdk/**"]
    - id: benchmarks-jar
      operations: [read]
      paths: ["$dir/target/agent-benchmarks.jar"]
    - id: jvm-runtime-files
      operations: [read, list]
      paths: ["/proc/**", "/sys/**"]
    - id: jmh-temporary-files
      paths: ["/tmp/**"]
    - id: random-devices
      # SecureRandom's seed (NativePRNG), first used by the fork when it serializes its frames.
      operations: [read]
      paths: [/dev/random, /dev/urandom]
  network:
    # The measured connect, and the JMH fork's link to its parent JVM: both to ephemeral loopback ports.
    - id: loopback-connect
      operations: [connect]
      cidrs: ["127.0.0.1", "::1"]
      protocols: [tcp]$scope
    # The measured connect's listener (an ephemeral port: listen rules match the local port only).
    - id: loopback-listener
      operations: [listen, accept]
      protocols: [tcp]
  dns:
    - id: localhost
      names: [localhost]
    # JMH's fork names itself by the JVM's host name when it reports its pid.
    - id: own-host-name
      names: ["$(hostname)"]
  processes:
    - id: measured-process
      # Any arguments (no args selector); the measured exec passes none.
      executables: [/bin/true, /usr/bin/true]
  deserialization:
    # The JMH fork talks to its parent JVM in serialized frames.
    - id: jmh-link-frames
      classes: ["org.openjdk.jmh.**", "java.lang.**", "java.util.**", "java.io.**", "java.time.**", "java.math.**"]
  classDefinition:
    # The JMH fork's link to its parent is a java.lang.reflect.Proxy (hooked since issue 19): jdk.proxy1.\$Proxy0.
    - id: jmh-link-proxy
      classes: ["jdk.proxy1.*", "jdk.proxy2.*", "com.sun.proxy.**"]
  nativeLibraries:
    - id: jdk-native-libraries
      paths: ["$java_home/**", "$java_home_real/**"]
$capabilities
POLICY
}
