package dev.inlay.profiler.generate;

import dev.inlay.policy.Category;
import dev.inlay.policy.Selector;

/** The application's own jars: two or more read-only jars in one directory become {@code dir/*.jar}. */
final class CollapseJars extends GroupCollapse {
    private final LearnedRoots roots;

    CollapseJars(LearnedRoots roots) {
        super(Category.FILE, Selector.PATHS, 2);
        this.roots = roots;
    }

    @Override
    String groupOf(Draft d) {
        String path = d.only(Selector.PATHS);
        if (path == null || !path.endsWith(".jar") || !CollapseRules.READ_ONLY.containsAll(d.operations)) return null;
        String parent = PathPatterns.parent(path);
        return CollapseRules.collapsible(parent) ? parent + "/*.jar" : null;
    }

    @Override
    String slug(String pattern) {
        return Slugs.path(roots.rootify(pattern));
    }
}
