package dev.inlay.profiler.generate;

import dev.inlay.policy.Category;
import dev.inlay.policy.Selector;

/** Many names in one domain become {@code *.domain}; never a top-level domain ({@code *.com}). */
final class CollapseDnsNames extends GroupCollapse {
    CollapseDnsNames(int threshold) {
        super(Category.DNS, Selector.NAMES, threshold);
    }

    @Override
    String groupOf(Draft d) {
        String name = d.only(Selector.NAMES);
        if (name == null || name.startsWith("*.")) return null;
        int dot = name.indexOf('.');
        String parent = dot < 0 ? "" : name.substring(dot + 1);
        return parent.indexOf('.') > 0 ? "*." + parent : null;
    }

    @Override
    String slug(String pattern) {
        return pattern.substring(2);
    }
}
