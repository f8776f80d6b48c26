package dev.inlay.profiler.generate;

import dev.inlay.policy.Patterns;
import dev.inlay.policy.Roots;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The paths the roots stood for where the profile was learned, longest first, each with its root: a learned path at or
 * under one is written from the root ({@code ${java.home}/lib/**}), so that the policy holds on another JDK, host or
 * layout. Only from the profile's "roots" header, which the agent writes: never recognized in learned text.
 */
final class LearnedRoots {
    /**
     * On equal paths, the root written: the JDK, the temporary directory, the working directory, then the class path
     * (a {@code -cp .} entry is the working directory, where writes are the application's data, not its code).
     */
    private static final List<String> ROOT_PREFERENCE =
            List.of(Roots.JAVA_HOME, Roots.TMPDIR, Roots.USER_DIR, Roots.APP_CLASSPATH);

    private final List<Map.Entry<String, String>> paths;

    LearnedRoots(Map<String, ? extends Collection<String>> learned) {
        this.paths = rootPaths(learned);
    }

    /** (path, root) pairs, the longest path first; on equal paths by {@link #ROOT_PREFERENCE}. */
    static List<Map.Entry<String, String>> rootPaths(Map<String, ? extends Collection<String>> learned) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (String root : Roots.NAMES) {
            Collection<String> paths = learned.get(root);
            if (paths == null) continue;
            for (String path : paths) {
                if (path.startsWith("/") && !path.equals("/")) out.add(Map.entry(path, root));
            }
        }
        out.sort(Comparator.comparingInt(
                        (Map.Entry<String, String> e) -> -e.getKey().length())
                .thenComparingInt(e -> ROOT_PREFERENCE.indexOf(e.getValue())));
        return out;
    }

    /**
     * A learned path generalized (numbers, UUIDs, temporary names as patterns) only below the root it lies under, so
     * that the root's own path stays whole and is written as the root ({@code /tmp/junit-123/app.jar} under a class
     * path entry of that name stays that entry).
     */
    String generalizeUnderRoot(String path) {
        for (Map.Entry<String, String> root : paths) {
            String prefix = root.getKey();
            if (path.equals(prefix)) return Patterns.literal(path);
            if (path.startsWith(prefix + "/")) {
                boolean temp = root.getValue().equals(Roots.TMPDIR) || PathPatterns.inTempDir(path);
                return Patterns.literal(prefix) + PathPatterns.generalize(path.substring(prefix.length()), temp);
            }
        }
        return PathPatterns.generalize(path);
    }

    /**
     * A component as a policy names it: a jar path under the JDK, the temporary or the working directory from that
     * root ({@code ${user.dir}/app.jar}), so that a policy learned where the application lived in one directory holds
     * where it lives in another; a package URL, {@code app} or any other path literally. Never {@code ${app.classpath}}:
     * that root stands for every class path entry, which would give one jar's permissions to all of them.
     */
    String rootifyComponent(String component) {
        String literal = Patterns.literal(component);
        return component.startsWith("/") ? fromRoot(literal, false) : literal;
    }

    /** The value written from a root when the learned path (as a pattern) is at or under one; else as it is. */
    String rootify(String pattern) {
        return fromRoot(pattern, true);
    }

    private String fromRoot(String pattern, boolean classPath) {
        for (Map.Entry<String, String> root : paths) {
            if (!classPath && root.getValue().equals(Roots.APP_CLASSPATH)) continue;
            String prefix = Patterns.literal(root.getKey());
            if (pattern.equals(prefix)) return Roots.symbolic(root.getValue(), "");
            if (pattern.startsWith(prefix + "/"))
                return Roots.symbolic(root.getValue(), pattern.substring(prefix.length()));
        }
        return pattern;
    }
}
