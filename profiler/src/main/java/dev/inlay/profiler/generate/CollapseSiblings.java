package dev.inlay.profiler.generate;

import dev.inlay.policy.Category;
import dev.inlay.policy.Selector;

/** Many read-only files in one (non-system, non-secret) directory become {@code dir/*}. */
final class CollapseSiblings extends GroupCollapse {
    private final LearnedRoots roots;

    CollapseSiblings(int threshold, LearnedRoots roots) {
        super(Category.FILE, Selector.PATHS, threshold);
        this.roots = roots;
    }

    @Override
    String groupOf(Draft d) {
        String path = d.only(Selector.PATHS);
        if (path == null || path.endsWith("/**") || !CollapseRules.READ_ONLY.containsAll(d.operations)) return null;
        String parent = PathPatterns.parent(path);
        return CollapseRules.collapsible(parent) ? parent + "/*" : null;
    }

    @Override
    String slug(String pattern) {
        return Slugs.path(roots.rootify(pattern));
    }
}
