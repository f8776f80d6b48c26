package dev.inlay.profiler.generate;

import dev.inlay.policy.Category;
import dev.inlay.policy.Selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A collapse of many single-valued drafts of one category into one pattern: each draft names the group it would join
 * ({@link #groupOf}), and a group with at least {@code threshold} members becomes one draft whose only value is the
 * group's pattern. Drafts with flagged names, arguments or more than one selector never join.
 */
abstract class GroupCollapse implements DraftPass {
    private final Category category;
    private final Selector selector;
    private final int threshold;

    GroupCollapse(Category category, Selector selector, int threshold) {
        this.category = category;
        this.selector = selector;
        this.threshold = threshold;
    }

    /** The pattern the draft would collapse into, or null where it never collapses. */
    abstract String groupOf(Draft d);

    /** The slug of the collapsed draft. */
    abstract String slug(String pattern);

    @Override
    public final void apply(Drafts drafts) {
        Map<String, List<String>> groups = new TreeMap<>();
        for (Map.Entry<String, Draft> e : drafts.entries()) {
            if (!e.getValue().collapsible(category)) continue;
            String group = groupOf(e.getValue());
            if (group != null)
                groups.computeIfAbsent(group, k -> new ArrayList<>()).add(e.getKey());
        }
        for (Map.Entry<String, List<String>> g : groups.entrySet()) {
            if (g.getValue().size() < threshold) continue;
            drafts.merge(category, g.getKey(), g.getValue(), selector, slug(g.getKey()));
        }
    }
}
