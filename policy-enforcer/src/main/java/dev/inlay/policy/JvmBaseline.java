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
            "/sys/fs/cgroup/**",
            "/proc/cgroups",
            "/proc/self/cgroup",
            "/proc/self/mountinfo",
            "/proc/self/stat",
            "/proc/self/status",
            // CPU topology
            "/sys/devices/system/cpu/**",
            // time zones
            "/etc/localtime",
            "/etc/timezone",
            "/usr/share/zoneinfo/**",
            "${java.home}/lib/tzdb.dat",
            // entropy for SecureRandom (sun.security.provider)
            "/dev/random",
            "/dev/urandom",
            // security and network configuration; on Debian, conf links into /etc/java-NN-openjdk (followed)
            "${java.home}/conf/**",
            "${java.home}/lib/security/**");

    /**
     * Files the JDK reads in the user's home directory ({@code user.home}, not a root of the policy language): the
     * user's security policy file, which JDK 17 to 23 read when they load the default Policy
     * ({@code policy.url.2=file:${user.home}/.java.policy} in java.security), at an application's first
     * {@code AccessController.checkPermission} even without a SecurityManager. JDK 24 and later never load it.
     */
    public static final List<String> USER_HOME_FILES = List.of(".java.policy");

    /** Native libraries the JDK loads for its own classes (libmanagement.so, libnet.so, ...). */
    public static final List<String> NATIVE_PATHS = List.of("${java.home}/lib/**");

    private JvmBaseline() {}

    /**
     * The baseline's paths with this JVM's roots, as plain prefixes and names: what {@link #policy()} allows, decided
     * without building a policy engine (the agent asks it before the application's main(), in learn mode too, where
     * no engine is built otherwise). {@code JvmBaselineTest} checks that it agrees with the policy.
     */
    public static final class Paths {
        private final String[] files;
        private final String[] natives;

        private Paths(Roots roots, String userHome) {
            String[] rooted = expand(roots, PATHS);
            boolean home = userHome != null && userHome.startsWith("/");
            files = java.util.Arrays.copyOf(rooted, rooted.length + (home ? USER_HOME_FILES.size() : 0));
            if (home) {
                String dir = dev.inlay.policy.engine.Paths.normalize(userHome);
                for (int i = 0; i < USER_HOME_FILES.size(); i++) {
                    files[rooted.length + i] = (dir.equals("/") ? "" : dir) + "/" + USER_HOME_FILES.get(i);
                }
            }
            natives = expand(roots, NATIVE_PATHS);
        }

        /** For this JVM's roots, as captured at start-up, and its user.home. */
        public static Paths current() {
            return new Paths(Roots.current(), System.getProperty("user.home"));
        }

        public static Paths of(Roots roots) {
            return new Paths(roots, null);
        }

        public static Paths of(Roots roots, String userHome) {
            return new Paths(roots, userHome);
        }

        /** Whether a read or listing of {@code path} is the baseline's. */
        public boolean file(String path) {
            return matches(files, path);
        }

        /** Whether loading the native library {@code path} is the baseline's. */
        public boolean nativeLibrary(String path) {
            return matches(natives, path);
        }

        private static String[] expand(Roots roots, List<String> patterns) {
            java.util.List<String> out = new java.util.ArrayList<>();
            for (String p : patterns) {
                java.util.List<String> literal = new java.util.ArrayList<>();
                if (p.startsWith("${")) roots.expandValue(p, literal);
                else literal.add(p);
                // every baseline pattern is a name or a name followed by /**: kept as "name" or "prefix/"
                for (String l : literal) {
                    out.add(l.endsWith("/**") ? Escapes.unescape(l.substring(0, l.length() - 2)) : Escapes.unescape(l));
                }
            }
            return out.toArray(new String[0]);
        }

        private static boolean matches(String[] entries, String path) {
            for (String e : entries) {
                if (e.endsWith("/")
                        ? path.startsWith(e) || path.length() == e.length() - 1 && e.startsWith(path)
                        : path.equals(e)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * The baseline as a policy: read and list of {@link #PATHS}, loading {@link #NATIVE_PATHS}, everything else
     * denied ({@link #USER_HOME_FILES} have no root to be written with: only {@link Paths} holds them).
     */
    public static Policy policy() {
        return Policy.builder("jvm-baseline")
                .mode(Mode.ENFORCE)
                .rule(Rule.builder(RULE_ID, Category.FILE)
                        .action(Action.ALLOW)
                        .operations(Operation.READ, Operation.LIST)
                        .selector(Selector.PATHS, PATHS)
                        .build())
                .rule(Rule.builder(RULE_ID, Category.NATIVE)
                        .action(Action.ALLOW)
                        .selector(Selector.PATHS, NATIVE_PATHS)
                        .build())
                .build();
    }
}
