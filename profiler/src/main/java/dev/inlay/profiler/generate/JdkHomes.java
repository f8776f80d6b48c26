package dev.inlay.profiler.generate;

import dev.inlay.policy.Category;
import dev.inlay.policy.Patterns;
import dev.inlay.profiler.profile.BehaviorKey;

import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The JDK-home generalization: directories holding the files only a Java runtime has are JDK homes, and the JVM's
 * read-only and native accesses under one become one {@code home/**} rule (applied while drafting).
 */
final class JdkHomes {
    /** Files only a Java runtime has, and that the JVM itself opens or loads through Java code (what the agent sees). */
    private static final List<String> JDK_MARKERS = List.of(
            "/conf/security/java.security",
            "/lib/security/cacerts",
            "/lib/tzdb.dat",
            "/lib/modules",
            "/lib/jvm.cfg",
            "/lib/jrt-fs.jar",
            "/conf/net.properties",
            "/lib/server/libjvm.so",
            "/lib/libjava.so",
            "/lib/libnet.so",
            "/lib/libnio.so",
            "/lib/libzip.so");

    private JdkHomes() {}

    /** JDK homes: directories holding the files only a Java runtime has, under which the JVM reads its own files. */
    static SortedSet<String> find(Set<BehaviorKey> keys) {
        TreeSet<String> homes = new TreeSet<>();
        for (BehaviorKey k : keys) {
            if (k.category() != Category.FILE && k.category() != Category.NATIVE && k.category() != Category.PROCESS)
                continue;
            if (Patterns.hasMetacharacters(k.resource())) continue; // never a home from a name that could be a pattern
            for (String marker : JDK_MARKERS) {
                String p = k.resource();
                if (p.endsWith(marker) && p.length() > marker.length()) {
                    String home = p.substring(0, p.length() - marker.length());
                    if (home.lastIndexOf('/') > 0 && CollapseRules.collapsible(home)) homes.add(home);
                }
            }
        }
        return homes;
    }

    /** The home the path lies under, or null. */
    static String homeOf(String path, SortedSet<String> homes) {
        for (String home : homes) if (path.startsWith(home + "/")) return home;
        return null;
    }
}
