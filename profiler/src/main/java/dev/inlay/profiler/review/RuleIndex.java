package dev.inlay.profiler.review;

import dev.inlay.policy.Category;
import dev.inlay.policy.Rule;
import dev.inlay.policy.Selector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of one policy indexed by category and by one selector's values, so that lint and diff ask their pairwise
 * questions ("which rule covers this one?", "which rule overlaps it?") of a few candidates instead of every rule:
 * near-linear on a 100,000-rule policy where comparing all pairs was quadratic. Each query returns a superset of the
 * rules for which the question's answer is yes (the caller still asks {@link Coverage}), in document order.
 */
final class RuleIndex {
    /** Selectors whose covering values can be found by key, in the order a rule is indexed under the first it has. */
    private static final Selector[] COVER_KEYED = {
        Selector.PATHS,
        Selector.EXECUTABLES,
        Selector.NAMES,
        Selector.HOSTS,
        Selector.CLASSES,
        Selector.LOADERS,
        Selector.SCHEMES,
        Selector.PROTOCOLS
    };

    private final List<Rule> rules;
    private final Map<Category, ByCategory> categories = new EnumMap<>(Category.class);

    /** One category's rules, by position in {@link #rules}. */
    private static final class ByCategory {
        /** Rules that may cover anything: no keyed selector to index them by. */
        final List<Integer> coverAlways = new ArrayList<>();
        /** Per selector, the anchor of each value (see {@link #anchor}) to the rules with a value of that anchor. */
        final Map<Selector, Map<String, List<Integer>>> coverKeyed = new EnumMap<>(Selector.class);
        /** Per selector, rules that do not constrain it or constrain it with a pattern: they may overlap anything. */
        final Map<Selector, List<Integer>> overlapAlways = new EnumMap<>(Selector.class);
        /** Per selector, each literal value to the rules that list it. */
        final Map<Selector, Map<String, List<Integer>>> overlapLiteral = new EnumMap<>(Selector.class);

        final List<Integer> all = new ArrayList<>();
    }

    RuleIndex(List<Rule> rules) {
        this.rules = rules;
        for (int i = 0; i < rules.size(); i++) add(i, rules.get(i));
    }

    Rule rule(int position) {
        return rules.get(position);
    }

    private void add(int position, Rule r) {
        ByCategory c = categories.computeIfAbsent(r.category(), k -> new ByCategory());
        c.all.add(position);
        Selector keyedBy = null;
        for (Selector s : COVER_KEYED) {
            if (r.selectors().containsKey(s) && allAnchored(s, r.values(s))) {
                keyedBy = s;
                break;
            }
        }
        if (keyedBy == null) {
            c.coverAlways.add(position);
        } else {
            Map<String, List<Integer>> byAnchor = c.coverKeyed.computeIfAbsent(keyedBy, k -> new HashMap<>());
            for (String v : r.values(keyedBy)) {
                List<Integer> at = byAnchor.computeIfAbsent(anchor(keyedBy, v), k -> new ArrayList<>(1));
                if (at.isEmpty() || at.get(at.size() - 1) != position) at.add(position);
            }
        }
        for (Selector s : Selector.values()) {
            if (s == Selector.ARGS) continue;
            List<String> values = r.values(s);
            if (values.isEmpty() || !values.stream().allMatch(v -> Coverage.literal(s, v))) {
                c.overlapAlways.computeIfAbsent(s, k -> new ArrayList<>()).add(position);
            } else {
                Map<String, List<Integer>> byValue = c.overlapLiteral.computeIfAbsent(s, k -> new HashMap<>());
                for (String v : values) {
                    List<Integer> at = byValue.computeIfAbsent(v, k -> new ArrayList<>(1));
                    if (at.isEmpty() || at.get(at.size() - 1) != position) at.add(position);
                }
            }
        }
    }

    /**
     * Positions of the rules that may cover {@code inner} ({@link Coverage#covers(Rule, Rule, java.util.Set)} for
     * some operations): a rule indexed under selector S covers inner only if one of its S values covers inner's
     * first S value, and such a value's anchor is one of that value's {@link #keys}.
     */
    int[] coverCandidates(Rule inner) {
        ByCategory c = categories.get(inner.category());
        if (c == null) return new int[0];
        List<List<Integer>> lists = new ArrayList<>();
        lists.add(c.coverAlways);
        for (Map.Entry<Selector, Map<String, List<Integer>>> e : c.coverKeyed.entrySet()) {
            List<String> values = inner.values(e.getKey());
            if (values.isEmpty()) continue; // an outer rule constraining what inner does not cannot cover it
            for (String key : keys(e.getKey(), values.get(0))) {
                List<Integer> at = e.getValue().get(key);
                if (at != null) lists.add(at);
            }
        }
        return merge(lists);
    }

    /**
     * Positions of the rules that may overlap {@code r}: cover it, be covered by it, or not be shown
     * {@link Coverage#disjoint}. Disjointness is decided on a selector both constrain with literals only; taking
     * one such selector S of r, an overlapping rule leaves S out, has a pattern in S, or shares a literal with r.
     */
    int[] overlapCandidates(Rule r) {
        ByCategory c = categories.get(r.category());
        if (c == null) return new int[0];
        for (Selector s : Selector.values()) {
            List<String> values = r.values(s);
            if (s == Selector.ARGS || values.isEmpty() || !values.stream().allMatch(v -> Coverage.literal(s, v)))
                continue;
            List<List<Integer>> lists = new ArrayList<>();
            lists.add(c.overlapAlways.getOrDefault(s, List.of()));
            Map<String, List<Integer>> byValue = c.overlapLiteral.getOrDefault(s, Map.of());
            for (String v : values) {
                List<Integer> at = byValue.get(v);
                if (at != null) lists.add(at);
            }
            return merge(lists);
        }
        return merge(List.of(c.all));
    }

    private static int[] merge(List<List<Integer>> lists) {
        int n = 0;
        for (List<Integer> l : lists) n += l.size();
        int[] out = new int[n];
        int k = 0;
        for (List<Integer> l : lists) for (int p : l) out[k++] = p;
        Arrays.sort(out);
        int unique = 0;
        for (int i = 0; i < n; i++) if (unique == 0 || out[unique - 1] != out[i]) out[unique++] = out[i];
        return unique == n ? out : Arrays.copyOf(out, unique);
    }

    private static boolean allAnchored(Selector s, List<String> values) {
        for (String v : values) if (anchor(s, v) == null) return false;
        return true;
    }

    /**
     * What every value an outer pattern covers starts or ends with, as a key: the literal leading segments of a path
     * or class pattern, the domain of a {@code *.domain} name, the value itself for names and literal-only selectors.
     */
    static String anchor(Selector s, String outer) {
        return switch (s) {
            case PATHS, EXECUTABLES -> outer.startsWith("/") ? leading(outer.substring(1), '/') : null;
            case CLASSES, LOADERS -> leading(outer, '.');
            case HOSTS, NAMES -> outer.startsWith("*.") ? "~" + outer.substring(1) : "=" + outer;
            case SCHEMES, PROTOCOLS -> outer;
            default -> null;
        };
    }

    /** The keys under which a pattern covering {@code inner} may be indexed: the anchors it could have. */
    static List<String> keys(Selector s, String inner) {
        List<String> keys = new ArrayList<>();
        switch (s) {
            case PATHS, EXECUTABLES -> prefixes(inner.startsWith("/") ? inner.substring(1) : inner, '/', keys);
            case CLASSES, LOADERS -> prefixes(inner, '.', keys);
            case HOSTS, NAMES -> {
                keys.add("=" + inner);
                for (int i = inner.indexOf('.'); i >= 0; i = inner.indexOf('.', i + 1))
                    keys.add("~" + inner.substring(i));
            }
            default -> keys.add(inner);
        }
        return keys;
    }

    /** {@code a/b/*.jar} -> "/a/b": each literal segment before the first with a '*', each after its separator. */
    private static String leading(String pattern, char separator) {
        StringBuilder anchor = new StringBuilder();
        for (String segment : pattern.split(java.util.regex.Pattern.quote(String.valueOf(separator)), -1)) {
            if (segment.indexOf('*') >= 0) break;
            anchor.append(separator).append(segment);
        }
        return anchor.toString();
    }

    /** "", "/a", "/a/b", ... for {@code a/b/...}: every anchor a pattern covering it could have. */
    private static void prefixes(String value, char separator, List<String> out) {
        out.add("");
        StringBuilder prefix = new StringBuilder();
        for (String segment : value.split(java.util.regex.Pattern.quote(String.valueOf(separator)), -1)) {
            prefix.append(separator).append(segment);
            out.add(prefix.toString());
        }
    }
}
