package dev.inlay.policy;

import java.util.List;

/**
 * The JVM's own needs, which are not the application's behavior: the files the JDK reads to run (container support on
 * cgroup v1 and v2, CPU topology, time zones, entropy, its security and network configuration). The agent allows a
 * read or listing of these paths only when the JDK itself makes it (docs/POLICY.md, "The JVM baseline"), only
 * when no rule of the policy matches (a policy's own rule, a deny above all, always decides), and never records it
 * in learn mode. Written with roots so that it holds for any JDK layout.
 */
public final class JvmBaseline {
    /** The rule id the baseline's decisions carry. */
    public static final String RULE_ID = "baseline/jvm";

    /** The paths, in the policy language; docs/POLICY.md lists them with the JDK code that reads each. */
    public static final List<String> PATHS = List.of(
            // container support (jdk.internal.platform): cgroup v1 and v2 hierarchies, whatever they are named
            "/sys/fs/cgroup/**", "/proc/cgroups", "/proc/self/cgroup", "/proc/self/mountinfo",
            "/proc/self/stat", "/proc/self/status",
            // CPU topology
            "/sys/devices/system/cpu/**",
            // time zones
            "/etc/localtime", "/etc/timezone", "/usr/share/zoneinfo/**", "${java.home}/lib/tzdb.dat",
            // entropy for SecureRandom (sun.security.provider)
            "/dev/random", "/dev/urandom",
            // security and network configuration; on Debian, conf links into /etc/java-NN-openjdk (followed)
            "${java.home}/conf/**", "${java.home}/lib/security/**");

    /** Native libraries the JDK loads for its own classes (libmanagement.so, libnet.so, ...). */
    public static final List<String> NATIVE_PATHS = List.of("${java.home}/lib/**");

    private JvmBaseline() {
    }

    /**
     * The baseline as a policy: read and list of {@link #PATHS}, loading {@link #NATIVE_PATHS}, everything else
     * denied.
     */
    public static Policy policy() {
        return Policy.builder("jvm-baseline").mode(Mode.ENFORCE)
                .rule(Rule.builder(RULE_ID, Category.FILE).action(Action.ALLOW)
                        .operations(Operation.READ, Operation.LIST).selector(Selector.PATHS, PATHS).build())
                .rule(Rule.builder(RULE_ID, Category.NATIVE).action(Action.ALLOW)
                        .selector(Selector.PATHS, NATIVE_PATHS).build())
                .build();
    }
}
