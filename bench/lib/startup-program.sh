# Shared by bench/startup.sh and bench/startup-compare.sh: the trivial program they time, an agent that does nothing
# (what any -javaagent costs the JVM) and the enforce-mode policy that allows what the program does. Sourced, never run.

# startup_program DIR JDK [SOURCE...]: DIR/Main.class (main() prints the wall clock in microseconds as its first act;
# the scripts compare it with the clock at spawn), DIR/empty-agent.jar, and the extra Java SOURCEs compiled into DIR.
startup_program() {
  local dir="$1" jdk="$2"
  shift 2
  cat >"$dir/Main.java" <<'JAVA'
public class Main {
    public static void main(String[] args) {
        java.time.Instant now = java.time.Instant.now();
        System.out.println("MAIN " + (now.getEpochSecond() * 1_000_000L + now.getNano() / 1000));
    }
}
JAVA
  cat >"$dir/EmptyAgent.java" <<'JAVA'
public class EmptyAgent {
    public static void premain(String args, java.lang.instrument.Instrumentation inst) {
    }
}
JAVA
  "$jdk/bin/javac" -d "$dir" "$dir/Main.java" "$dir/EmptyAgent.java" "$@"
  printf 'Premain-Class: EmptyAgent\n' >"$dir/manifest.txt"
  "$jdk/bin/jar" cfm "$dir/empty-agent.jar" "$dir/manifest.txt" -C "$dir" EmptyAgent.class
}

# startup_policy DIR [PORTS]: DIR/policy.yaml, enforce mode, allowing what the program does (its class files, the JDK)
# and denying the rest; with PORTS (e.g. 18600-18799) also listening and accepting on them.
startup_policy() {
  local dir="$1" ports="${2:-}"
  cat >"$dir/policy.yaml" <<YAML
apiVersion: inlay.dev/v1
kind: Policy
metadata:
  name: startup-bench
spec:
  mode: enforce
  defaults:
    files: deny
  files:
    - id: program
      operations: [read, list]
      paths: ["$dir/**", "/usr/lib/jvm/**", "/etc/java-17-openjdk/**"]
  nativeLibraries:
    - id: jdk
      paths: ["/usr/lib/jvm/**"]
YAML
  if [[ -n "$ports" ]]; then
    cat >>"$dir/policy.yaml" <<YAML
  network:
    - id: serve
      operations: [listen, accept]
      ports: ["$ports"]
YAML
  fi
}

# startup_run JDK VERSION CONFIG: runs Main from $work once with the options the calling script's options function
# gives CONFIG; sets start, end (the clock around the run) and main (the clock main() printed), in microseconds.
# Fails the script when the program did not reach main() or the policy denied something.
# With STARTUP_PRIORITY=realtime each run is a SCHED_FIFO process (chrt -f 20, root only): on a machine shared with
# builds, the JVM's threads then never wait behind other work, so paired differences stay within a few tenths of a ms
# where plain runs at load 2-8 swing by tens of ms. The absolute times are not those of a normal process (no waiting
# for a core, no migration): compare configurations within one run, never across methods.
startup_run() {
  local jdk="$1" v="$2" c="$3" out opts prio=()
  mapfile -t opts < <(options "$c")
  case "${STARTUP_PRIORITY:-normal}" in
    normal) ;;
    realtime) prio=(chrt -f 20) ;;
    *) echo "STARTUP_PRIORITY=$STARTUP_PRIORITY: normal or realtime" >&2; exit 2 ;;
  esac
  start=$(date +%s%6N)
  out=$("${prio[@]}" "$jdk/bin/java" "${opts[@]}" -cp "$work" Main 2>"$work/err")
  end=$(date +%s%6N)
  main=$(grep -o 'MAIN [0-9]*' <<<"$out" | cut -d' ' -f2)
  [ -n "$main" ] || { echo "$c on $v did not reach main: $(cat "$work/err")" >&2; exit 1; }
  if grep -q '"blocked":true' <<<"$out"; then echo "$c on $v: the policy denied something: $out" >&2; exit 1; fi
}
