package dev.inlay.profiler.generate;

import dev.inlay.policy.Category;
import dev.inlay.policy.Operation;
import dev.inlay.policy.Selector;
import dev.inlay.profiler.profile.BehaviorKey;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The application's data directory: when it wrote (or created, or deleted) {@code --collapse} or more distinct files
 * directly in one directory, the names are its users' (uploads, documents, per-entity files), so every file operation
 * seen on that directory's children becomes one {@code dir/*} rule. Never where a generated write could plant code or
 * alter the system: the read-only collapse exclusions, {@code /usr}, {@code /bin}, {@code /lib}, {@code /boot}, all of
 * {@code /etc}, a JDK home, or a directory holding code (jars, classes, shared libraries, scripts, anything executed or
 * loaded).
 */
final class CollapseWrittenDirectories implements DraftPass {
    /** Files that are code: a directory holding any of them never gets a generated write pattern. */
    private static final Pattern CODE_FILE = Pattern.compile(
            ".*\\.(jar|war|ear|class|so|so\\.[0-9.]+|jsp|jspx|sh|py|rb|pl|js|groovy|jnilib|dylib)",
            Pattern.CASE_INSENSITIVE);

    private final int threshold;
    private final Set<String> codeDirectories;
    private final SortedSet<String> jdkHomes;

    CollapseWrittenDirectories(int threshold, Set<String> codeDirectories, SortedSet<String> jdkHomes) {
        this.threshold = threshold;
        this.codeDirectories = codeDirectories;
        this.jdkHomes = jdkHomes;
    }

    /** Directories holding code the application reads, loads or runs: never given a generated write pattern. */
    static Set<String> codeDirectories(Set<BehaviorKey> keys) {
        Set<String> out = new HashSet<>();
        for (BehaviorKey k : keys) {
            boolean code = switch (k.category()) {
                case NATIVE, DRIFT, PROCESS -> true;
                case FILE ->
                    k.operation() == Operation.EXEC
                            || CODE_FILE.matcher(k.resource()).matches();
                default -> false;
            };
            if (code && k.resource().startsWith("/")) out.add(PathPatterns.parent(k.resource()));
        }
        return out;
    }

    @Override
    public void apply(Drafts drafts) {
        Map<String, List<String>> byDirectory = new TreeMap<>();
        for (Map.Entry<String, Draft> e : drafts.entries()) {
            Draft d = e.getValue();
            if (!d.collapsible(Category.FILE)) continue;
            String path = d.only(Selector.PATHS);
            if (path == null || path.endsWith("/**") || d.operations.contains(Operation.EXEC)) continue;
            byDirectory
                    .computeIfAbsent(PathPatterns.parent(path), k -> new ArrayList<>())
                    .add(e.getKey());
        }
        for (Map.Entry<String, List<String>> g : byDirectory.entrySet()) {
            String dir = g.getKey();
            if (!CollapseRules.writeCollapsible(dir, jdkHomes) || codeDirectories.contains(dir)) continue;
            long written = g.getValue().stream()
                    .filter(k -> !Collections.disjoint(drafts.get(k).operations, CollapseRules.MODIFYING))
                    .count();
            // "-files": the directory itself (created, listed) usually has its own rule under the plain slug
            if (written >= threshold) {
                drafts.merge(Category.FILE, dir + "/*", g.getValue(), Selector.PATHS, Slugs.path(dir) + "-files");
            }
        }
    }
}
